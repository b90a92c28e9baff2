/**
 * The one place that turns an `SmtpReply` into smtp-server's error-with-responseCode, so it
 * alone minds the two pitfalls of STYLE.md §1.1:
 *
 * - `hideENHANCEDSTATUSCODES` stays true (smtp-server's default; smtp-listener.ts sets it).
 *   Otherwise smtp-server adds an enhanced code derived from the basic one (550 → 5.1.1) to hook
 *   errors, and a policy block would read as an unknown user. The receiver's own enhanced code
 *   is written at the start of the text instead, where clients (and the engine) look for it.
 * - Hook errors can produce only one reply line, so multi-line provider texts are folded into
 *   one line (lines joined by a space). The words are the provider's; only the line breaks go.
 */
import { replyText } from '../../kernel/index.ts';
import type { SmtpReply } from '../../kernel/index.ts';

/** An smtp-server hook error carrying the receiver's reply. */
export function replyError(smtpReply: SmtpReply): Error & { responseCode: number } {
  const enhanced = smtpReply.enhanced === null ? '' : `${smtpReply.enhanced} `;
  return Object.assign(new Error(`${enhanced}${replyText(smtpReply)}`), { responseCode: smtpReply.code });
}
