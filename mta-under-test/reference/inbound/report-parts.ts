/**
 * Finding a bounce's pieces however it is wrapped: the delivery-status fields (a proper
 * `message/delivery-status` part, a DSN nested in multipart/mixed, a part of the wrong type, a
 * report whose boundaries do not match so that the fields sit in the text), the notice a person
 * reads, and the addresses that are the bounce's own rather than a failed recipient's.
 */
import type { Attachment, ParsedMail } from 'mailparser';
import { decodeReportText } from './decode-text.ts';
import { noticeOf } from './plain-bounce.ts';
import { readOriginalHeaders } from './original-headers.ts';
import type { OriginalHeaders } from './report.ts';

const STATUS_PART_TYPES = ['message/delivery-status', 'message/global-delivery-status'];
const RECIPIENT_FIELD = /^[ \t]*(?:reporting-mta|final-recipient|original-recipient)[ \t]*:/im;
const STATUS_FIELD = /^[ \t]*(?:status|action)[ \t]*:/im;
// Where embedded status fields end: a MIME boundary or the returned message's header block.
const END_OF_FIELDS =
  /^(?:--|(?:content-[\w-]+|return-path|received|message-id|from|to|subject|date|mime-version|dkim-signature)\s*:)/i;

/** The text of the report's status part, wherever mailparser found it. */
export function statusPart(parts: readonly Attachment[]): string | undefined {
  const part = parts.find((attachment) => STATUS_PART_TYPES.includes(attachment.contentType.toLowerCase()));
  return part === undefined ? undefined : decodeReportText(part.content);
}

/** Status fields written into a text (a forwarded DSN, a report of the wrong type, mismatched boundaries). */
export function embeddedStatusFields(texts: readonly string[]): string | undefined {
  for (const text of texts) {
    const start = RECIPIENT_FIELD.exec(text);
    if (start === null || !STATUS_FIELD.test(text.slice(start.index))) continue;
    const lines = text.slice(start.index).replace(/\r\n?/g, '\n').split('\n');
    const end = lines.findIndex((line, index) => index > 0 && END_OF_FIELDS.test(line));
    return (end === -1 ? lines : lines.slice(0, end)).join('\n');
  }
  return undefined;
}

export function isTextPart(part: Attachment): boolean {
  const type = part.contentType.toLowerCase();
  return type === 'text/plain' || type === 'text/rfc822-headers' || type === 'message/delivery-status';
}

/** The notice a person reads: the text body (mailparser renders an HTML-only body as text). */
export function noticeText(parsed: ParsedMail): string {
  return unquoted(parsed.text ?? '');
}

/**
 * A bounce forwarded as a quotation ("> " before every line) read as the bounce itself: when
 * most non-empty lines are quoted, the quotation marks are removed.
 */
export function unquoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const filled = lines.filter((line) => line.trim() !== '');
  const quoted = filled.filter((line) => /^\s*>/.test(line));
  if (filled.length === 0 || quoted.length / filled.length < 0.6) return text;
  return lines.map((line) => line.replace(/^\s*> ?/, '')).join('\n');
}

/**
 * The message body as raw text with MIME scaffolding (boundaries, part headers) removed: the
 * notice of last resort, for bounces whose structure mailparser cannot follow (a boundary
 * parameter on a line that is not indented, boundaries that do not match).
 */
export function rawNotice(raw: string): string {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const body = lines.slice(Math.max(0, lines.indexOf('')));
  return body
    .filter((line) => !/^--\S/.test(line) && !/^(?:content-[\w-]+\s*:|boundary=|\s+boundary=|\s*charset=)/i.test(line))
    .join('\n');
}

/** The original message's headers when a prose bounce quotes them inline after its notice. */
export function originalInText(text: string | undefined): OriginalHeaders | undefined {
  if (text === undefined) return undefined;
  const notice = noticeOf(text);
  const rest = text.replace(/\r\n?/g, '\n').split('\n').slice(notice.length);
  const from = rest.findIndex((line) => /^[A-Za-z][\w-]*:\s/.test(line));
  return from === -1 ? undefined : readOriginalHeaders(rest.slice(from).join('\n'));
}

/** Addresses that are the bounce's own (its From, To and Reply-To, the original sender), never failed recipients. */
export function ownAddresses(parsed: ParsedMail, original: OriginalHeaders | undefined): string[] {
  const listed = [parsed.from, ...[parsed.to ?? []].flat(), parsed.replyTo]
    .flatMap((object) => object?.value ?? [])
    .map((entry) => entry.address ?? '');
  const originalFrom =
    original === undefined
      ? undefined
      : /^from:[^\n]{0,200}?<?([^\s<>"]{1,64}@[^\s<>"]{1,255})>?/im.exec(original.text)?.[1];
  return [...listed, ...(originalFrom === undefined ? [] : [originalFrom])].filter((address) => address !== '');
}

// Who sends bounces, and what they call them, in the languages of the providers the bench models.
const BOUNCE_SENDER =
  /^(?:mailer-?daemon|postmaster|post_master|mail-?daemon|mdaemon|bounces?|returned|dsn|mail[-_.]?delivery|nobody|root|system)@/i;
const BOUNCE_SENDER_NAME =
  /mail delivery|delivery (?:subsystem|system|status)|mailer|postmaster|system administrator|mail administrator|mail system/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (?:status|failure|failed|notification|problem|report|has failed|incomplete)|failure notice|returned mail|returning message|mail delivery failed|could not be delivered|not delivered|non[- ]?remis|unzustellbar|nicht zustellbar|non recapitato|mancata consegna|no entregado|rejected|bounced?|mail system error|delivery error|failed delivery|message not sent|warning: could not send|nondeliverable|エラー|不達|配信できません|送信できません|返送/i;
// What only an MTA's notice says of a message it failed to deliver.
const BOUNCE_NOTICE =
  /could not be delivered|couldn't be delivered|undeliverable|delivery (?:to the following recipients? )?(?:has )?failed|permanent (?:fatal )?errors?|unable to deliver|failed to deliver|wasn't able to deliver|was not delivered|did not reach the following|returned to sender|mail delivery system|delivery status notification/i;

/**
 * Whether a message presents itself as a bounce (its sender, its display name, its subject, or
 * an MTA's statement in a notice that is not a reply):
 * the condition for reading its prose, so that a person's reply to the return path ("please take
 * me off your list", with addresses in it) is never taken for a failure.
 */
export function looksLikeBounce(parsed: ParsedMail): boolean {
  const sender = parsed.from?.value[0];
  const subject = parsed.subject ?? '';
  if (
    BOUNCE_SENDER.test(sender?.address ?? '') ||
    BOUNCE_SENDER_NAME.test(sender?.name ?? '') ||
    BOUNCE_SUBJECT.test(subject)
  )
    return true;
  // A person's reply quotes the subject with "Re:"; an MTA's notice does not.
  return (
    !/^\s*(?:re|aw|sv|vs|antw|rif|r)\s*:/i.test(subject) && BOUNCE_NOTICE.test(noticeOf(parsed.text ?? '').join('\n'))
  );
}
