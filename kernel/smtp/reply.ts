/**
 * An SMTP reply as data (KumoMTA's `Response` shape): refusals are values, never exceptions.
 * Only the wire edges turn a reply into bytes (sim/transport/smtp-listener.ts) or bytes into
 * a reply (the sender's client).
 */

/** An RFC 3463 enhanced status code, e.g. `5.1.1`. */
export type EnhancedCode = `${2 | 4 | 5}.${number}.${number}`;

export interface SmtpReply {
  /** The three-digit basic code (RFC 5321 §4.2). */
  readonly code: number;
  /** The enhanced status code, when the receiver sends one. */
  readonly enhanced: EnhancedCode | null;
  /** The text lines, without code prefixes. A multi-line reply has several. */
  readonly lines: readonly string[];
}

const ENHANCED_PATTERN = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

export function isEnhancedCode(value: string): value is EnhancedCode {
  return ENHANCED_PATTERN.test(value);
}

export function reply(code: number, enhanced: EnhancedCode | null, ...lines: string[]): SmtpReply {
  if (!Number.isInteger(code) || code < 200 || code > 599)
    throw new RangeError(`SMTP reply code out of range: ${code}`);
  return { code, enhanced, lines: lines.length > 0 ? lines : [''] };
}

export function isPositive(smtpReply: SmtpReply): boolean {
  return smtpReply.code >= 200 && smtpReply.code < 400;
}

export function isTransient(smtpReply: SmtpReply): boolean {
  return smtpReply.code >= 400 && smtpReply.code < 500;
}

export function isPermanent(smtpReply: SmtpReply): boolean {
  return smtpReply.code >= 500;
}

/** The reply's text as one string, lines joined by a space (what most logs and DSNs carry). */
export function replyText(smtpReply: SmtpReply): string {
  return smtpReply.lines.join(' ');
}

/** The reply as it reads on the wire, e.g. `550-5.1.1 …\r\n550 5.1.1 …`. */
export function formatReply(smtpReply: SmtpReply): string {
  const enhanced = smtpReply.enhanced === null ? '' : `${smtpReply.enhanced} `;
  return smtpReply.lines
    .map((line, index, lines) => `${smtpReply.code}${index < lines.length - 1 ? '-' : ' '}${enhanced}${line}`)
    .join('\r\n');
}

/**
 * Reads a reply as a client received it: a basic code and text that may start with an
 * enhanced code (nodemailer joins multi-line replies into one string).
 */
export function parseReply(code: number, text: string): SmtpReply {
  const stripped = text.replace(/^\d{3}[ -]/, '');
  const match = /^([245]\.\d{1,3}\.\d{1,3})\s+(.*)$/s.exec(stripped);
  if (match !== null && isEnhancedCode(match[1] ?? '')) {
    return { code, enhanced: match[1] as EnhancedCode, lines: [match[2] ?? ''] };
  }
  return { code, enhanced: null, lines: [stripped] };
}
