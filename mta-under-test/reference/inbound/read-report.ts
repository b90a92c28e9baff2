/**
 * Reads an inbound report mail the way RFC 6522 lays it out, with mailparser: a
 * `multipart/report` whose `report-type` is `delivery-status` (a DSN, RFC 3464) or
 * `feedback-report` (an ARF complaint, RFC 5965). Anything else is `unreadable`, with a
 * reason that says what was found instead; it is never thrown away (the caller counts it).
 *
 * mailparser is asked to keep `message/delivery-status` as a part of its own
 * (`keepDeliveryStatus`) rather than append it to the text body, so the human-readable part
 * can never be mistaken for status fields. Real reports differ in small ways this reader
 * accepts: Gmail wraps the human part in multipart/related with images, Exchange adds
 * X- fields and writes `rfc822;addr` without a space, Postfix appends comments to Status,
 * and some MTAs omit Action (it is then inferred from the Status class, RFC 3464 §2.3.3).
 */
import { simpleParser } from 'mailparser';
import type { Attachment, HeaderValue, ParsedMail, StructuredHeader } from 'mailparser';
import { fieldGroups, first, mtaName, stripComment, typedAddress } from './fields.ts';
import type { FieldGroup } from './fields.ts';
import { ORIGINAL_PART_TYPES, originalFromRaw, readOriginalHeaders } from './original-headers.ts';
import type { DsnRecipientBlock, InboundArf, InboundDsn, InboundReport, OriginalHeaders } from './report.ts';

export interface ReadOptions {
  /** The envelope recipient the report was delivered to (its VERP return path), when known. */
  readonly envelopeRecipient?: string;
}

const STATUS_PART_TYPES = ['message/delivery-status', 'message/global-delivery-status'];
const STATUS_CODE = /^[245]\.\d{1,3}\.\d{1,3}$/;

type ReportBase = Pick<InboundReport, 'envelopeRecipient' | 'from' | 'messageId' | 'inReplyTo'>;

/** Reads one report; never rejects (a message that cannot be read is `unreadable`, with why). */
export async function readInboundReport(raw: string | Buffer, options: ReadOptions = {}): Promise<InboundReport> {
  const envelope = options.envelopeRecipient === undefined ? {} : { envelopeRecipient: options.envelopeRecipient };
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  } catch (error) {
    return { kind: 'unreadable', ...envelope, reason: `not parseable as a MIME message: ${error instanceof Error ? error.message : String(error)}` };
  }
  const base: ReportBase = { ...envelope, ...ownIdentity(parsed) };
  const contentType = parsed.headers.get('content-type');
  const type = isStructured(contentType) ? contentType.value.toLowerCase() : undefined;
  if (type !== 'multipart/report') return { kind: 'unreadable', ...base, reason: `not a multipart/report (Content-Type ${type ?? 'text/plain, the default: none given'})` };
  const reportType = isStructured(contentType) ? contentType.params['report-type']?.toLowerCase() : undefined;
  const parts = parsed.attachments;
  const boundary = isStructured(contentType) ? contentType.params.boundary : undefined;
  const original = originalHeaders(parts) ?? (boundary === undefined ? undefined : originalFromRaw(typeof raw === 'string' ? raw : raw.toString('utf8'), boundary));
  if (reportType === 'delivery-status') return readDsn(base, parts, original);
  if (reportType === 'feedback-report') return readArf(base, parts, original);
  return { kind: 'unreadable', ...base, reason: `multipart/report of report-type ${reportType ?? '(absent)'}: neither delivery-status (RFC 3464) nor feedback-report (RFC 5965)` };
}

function readDsn(base: ReportBase, parts: readonly Attachment[], original: OriginalHeaders | undefined): InboundReport {
  const part = parts.find((attachment) => STATUS_PART_TYPES.includes(attachment.contentType.toLowerCase()));
  if (part === undefined) return { kind: 'unreadable', ...base, reason: 'delivery-status report without a message/delivery-status part' };
  const groups = fieldGroups(part.content.toString('utf8'));
  // RFC 3464 §2.1: per-message fields first; a report that starts with a recipient has none.
  const perMessage = groups[0] !== undefined && !isRecipientGroup(groups[0]) ? groups[0] : new Map<string, string[]>();
  const recipientGroups = groups.filter((group) => group !== perMessage);
  if (recipientGroups.length === 0) return { kind: 'unreadable', ...base, reason: 'message/delivery-status has no per-recipient fields (RFC 3464 §2.3)' };
  const recipients: DsnRecipientBlock[] = [];
  for (const [index, group] of recipientGroups.entries()) {
    const block = recipientBlock(group);
    if (typeof block === 'string') return { kind: 'unreadable', ...base, reason: `recipient block ${index + 1}: ${block}` };
    recipients.push(block);
  }
  const dsn: InboundDsn = {
    kind: 'dsn',
    ...base,
    ...optional('reportingMta', mtaName(first(perMessage, 'reporting-mta'))),
    ...optional('arrivalDate', first(perMessage, 'arrival-date')),
    ...optional('originalEnvelopeId', first(perMessage, 'original-envelope-id')),
    recipients,
    ...optional('original', original),
  };
  return dsn;
}

