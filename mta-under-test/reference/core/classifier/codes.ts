/**
 * What the status codes say when the text adds nothing: RFC 3463 enhanced codes and their IANA
 * registry additions (RFC 4954 X.7.8-X.7.9, RFC 5248 X.7.10-X.7.13, RFC 7293 X.7.17-X.7.19,
 * RFC 7372 X.7.20-X.7.26, RFC 7505 X.1.10, RFC 8689 X.7.30), then the basic code.
 *
 * Two tiers. The specific codes name a cause outright (X.1.1 bad mailbox, X.2.2 full) and come
 * before the address phrasings, so a 5.1.1 decides as 5.1.1. The general codes (X.7.1 "delivery
 * not authorized", X.3.0, X.4.x) are vague and come after every text rule: Microsoft answers
 * "550 5.4.1 Recipient address rejected" for a missing user, which X.4.1 ("no answer from
 * host") would misread.
 */
import type { Rule } from './rule.ts';
import { all, code, enhanced, not, noCode, rule, stage, text } from './rule.ts';

const anyClass = (subjectDetail: string): RegExp => new RegExp(`^[245]\\.${subjectDetail.replace('.', '\\.')}$`);
const permanent = (subjectDetail: string): RegExp => new RegExp(`^5\\.${subjectDetail.replace('.', '\\.')}$`);
const temporary = (subjectDetail: string): RegExp => new RegExp(`^4\\.${subjectDetail.replace('.', '\\.')}$`);

// Text that talks about a user, so a 5.1.2 ("bad destination system") with "User unknown" is left to the address rules.
const talksOfUser = text(/\b(user|mailbox|recipient|account)\b/);

/** Codes that name one cause. */
export const SPECIFIC_CODE_RULES: readonly Rule[] = [
  rule('generic.enhanced.5.1.1', 'unknown-user', enhanced(anyClass('1.1'), anyClass('1.3'), anyClass('1.6'))),
  rule('generic.enhanced.x.1.10', 'bad-domain', enhanced(anyClass('1.10'))),
  rule('generic.enhanced.x.1.2', 'bad-domain', all(enhanced(anyClass('1.2')), not(talksOfUser))),
  rule('generic.enhanced.x.1.7', 'auth-failure', enhanced(anyClass('1.7'), anyClass('1.8'))),
  // 4.2.1 is "mailbox temporarily not accepting"; Gmail sends it when one recipient receives too fast.
  rule('generic.enhanced.4.2.1', 'rate-limited', enhanced(temporary('2.1'))),
  rule('generic.enhanced.x.2.2', 'mailbox-full', enhanced(anyClass('2.2'))),
  rule('generic.enhanced.x.3.4', 'message-too-large', enhanced(anyClass('2.3'), anyClass('3.4'), anyClass('7.16'))),
  // 4.4.7/5.4.7: the message's lifetime ended at a relay; nothing is known about the address.
  rule('generic.enhanced.x.4.7', 'server-error', enhanced(anyClass('4.7')), 'fail-message'),
  rule('generic.enhanced.x.5.3', 'rate-limited', enhanced(anyClass('5.3'))),
  rule('generic.enhanced.x.7.10', 'tls-required', enhanced(anyClass('7.10'), anyClass('7.11'), anyClass('7.30'))),
  rule('generic.enhanced.x.7.13', 'mailbox-disabled', enhanced(anyClass('7.13'))),
  rule('generic.enhanced.x.7.17', 'unknown-user', enhanced(anyClass('7.17'))),
  rule('generic.enhanced.x.7.18', 'bad-domain', enhanced(anyClass('7.18'))),
  rule('generic.enhanced.x.7.2x', 'auth-failure', enhanced(/^[245]\.7\.2[0-79]$/)),
  rule('generic.enhanced.x.7.28', 'rate-limited', enhanced(anyClass('7.28'))),
];

/**
 * 5.2.1 "mailbox disabled" is about the address too; when the text says "User unknown" the
 * text is the more precise of the two, so this runs after the address phrasings.
 */
export const ADDRESS_CODE_RULES: readonly Rule[] = [
  rule('generic.enhanced.5.2.1', 'mailbox-disabled', enhanced(permanent('2.1'))),
];

/** Vague codes, read only when no text rule matched. */
export const GENERAL_CODE_RULES: readonly Rule[] = [
  // X.1.0 is "other address status": the recipient's, unless the stage or the words point at the sender.
  rule(
    'generic.enhanced.5.1.0',
    'unknown-user',
    all(
      enhanced(permanent('1.0'), permanent('1.4')),
      not(stage('mail', 'helo', 'connect')),
      not(text(/\bsender|mail from|\bfrom\b/)),
    ),
  ),
  rule('generic.enhanced.x.2.4', 'server-error', enhanced(anyClass('2.4'))),
  rule('generic.enhanced.x.3.x', 'server-error', enhanced(/^[245]\.3\.\d+$/)),
  rule('generic.enhanced.5.4.4', 'bad-domain', enhanced(permanent('4.4'))),
  rule('generic.enhanced.x.4.1', 'network-error', enhanced(anyClass('4.1'), anyClass('4.2'), temporary('4.4'))),
  rule('generic.enhanced.x.4.x', 'server-error', enhanced(/^[245]\.4\.\d+$/)),
  rule('generic.enhanced.x.5.x', 'protocol-error', enhanced(/^[245]\.[56]\.\d+$/)),
  rule('generic.enhanced.x.7.8', 'auth-failure', enhanced(anyClass('7.5'), anyClass('7.8'), anyClass('7.9'))),
  rule('generic.enhanced.x.7.x', 'policy-block', enhanced(/^[245]\.7\.\d+$/)),
];

/** Last: the basic code alone (RFC 5321 §4.2). */
export const BASIC_CODE_RULES: readonly Rule[] = [
  // 421 closes the channel: the receiver wants fewer sessions for a while, not one more retry now.
  rule('generic.basic.421', 'server-error', code(421), 'backoff'),
  rule('generic.basic.4xx', 'server-error', code(400, 499)),
  // A refusal that names no cause: never read it as a dead address (the "every 5xx is hard"
  // mistake agrees with sisimai on suppression in under half of its rows).
  rule('generic.basic.5xx', 'policy-block', code(500, 599)),
  rule('generic.no-reply.transient', 'server-error', all(noCode, enhanced(/^4\./))),
];
