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
import { fieldGroups, first, mtaName, statusFieldGroups, typedAddress } from './fields.ts';
import { ORIGINAL_PART_TYPES, originalFromRaw, readOriginalHeaders } from './original-headers.ts';
import { readProseBounce } from './plain-bounce.ts';
import { commandOfReply } from './smtp-command.ts';
import { readSesNotification } from './ses-notification.ts';
import { bounceWriter } from './bounce-writer.ts';
import { actionOf, isRecipientGroup, optional, recipientBlock, withOrphansMerged } from './dsn-recipient-blocks.ts';
import type { SesReading } from './ses-notification.ts';
import type {
  BounceFormat,
  DsnRecipientBlock,
  InboundArf,
  InboundDsn,
  InboundReport,
  OriginalHeaders,
} from './report.ts';
import {
  embeddedStatusFields,
  isTextPart,
  looksLikeBounce,
  noticeText,
  originalInText,
  ownAddresses,
  rawNotice,
  statusPart,
} from './report-parts.ts';

export interface ReadOptions {
  /** The envelope recipient the report was delivered to (its VERP return path), when known. */
  readonly envelopeRecipient?: string;
}

// A notice that says the failure is temporary (a delay warning), unless it also says permanent.
const TEMPORARY_NOTICE =
  /\b(?:temporar(?:y|ily)|will (?:continue|keep) (?:trying|to try)|not yet been delivered|delivery (?:is )?delayed|will be retried)\b/i;