function isRecipientGroup(group: FieldGroup): boolean {
  return group.has('final-recipient') || group.has('original-recipient') || group.has('action');
}

/** One RFC 3464 §2.3 block, or what is wrong with it. */
function recipientBlock(group: FieldGroup): DsnRecipientBlock | string {
  const originalRecipient = typedAddress(first(group, 'original-recipient'));
  const finalRecipient = typedAddress(first(group, 'final-recipient')) ?? originalRecipient;
  if (finalRecipient === undefined) return 'no Final-Recipient (RFC 3464 §2.3.2)';
  const rawStatus = first(group, 'status');
  if (rawStatus === undefined) return `no Status for ${finalRecipient} (RFC 3464 §2.3.4)`;
  const status = stripComment(rawStatus).split(/\s+/)[0] ?? '';
  if (!STATUS_CODE.test(status)) return `Status "${rawStatus}" for ${finalRecipient} is not an RFC 3463 code`;
  const action = first(group, 'action')?.toLowerCase().split(/\s+/)[0] ?? actionOf(status);
  return {
    finalRecipient,
    ...optional('originalRecipient', originalRecipient),
    action,
    status,
    ...optional('diagnosticCode', first(group, 'diagnostic-code')),
    ...optional('remoteMta', mtaName(first(group, 'remote-mta'))),
    ...optional('lastAttemptDate', first(group, 'last-attempt-date')),
    ...optional('willRetryUntil', first(group, 'will-retry-until')),
  };
}

function actionOf(status: string): string {
  if (status.startsWith('5')) return 'failed';
  return status.startsWith('4') ? 'delayed' : 'delivered';
}

function readArf(base: ReportBase, parts: readonly Attachment[], original: OriginalHeaders | undefined): InboundReport {
  // mailparser keeps message/feedback-report as an attachment.
  const part = parts.find((attachment) => attachment.contentType.toLowerCase() === 'message/feedback-report');
  if (part === undefined) return { kind: 'unreadable', ...base, reason: 'feedback-report without a message/feedback-report part (RFC 5965 §2)' };
  // One group by the RFC; a stray empty line must not hide the fields after it.
  const group = new Map<string, string[]>();
  for (const each of fieldGroups(part.content.toString('utf8'))) for (const [name, values] of each) group.set(name, [...(group.get(name) ?? []), ...values]);
  const feedbackType = first(group, 'feedback-type')?.toLowerCase();
  if (feedbackType === undefined) return { kind: 'unreadable', ...base, reason: 'message/feedback-report has no Feedback-Type (RFC 5965 §3.1)' };
  const arf: InboundArf = {
    kind: 'arf',
    ...base,
    feedbackType,
    ...optional('userAgent', first(group, 'user-agent')),
    ...optional('version', first(group, 'version')),
    originalRcptTo: (group.get('original-rcpt-to') ?? []).map((value) => typedAddress(value)).filter((address): address is string => address !== undefined),
    ...optional('originalMailFrom', typedAddress(first(group, 'original-mail-from'))),
    ...optional('sourceIp', first(group, 'source-ip')),
    ...optional('arrivalDate', first(group, 'arrival-date') ?? first(group, 'received-date')),
    ...optional('reportingMta', mtaName(first(group, 'reporting-mta'))),
    ...optional('reportedDomain', first(group, 'reported-domain')),
    ...optional('original', original),
  };
  return arf;
}

function originalHeaders(parts: readonly Attachment[]): OriginalHeaders | undefined {
  for (const type of ORIGINAL_PART_TYPES) {
    const part = parts.find((attachment) => attachment.contentType.toLowerCase() === type);
    const headers = part === undefined ? undefined : readOriginalHeaders(part.content.toString('utf8'));
    if (headers !== undefined) return headers;
  }
  return undefined;
}

function ownIdentity(parsed: ParsedMail): Pick<InboundReport, 'from' | 'messageId' | 'inReplyTo'> {
  const from = parsed.from?.value[0]?.address;
  const messageId = parsed.messageId?.replace(/^<(.*)>$/, '$1');
  const inReplyTo = /<([^<>\s]+)>/.exec(parsed.inReplyTo ?? '')?.[1];
  return { ...optional('from', from === '' ? undefined : from), ...optional('messageId', messageId), ...optional('inReplyTo', inReplyTo) };
}

function isStructured(header: HeaderValue | undefined): header is StructuredHeader {
  return typeof header === 'object' && header !== null && 'value' in header && 'params' in header;
}

/** `{ [key]: value }` when the value is present, `{}` otherwise (optional fields are omitted, not undefined). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
