/**
 * Reads an inbound report mail, with mailparser, the way it was really written rather than only
 * the way RFC 6522 lays it out:
 * 1. an ARF complaint (RFC 5965) wherever its `message/feedback-report` part is;
 * 2. an Amazon SES notification (JSON through SNS, ses-notification.ts);
 * 3. RFC 3464 status fields wherever they are: the `message/delivery-status` part of a proper
 *    report (format `rfc3464`), or fields found in a part of another type, in a DSN wrapped in
 *    multipart/mixed, in a report without `report-type` or with boundaries that do not match
 *    (`rfc3464-loose`); read leniently (fields.ts `statusFieldGroups`), with the notice's words for
 *    a recipient whose Diagnostic-Code quotes no reply;
 * 4. a prose notice (qmail, Exim, Domino, Yahoo …, plain-bounce.ts), but only from a message that
 *    presents itself as a bounce, so that a person's reply is never taken for one.
 * Anything else is `unreadable`, with a reason that says what was found instead; it is never
 * thrown away (the caller counts it). A DSN also names the MTA that wrote it when its template is
 * recognised (bounce-writer.ts), and each recipient the SMTP command its reply answered.
 *
 * mailparser is asked to keep `message/delivery-status` as a part of its own
 * (`keepDeliveryStatus`) rather than append it to the text body, so the human-readable part
 * can never be mistaken for status fields.
 */
import { simpleParser } from 'mailparser';
import type { Attachment, HeaderValue, ParsedMail, StructuredHeader } from 'mailparser';
import { decodeReportText } from './decode-text.ts';
import { quoteOfDiagnostic } from './diagnostic.ts';
import { fieldGroups, first, mtaName, statusFieldGroups, stripComment, typedAddress } from './fields.ts';
import type { FieldGroup } from './fields.ts';
import { ORIGINAL_PART_TYPES, originalFromRaw, readOriginalHeaders } from './original-headers.ts';
import { readProseBounce } from './plain-bounce.ts';
import { commandOfReply } from './smtp-command.ts';
import { readSesNotification } from './ses-notification.ts';
import { sameAddress } from '../verp.ts';
import { bounceWriter } from './bounce-writer.ts';
import type { SesReading } from './ses-notification.ts';
import type { ProseRecipient } from './plain-bounce.ts';
import type { BounceFormat, DsnRecipientBlock, InboundArf, InboundDsn, InboundReport, OriginalHeaders } from './report.ts';
import { embeddedStatusFields, isTextPart, looksLikeBounce, noticeText, originalInText, ownAddresses, rawNotice, statusPart } from './report-parts.ts';

export interface ReadOptions {
  /** The envelope recipient the report was delivered to (its VERP return path), when known. */
  readonly envelopeRecipient?: string;
}

