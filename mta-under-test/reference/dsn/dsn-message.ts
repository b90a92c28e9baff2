/**
 * The reference engine's own delivery status notifications to the envelope sender (RFC 3464):
 * how a black-box MTA tells the world what became of a message, and so how the bench learns
 * the decisions of MTAs it knows only from outside (DESIGN rule 3). Three kinds:
 *
 * - `failed`: a recipient bounced; the receiver's reply is the Diagnostic-Code, the MX that gave
 *   it the Remote-MTA (RFC 3464 §2.3.5, §2.3.6);
 * - `delayed`: a delay warning after the message has waited a while in the queue, with the
 *   time the engine gives up as Will-Retry-Until (§2.3.9), Status 4.x.x;
 * - `expired`: the message ran out of time in the queue: Action `failed`, Status 4.4.7
 *   ("Delivery time expired", RFC 3463 §3.5), KumoMTA's and PowerMTA's "message expired".
 *
 * The message is `multipart/report; report-type=delivery-status` (RFC 6522) from
 * `MAILER-DAEMON@<engine host>`, with the original headers as `text/rfc822-headers` (what
 * RFC 3461 RET=HDRS returns; the engine never returns bodies). It goes out with the null
 * reverse-path, so it can never bounce back (RFC 5321 §4.5.5): the caller sends it with
 * `MAIL FROM:<>`. Which events get a DSN at all is dsn-policy.ts's question.
 *
 * Deterministic: ids and dates are inputs, nothing here reads a clock.
 */
import {
  fieldBlock,
  foldField,
  headerSection,
  isEnhancedCode,
  multipartReport,
  replyText,
  rfc5322Date,
} from '../../../kernel/index.ts';
import type { EnhancedCode, EpochMs, SmtpReply } from '../../../kernel/index.ts';

export type DsnKind = 'failed' | 'delayed' | 'expired';

/** What the engine knows about one recipient the DSN reports on. */
export interface DsnRecipient {
  /** The address the engine tried: Final-Recipient (RFC 3464 §2.3.2). */
  readonly recipient: string;
  /** The address as the submitter gave it (RFC 3461 ORCPT), when it differs: Original-Recipient (§2.3.1). */
  readonly originalRecipient?: string;
  /** The receiver's last reply, when one came. */
  readonly reply?: SmtpReply;
  /** The MX host that answered: Remote-MTA (§2.3.5). */
  readonly remoteMta?: string;
  /** Why no reply came (connection refused, timed out), when none did. */
  readonly networkError?: string;
  /** When the last attempt was made: Last-Attempt-Date (§2.3.7). */
  readonly lastAttemptMs?: EpochMs;
  /**
   * The status to report when the reply's own code does not say it (no reply, or a reply
   * without an enhanced code). Ignored for `expired`, which is always 4.4.7.
   */
  readonly status?: EnhancedCode;
}

interface DsnInputBase {
  /** Unique token for this DSN: its Message-ID local part and MIME boundary. */
  readonly id: string;
  /** The DSN's Date. */
  readonly dateMs: EpochMs;
  /** The engine's host name: Reporting-MTA, the MAILER-DAEMON address and the Message-ID domain. */
  readonly engineHost: string;
  /** The original message's envelope sender, where the DSN goes. Never null (see dsn-policy.ts). */
  readonly envelopeSender: string;
  readonly original: {
    /** The RFC 5322 message (or just its headers); its header section is returned. */
    readonly data: string;
    /** When the engine accepted it: Arrival-Date (§2.2.5). */
    readonly arrivalMs: EpochMs;
    /** RFC 3461 ENVID, when the submitter gave one: Original-Envelope-Id (§2.2.1). */
    readonly envelopeId?: string;
  };
  /** One or more recipients of the original message, each reported in its own block. */
  readonly recipients: readonly DsnRecipient[];
}

export interface FailedDsnInput extends DsnInputBase {
  readonly kind: 'failed';
}

export interface DelayedDsnInput extends DsnInputBase {
  readonly kind: 'delayed';
  /** When the engine gives up on the message (its expiry): Will-Retry-Until (§2.3.9). */
  readonly willRetryUntilMs: EpochMs;
}

export interface ExpiredDsnInput extends DsnInputBase {
  readonly kind: 'expired';
}

export type DsnInput = FailedDsnInput | DelayedDsnInput | ExpiredDsnInput;

/** A DSN ready to send: MAIL FROM:<> to `recipient`, with `data` as the message. */
export interface DsnMessage {
  readonly kind: DsnKind;
  /** Always the null reverse-path (RFC 5321 §4.5.5). */
  readonly mailFrom: '';
  /** The original envelope sender. */
  readonly recipient: string;
  /** The RFC 5322 message, CRLF line ends. */
  readonly data: string;
}

const SUBJECTS: Record<DsnKind, string> = {
  failed: 'Undelivered Mail Returned to Sender',
  delayed: 'Delayed Mail (still being retried)',
  expired: 'Undelivered Mail Returned to Sender (message expired)',
};

/** RFC 3463 §3.5: X.4.7, delivery time expired. */
const EXPIRED_STATUS: EnhancedCode = '4.4.7';