const PERMANENT_NOTICE = /\b(?:permanent(?:ly)?|i've given up|giving up|could not be delivered|undeliverable)\b/i;

type ReportBase = Pick<InboundReport, 'envelopeRecipient' | 'from' | 'messageId' | 'inReplyTo'>;

/** Reads one report; never rejects (a message that cannot be read is `unreadable`, with why). */
export async function readInboundReport(raw: string | Buffer, options: ReadOptions = {}): Promise<InboundReport> {
  const envelope = options.envelopeRecipient === undefined ? {} : { envelopeRecipient: options.envelopeRecipient };
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      keepDeliveryStatus: true,
      skipHtmlToText: false,
      skipTextToHtml: true,
      skipImageLinks: true,
    });
  } catch (error) {
    return {
      kind: 'unreadable',
      ...envelope,
      reason: `not parseable as a MIME message: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const base: ReportBase = { ...envelope, ...ownIdentity(parsed) };
  const contentType = parsed.headers.get('content-type');
  const reportType = isStructured(contentType) ? contentType.params['report-type']?.toLowerCase() : undefined;
  const parts = parsed.attachments;
  const rawText = decodeReportText(raw);
  const boundary = isStructured(contentType) ? contentType.params.boundary : undefined;
  const original =
    originalHeaders(parts) ??
    (boundary === undefined ? undefined : originalFromRaw(rawText, boundary)) ??
    originalInText(parsed.text);
  if (
    reportType === 'feedback-report' ||
    parts.some((part) => part.contentType.toLowerCase() === 'message/feedback-report')
  )
    return readArf(base, parts, original);
  if (reportType === 'disposition-notification')
    return {
      kind: 'unreadable',
      ...base,
      reason: 'a read receipt (multipart/report of report-type disposition-notification, RFC 8098), not a bounce',
    };
  const report = readBounce(parsed, base, rawText, original);
  if (report.kind !== 'dsn') return report;
  const writer = bounceWriter(headerSection(rawText), parsed.text ?? '');
  return writer === undefined ? report : { ...report, writer };
}

/** A bounce however it is written: SES JSON, status fields wherever they are, a prose notice. */
function readBounce(
  parsed: ParsedMail,
  base: ReportBase,
  rawText: string,
  original: OriginalHeaders | undefined,
): InboundReport {
  const contentType = parsed.headers.get('content-type');
  const type = isStructured(contentType) ? contentType.value.toLowerCase() : 'text/plain';
  const reportType = isStructured(contentType) ? contentType.params['report-type']?.toLowerCase() : undefined;
  const parts = parsed.attachments;
  const ses = readSesNotification(parsed.text ?? '');
  if (ses !== undefined) return fromSes(base, ses, original);
  const statusText =
    statusPart(parts) ??
    embeddedStatusFields([
      parsed.text ?? '',
      ...parts.filter(isTextPart).map((part) => decodeReportText(part.content)),
    ]) ??
    embeddedStatusFields([rawText]);
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
  if (!looksLikeBounce(parsed) && type !== 'multipart/report')
    return {
      kind: 'unreadable',
      ...base,
      reason: `not a bounce: no delivery status fields, and neither its sender nor its subject says it is one (${written})`,
    };
  const listed = failedRecipientsHeader(parsed);
  return (
    readProse(base, notice, original, ignored, listed) ??
    readProse(base, rawNotice(rawText), original, ignored, listed) ?? {
      kind: 'unreadable',
      ...base,
      reason: `no delivery status fields and no failed recipient named in the notice (${written})`,
    }
  );
}

function readDsn(
  base: ReportBase,
  statusText: string,
  original: OriginalHeaders | undefined,
  format: BounceFormat,
  notice: string,
  ignored: readonly string[],
): InboundReport {
  const groups = statusFieldGroups(statusText);
  // RFC 3464 §2.1: per-message fields first; a report that starts with a recipient has none.
  const perMessage = groups[0] !== undefined && !isRecipientGroup(groups[0]) ? groups[0] : new Map<string, string[]>();
  const recipientGroups = withOrphansMerged(groups.filter((group) => group !== perMessage));
  if (recipientGroups.length === 0)
    return {
      kind: 'unreadable',
      ...base,
      reason: 'message/delivery-status has no per-recipient fields (RFC 3464 §2.3)',
    };
  // Prose diagnostics for blocks without one: Exim and Sendmail often put the remote reply in
  // the notice only, and the DSN's Status alone would lose its words.
  const prose = readProseBounce(notice, ignored);
  const recipients: DsnRecipientBlock[] = [];
  for (const [index, group] of recipientGroups.entries()) {
    const block = recipientBlock(group, prose, recipientGroups.length === 1 ? notice : undefined);
    if (typeof block === 'string')
      return { kind: 'unreadable', ...base, reason: `recipient block ${index + 1}: ${block}` };
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
  if (ses.kind === 'complaint')
    return {
      kind: 'arf',
      ...base,
      feedbackType: ses.feedbackType,
      originalRcptTo: ses.recipients,
      ...optional('original', original),
    };
  if (ses.recipients.length === 0)
    return { kind: 'unreadable', ...base, reason: 'an Amazon SES bounce notification without bouncedRecipients' };
  return {
    kind: 'dsn',
    ...base,
    format: 'ses-json',
    ...optional('reportingMta', ses.reportingMta),
    recipients: ses.recipients,
    ...optional('original', original),
  };
}

function readProse(
  base: ReportBase,
  notice: string,
  original: OriginalHeaders | undefined,
  ignored: readonly string[],
  listed: readonly string[] = [],
): InboundDsn | undefined {
  const named = readProseBounce(notice, ignored, listed);
  if (named.length === 0) return undefined;
  const temporary = TEMPORARY_NOTICE.test(notice) && !PERMANENT_NOTICE.test(notice);
  const recipients = named.map((each): DsnRecipientBlock => {
    const quoted = quoteOfDiagnostic(each.diagnostic);
    const status =
      quoted.enhanced ?? (quoted.code === null ? (temporary ? '4.0.0' : '5.0.0') : `${String(quoted.code)[0]}.0.0`);
    const smtpCommand = commandOfReply([each.diagnostic, named.length === 1 ? notice : undefined]);
    return {
      finalRecipient: each.recipient,
      action: actionOf(status),
      status,
      ...optional('diagnosticCode', each.diagnostic === '' ? undefined : each.diagnostic),
      ...optional('smtpCommand', smtpCommand),
    };
  });
  return { kind: 'dsn', ...base, format: 'prose', recipients, ...optional('original', original) };
}

function readArf(base: ReportBase, parts: readonly Attachment[], original: OriginalHeaders | undefined): InboundReport {
  // mailparser keeps message/feedback-report as an attachment.
  const part = parts.find((attachment) => attachment.contentType.toLowerCase() === 'message/feedback-report');
  if (part === undefined)
    return {
      kind: 'unreadable',
      ...base,
      reason: 'feedback-report without a message/feedback-report part (RFC 5965 §2)',
    };
  // One group by the RFC; a stray empty line must not hide the fields after it.
  const group = new Map<string, string[]>();
  for (const each of fieldGroups(part.content.toString('utf8')))
    for (const [name, values] of each) group.set(name, [...(group.get(name) ?? []), ...values]);
  const feedbackType = first(group, 'feedback-type')?.toLowerCase();
  if (feedbackType === undefined)
    return { kind: 'unreadable', ...base, reason: 'message/feedback-report has no Feedback-Type (RFC 5965 §3.1)' };
  const arf: InboundArf = {
    kind: 'arf',
    ...base,
    feedbackType,
    ...optional('userAgent', first(group, 'user-agent')),
    ...optional('version', first(group, 'version')),
    originalRcptTo: (group.get('original-rcpt-to') ?? [])
      .map((value) => typedAddress(value))
      .filter((address): address is string => address !== undefined),
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
  return typeof value === 'string'
    ? value
        .split(',')
        .map((address) => typedAddress(address.trim()) ?? '')
        .filter((address) => address.includes('@'))
    : [];
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
  return {
    ...optional('from', from === '' ? undefined : from),
    ...optional('messageId', messageId),
    ...optional('inReplyTo', inReplyTo),
  };
}

function isStructured(header: HeaderValue | undefined): header is StructuredHeader {
  return typeof header === 'object' && header !== null && 'value' in header && 'params' in header;
}