// A notice that says the failure is temporary (a delay warning), unless it also says permanent.
const TEMPORARY_NOTICE = /\b(?:temporar(?:y|ily)|will (?:continue|keep) (?:trying|to try)|not yet been delivered|delivery (?:is )?delayed|will be retried)\b/i;
const PERMANENT_NOTICE = /\b(?:permanent(?:ly)?|i've given up|giving up|could not be delivered|undeliverable)\b/i;
const STATUS_CODE = /^[245]\.\d{1,3}\.\d{1,3}$/;

type ReportBase = Pick<InboundReport, 'envelopeRecipient' | 'from' | 'messageId' | 'inReplyTo'>;

/** Reads one report; never rejects (a message that cannot be read is `unreadable`, with why). */
export async function readInboundReport(raw: string | Buffer, options: ReadOptions = {}): Promise<InboundReport> {
  const envelope = options.envelopeRecipient === undefined ? {} : { envelopeRecipient: options.envelopeRecipient };
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  } catch (error) {
    return { kind: 'unreadable', ...envelope, reason: `not parseable as a MIME message: ${error instanceof Error ? error.message : String(error)}` };
  }
  const base: ReportBase = { ...envelope, ...ownIdentity(parsed) };
  const contentType = parsed.headers.get('content-type');
  const reportType = isStructured(contentType) ? contentType.params['report-type']?.toLowerCase() : undefined;
  const parts = parsed.attachments;
  const rawText = decodeReportText(raw);
  const boundary = isStructured(contentType) ? contentType.params.boundary : undefined;
  const original = originalHeaders(parts) ?? (boundary === undefined ? undefined : originalFromRaw(rawText, boundary)) ?? originalInText(parsed.text);
  if (reportType === 'feedback-report' || parts.some((part) => part.contentType.toLowerCase() === 'message/feedback-report')) return readArf(base, parts, original);
  if (reportType === 'disposition-notification') return { kind: 'unreadable', ...base, reason: 'a read receipt (multipart/report of report-type disposition-notification, RFC 8098), not a bounce' };
  const report = readBounce(parsed, base, rawText, original);
  if (report.kind !== 'dsn') return report;
  const writer = bounceWriter(headerSection(rawText), parsed.text ?? '');
  return writer === undefined ? report : { ...report, writer };
}

/** A bounce however it is written: SES JSON, status fields wherever they are, a prose notice. */
function readBounce(parsed: ParsedMail, base: ReportBase, rawText: string, original: OriginalHeaders | undefined): InboundReport {
  const contentType = parsed.headers.get('content-type');
  const type = isStructured(contentType) ? contentType.value.toLowerCase() : 'text/plain';
  const reportType = isStructured(contentType) ? contentType.params['report-type']?.toLowerCase() : undefined;
  const parts = parsed.attachments;
  const ses = readSesNotification(parsed.text ?? '');
  if (ses !== undefined) return fromSes(base, ses, original);
  const statusText = statusPart(parts) ?? embeddedStatusFields([parsed.text ?? '', ...parts.filter(isTextPart).map((part) => decodeReportText(part.content))]) ?? embeddedStatusFields([rawText]);
  const strict = type === 'multipart/report' && reportType === 'delivery-status' && statusPart(parts) !== undefined;
  const notice = noticeText(parsed);
  const ignored = ownAddresses(parsed, original);
  if (statusText !== undefined) {
    const dsn = readDsn(base, statusText, original, strict ? 'rfc3464' : 'rfc3464-loose', notice, ignored);
    if (dsn.kind === 'dsn') return dsn;
    const prose = readProse(base, notice, original, ignored);
    return prose ?? dsn;
  }
  const written = `Content-Type ${type}${reportType === undefined ? '' : `; report-type=${reportType}`}`;
  if (!looksLikeBounce(parsed) && type !== 'multipart/report') return { kind: 'unreadable', ...base, reason: `not a bounce: no delivery status fields, and neither its sender nor its subject says it is one (${written})` };
  const listed = failedRecipientsHeader(parsed);
  return readProse(base, notice, original, ignored, listed) ?? readProse(base, rawNotice(rawText), original, ignored, listed) ?? { kind: 'unreadable', ...base, reason: `no delivery status fields and no failed recipient named in the notice (${written})` };
}