/** Builds the DSN; throws a RangeError naming the input that cannot make a valid one. */
export function buildDsn(input: DsnInput): DsnMessage {
  checkInput(input);
  const perMessage = fieldBlock([
    ['Original-Envelope-Id', input.original.envelopeId],
    ['Reporting-MTA', `dns; ${input.engineHost}`],
    ['Arrival-Date', rfc5322Date(input.original.arrivalMs)],
  ]);
  const perRecipient = input.recipients.map((recipient) => recipientBlock(input, recipient));
  const data = multipartReport({
    envelope: {
      from: `Mail Delivery System <MAILER-DAEMON@${input.engineHost}>`,
      to: input.envelopeSender,
      dateMs: input.dateMs,
      id: input.id,
      domain: input.engineHost,
    },
    reportType: 'delivery-status',
    subject: SUBJECTS[input.kind],
    // RFC 3834 §5: an automatic answer to a message; keeps vacation responders from replying.
    headers: ['Auto-Submitted: auto-replied'],
    parts: [
      { type: 'text/plain; charset=us-ascii', body: humanText(input) },
      { type: 'message/delivery-status', body: [perMessage, ...perRecipient].join('\r\n\r\n') },
      { type: 'text/rfc822-headers', body: headerSection(input.original.data) },
    ],
  });
  return { kind: input.kind, mailFrom: '', recipient: input.envelopeSender, data };
}

function checkInput(input: DsnInput): void {
  if (input.envelopeSender === '')
    throw new RangeError(
      'envelopeSender is the null reverse-path: a message sent with MAIL FROM:<> never gets a DSN (RFC 5321 §4.5.5)',
    );
  if (input.recipients.length === 0) throw new RangeError(`a ${input.kind} DSN needs at least one recipient`);
  if (input.engineHost === '' || /\s/.test(input.engineHost))
    throw new RangeError(`engineHost must be a host name (got "${input.engineHost}")`);
  for (const [index, recipient] of input.recipients.entries()) {
    if (recipient.status !== undefined && !isEnhancedCode(recipient.status))
      throw new RangeError(`recipients[${index}].status "${String(recipient.status)}" is not an RFC 3463 code`);
    const status = statusOf(input.kind, recipient);
    // RFC 3464 §2.3.4: the Status must agree with the Action; a delay is never permanent.
    if (input.kind === 'delayed' && !status.startsWith('4.'))
      throw new RangeError(`recipients[${index}]: a delayed DSN reports a 4.x.x status (got ${status})`);
    if (input.kind === 'failed' && status.startsWith('2.'))
      throw new RangeError(`recipients[${index}]: a failed DSN cannot report the success status ${status}`);
  }
}

/** The enhanced code that explains the outcome: the reply's, the caller's, or the class alone. */
function statusOf(kind: DsnKind, recipient: DsnRecipient): EnhancedCode {
  if (kind === 'expired') return EXPIRED_STATUS;
  if (recipient.reply?.enhanced !== undefined && recipient.reply.enhanced !== null) return recipient.reply.enhanced;
  if (recipient.status !== undefined) return recipient.status;
  if (kind === 'delayed') return '4.0.0';
  return recipient.reply !== undefined && recipient.reply.code < 500 ? '4.0.0' : '5.0.0';
}

/** The receiver's reply as RFC 3464 §2.3.6 quotes it (`smtp; 550 5.1.1 text`), or the engine's own reason. */
export function diagnosticOf(recipient: DsnRecipient): string | undefined {
  if (recipient.reply !== undefined) {
    const enhanced = recipient.reply.enhanced === null ? '' : `${recipient.reply.enhanced} `;
    return `smtp; ${recipient.reply.code} ${enhanced}${replyText(recipient.reply)}`;
  }
  // Not an SMTP reply: an extension diagnostic type (§2.3.6 allows X- types, as Postfix's X-Postfix).
  return recipient.networkError === undefined ? undefined : `X-Mailbench; ${recipient.networkError}`;
}

function recipientBlock(input: DsnInput, recipient: DsnRecipient): string {
  const status = statusOf(input.kind, recipient);
  const lines = fieldBlock([
    [
      'Original-Recipient',
      recipient.originalRecipient === undefined ? undefined : `rfc822; ${recipient.originalRecipient}`,
    ],
    ['Final-Recipient', `rfc822; ${recipient.recipient}`],
    ['Action', input.kind === 'delayed' ? 'delayed' : 'failed'],
    ['Status', status],
    ['Remote-MTA', recipient.remoteMta === undefined ? undefined : `dns; ${recipient.remoteMta}`],
    ['Diagnostic-Code', diagnosticOf(recipient)],
    ['Last-Attempt-Date', recipient.lastAttemptMs === undefined ? undefined : rfc5322Date(recipient.lastAttemptMs)],
    ['Will-Retry-Until', input.kind === 'delayed' ? rfc5322Date(input.willRetryUntilMs) : undefined],
  ]);
  // Receivers' texts can be long: fold each field at spaces (RFC 5322 §2.2.3); readers unfold.
  return lines
    .split('\r\n')
    .map((line) => foldField(line))
    .join('\r\n');
}

function humanText(input: DsnInput): string {
  const intro = {
    failed: 'Your message could not be delivered to the recipients below. The mail system has given up on them.',
    delayed: `Your message has not been delivered yet to the recipients below. The mail system will keep trying until ${input.kind === 'delayed' ? rfc5322Date(input.willRetryUntilMs) : ''}; you do not need to send it again.`,
    expired:
      'Message expired: your message could not be delivered to the recipients below in the time the mail system keeps messages, and it has given up on them.',
  }[input.kind];
  const lines = input.recipients.map((recipient) =>
    wrap(
      `<${recipient.recipient}>: ${diagnosticOf(recipient)?.replace(/^[^;]*;\s*/, '') ?? 'no answer from the receiver'}`,
      '    ',
    ),
  );
  return [
    `This is the mail system at host ${input.engineHost}.`,
    '',
    wrap(intro, ''),
    '',
    ...lines,
    '',
    'The headers of the original message are attached.',
  ].join('\r\n');
}

/** Wraps body text at 76 characters, indenting continuation lines. */
function wrap(text: string, indent: string): string {
  return foldField(text, 76).replace(/\r\n /g, `\r\n${indent}`);
}
