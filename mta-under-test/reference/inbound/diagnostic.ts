/**
 * A DSN's Diagnostic-Code back into an SmtpReply, so the engine's one classifier
 * (core/classify.ts) decides async bounces the way it decides SMTP-time ones.
 *
 * RFC 3464 §2.3.6: `Diagnostic-Code: smtp; 550 5.1.1 <text>`. Multi-line replies come joined:
 * Gmail writes `550-5.1.1 The email account … 550-5.1.1 double-checking … 550 5.1.1 https://…`
 * on folded lines; the repeated code prefixes are removed from the text. A diagnostic of
 * another type (`X-Postfix; connect to …`) or without a reply code says nothing an SMTP
 * classifier can read: the Status alone is used then (`replyFromStatus`).
 */
import { isEnhancedCode, reply } from '../../../sim/smtp/reply.ts';
import type { EnhancedCode, SmtpReply } from '../../../sim/smtp/reply.ts';

/** The reply an `smtp;` Diagnostic-Code quotes, or null when it quotes none. */
export function replyFromDiagnostic(diagnosticCode: string): SmtpReply | null {
  const semicolon = diagnosticCode.indexOf(';');
  if (semicolon === -1 || diagnosticCode.slice(0, semicolon).trim().toLowerCase() !== 'smtp') return null;
  const match = /^(\d{3})(?:[ -]|$)(.*)$/s.exec(diagnosticCode.slice(semicolon + 1).trim());
  if (match === null) return null;
  const code = Number(match[1]);
  if (code < 200 || code > 599) return null;
  let text = (match[2] ?? '').trim();
  const enhancedMatch = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/.exec(text);
  const enhanced = enhancedMatch !== null && isEnhancedCode(enhancedMatch[1] ?? '') ? (enhancedMatch[1] as EnhancedCode) : null;
  if (enhancedMatch !== null) text = text.slice(enhancedMatch[0].length);
  // The continuation lines' own prefixes, e.g. ` 550-5.1.1 ` in Gmail's multi-line replies.
  const continuation = new RegExp(`\\s${code}[ -](?:${enhanced === null ? '' : `${enhanced.replace(/\./g, '\\.')}\\s+`})?`, 'g');
  text = text.replace(continuation, ' ').replace(/\s+/g, ' ').trim();
  return reply(code, enhanced, text);
}

/** A reply made of the Status alone (`5.1.1` → 550 5.1.1), for diagnostics that quote none. */
export function replyFromStatus(status: string): SmtpReply | null {
  if (!isEnhancedCode(status)) return null;
  const basic = { '2': 250, '4': 450, '5': 550 }[status[0] as '2' | '4' | '5'];
  return reply(basic, status, '');
}