function readDsn(base: ReportBase, statusText: string, original: OriginalHeaders | undefined, format: BounceFormat, notice: string, ignored: readonly string[]): InboundReport {
  const groups = statusFieldGroups(statusText);
  // RFC 3464 §2.1: per-message fields first; a report that starts with a recipient has none.
  const perMessage = groups[0] !== undefined && !isRecipientGroup(groups[0]) ? groups[0] : new Map<string, string[]>();
  const recipientGroups = withOrphansMerged(groups.filter((group) => group !== perMessage));
  if (recipientGroups.length === 0) return { kind: 'unreadable', ...base, reason: 'message/delivery-status has no per-recipient fields (RFC 3464 §2.3)' };
  // Prose diagnostics for blocks without one: Exim and Sendmail often put the remote reply in
  // the notice only, and the DSN's Status alone would lose its words.
  const prose = readProseBounce(notice, ignored);
  const recipients: DsnRecipientBlock[] = [];
  for (const [index, group] of recipientGroups.entries()) {
    const block = recipientBlock(group, prose, recipientGroups.length === 1 ? notice : undefined);
    if (typeof block === 'string') return { kind: 'unreadable', ...base, reason: `recipient block ${index + 1}: ${block}` };
    recipients.push(block);
  }
  const dsn: InboundDsn = {
    kind: 'dsn',
    ...base,
    format,
    ...optional('reportingMta', mtaName(first(perMessage, 'reporting-mta'))),
    ...optional('arrivalDate', first(perMessage, 'arrival-date')),
    ...optional('originalEnvelopeId', first(perMessage, 'original-envelope-id')),
    recipients,
    ...optional('original', original),
  };
  return dsn;
}

function fromSes(base: ReportBase, ses: SesReading, original: OriginalHeaders | undefined): InboundReport {
  if (ses.kind === 'complaint') return { kind: 'arf', ...base, feedbackType: ses.feedbackType, originalRcptTo: ses.recipients, ...optional('original', original) };
  if (ses.recipients.length === 0) return { kind: 'unreadable', ...base, reason: 'an Amazon SES bounce notification without bouncedRecipients' };
  return { kind: 'dsn', ...base, format: 'ses-json', ...optional('reportingMta', ses.reportingMta), recipients: ses.recipients, ...optional('original', original) };
}

function readProse(base: ReportBase, notice: string, original: OriginalHeaders | undefined, ignored: readonly string[], listed: readonly string[] = []): InboundDsn | undefined {
  const named = readProseBounce(notice, ignored, listed);
  if (named.length === 0) return undefined;
  const temporary = TEMPORARY_NOTICE.test(notice) && !PERMANENT_NOTICE.test(notice);
  const recipients = named.map((each): DsnRecipientBlock => {
    const quoted = quoteOfDiagnostic(each.diagnostic);
    const status = quoted.enhanced ?? (quoted.code === null ? (temporary ? '4.0.0' : '5.0.0') : `${String(quoted.code)[0]}.0.0`);
    const smtpCommand = commandOfReply([each.diagnostic, named.length === 1 ? notice : undefined]);
    return { finalRecipient: each.recipient, action: actionOf(status), status, ...optional('diagnosticCode', each.diagnostic === '' ? undefined : each.diagnostic), ...optional('smtpCommand', smtpCommand) };
  });
  return { kind: 'dsn', ...base, format: 'prose', recipients, ...optional('original', original) };
}

/**
 * Recipient groups with the fields of groups that name no recipient merged into the next one
 * (or the last one): Facebook writes a Diagnostic-Code group, then an empty line, then the
 * Final-Recipient and Action.
 */
function withOrphansMerged(groups: readonly FieldGroup[]): FieldGroup[] {
  const merged: Map<string, string[]>[] = [];
  let pending: FieldGroup[] = [];
  for (const group of groups) {
    if (!isRecipientGroup(group)) {
      pending.push(group);
      continue;
    }
    merged.push(mergeGroups([...pending, group]));
    pending = [];
  }
  const last = merged.pop();
  if (last !== undefined) merged.push(mergeGroups([last, ...pending]));
  return merged;
}

function mergeGroups(groups: readonly FieldGroup[]): Map<string, string[]> {
  const merged = new Map<string, string[]>();
  for (const group of groups) for (const [name, values] of group) if (!merged.has(name)) merged.set(name, [...values]);
  return merged;
}

function isRecipientGroup(group: FieldGroup): boolean {
  return group.has('final-recipient') || group.has('original-recipient');
}

/** One RFC 3464 §2.3 block, or what is wrong with it. */
function recipientBlock(group: FieldGroup, prose: readonly ProseRecipient[], wholeNotice: string | undefined): DsnRecipientBlock | string {
  const originalRecipient = typedAddress(first(group, 'original-recipient'));
  const written = typedAddress(first(group, 'final-recipient')) ?? originalRecipient;
  if (written === undefined) return 'no Final-Recipient (RFC 3464 §2.3.2)';
  // The notice's words for this recipient; with one recipient on each side, they are the same
  // one even when the two name it differently (Exim's "save to /path" Final-Recipient).
  const named = prose.find((each) => sameAddress(each.recipient, written) || (originalRecipient !== undefined && sameAddress(each.recipient, originalRecipient))) ?? (wholeNotice !== undefined && prose.length === 1 ? prose[0] : undefined);
  const told = named?.diagnostic;
  // A Final-Recipient that is a file or a program, not an address: the notice's address is the one.
  const finalRecipient = !written.includes('@') && named !== undefined ? named.recipient : written;
  // A Diagnostic-Code that quotes no reply (`X-Unix; 77`) gives way to a notice that does.
  const diagnostic = first(group, 'diagnostic-code');
  const diagnosticCode = diagnostic === undefined || (quoteOfDiagnostic(diagnostic).code === null && told !== undefined && quoteOfDiagnostic(told).code !== null) ? (told ?? diagnostic) : diagnostic;
  const smtpCommand = commandOfReply([first(group, 'diagnostic-code'), told, wholeNotice]);
  const status = statusOf(first(group, 'status'), first(group, 'action'), diagnosticCode);
  if (status === undefined) return `no Status for ${finalRecipient} (RFC 3464 §2.3.4), and no code in its diagnostic`;
  const action = first(group, 'action')?.toLowerCase().split(/\s+/)[0] ?? actionOf(status);
  return {
    finalRecipient,
    ...optional('originalRecipient', originalRecipient),
    action,
    status,
    ...optional('diagnosticCode', diagnosticCode),
    ...optional('remoteMta', mtaName(first(group, 'remote-mta'))),
    ...optional('lastAttemptDate', first(group, 'last-attempt-date')),
    ...optional('willRetryUntil', first(group, 'will-retry-until')),
    ...optional('smtpCommand', smtpCommand),
  };
}

/**
 * The Status, as RFC 3463 code: the field when it holds one (`5.1.1 (bad destination mailbox)`,
 * `#5.1.1`, `550 5.1.1`), else the code the diagnostic quotes, else the class the Action implies.
 */
function statusOf(rawStatus: string | undefined, rawAction: string | undefined, diagnostic: string | undefined): string | undefined {
  const written = rawStatus === undefined ? undefined : /(?<![\d.])#?([245]\.\d{1,3}\.\d{1,3})(?![\d.])/.exec(stripComment(rawStatus))?.[1];
  if (written !== undefined && STATUS_CODE.test(written)) return written;
  const quoted = diagnostic === undefined ? undefined : quoteOfDiagnostic(diagnostic);
  if (quoted !== undefined && quoted.enhanced !== null) return quoted.enhanced;
  if (quoted !== undefined && quoted.code !== null) return `${String(quoted.code)[0]}.0.0`;
  const action = rawAction?.toLowerCase() ?? '';
  if (action.startsWith('failed')) return '5.0.0';
  if (action.startsWith('delayed')) return '4.0.0';
  return undefined;
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

/** The addresses of Exim's `X-Failed-Recipients` header (comma-separated), if any. */
function failedRecipientsHeader(parsed: ParsedMail): string[] {
  const value = parsed.headers.get('x-failed-recipients');
  return typeof value === 'string' ? value.split(',').map((address) => typedAddress(address.trim()) ?? '').filter((address) => address.includes('@')) : [];
}

/** The message's own header section, up to the first empty line. */
function headerSection(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  return end === -1 ? raw : raw.slice(0, end);
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
