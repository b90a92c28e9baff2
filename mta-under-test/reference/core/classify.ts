/**
 * The reference engine's classifier: an ordered list of rules, first match wins, each with an
 * id that goes into the accounting record (`rule`) so a report can say which rule decided.
 * Rules look at the enhanced code first (RFC 3463 says what happened), then at words in the
 * text (providers explain what the code hides), then at the basic code.
 *
 * This is deliberately the classifier a careful but generic sender has: it believes a 5.1.1.
 * Telling bogus B2B hard bounces apart is issue 5's work, added as rules ahead of these.
 */
import type { SmtpReply } from '../../../sim/smtp/reply.ts';
import { replyText } from '../../../sim/smtp/reply.ts';
import type { Action, Class } from '../../../sim/taxonomy.ts';

export interface Verdict {
  readonly class: Class;
  readonly action: Action;
  /** The id of the rule that decided. */
  readonly rule: string;
}

interface ReplyRule {
  readonly id: string;
  readonly matches: (smtpReply: SmtpReply, text: string) => boolean;
  readonly class: Class;
  readonly action: Action;
}

const enhanced =
  (...codes: string[]) =>
  (smtpReply: SmtpReply): boolean =>
    smtpReply.enhanced !== null && codes.includes(smtpReply.enhanced);

const basicRange =
  (low: number, high: number) =>
  (smtpReply: SmtpReply): boolean =>
    smtpReply.code >= low && smtpReply.code <= high;

/** In order: the first rule that matches decides. */
export const REPLY_RULES: readonly ReplyRule[] = [
  { id: 'generic.positive', matches: basicRange(200, 399), class: 'delivered', action: 'none' },
  // Gmail's 4.7.28 and its kin say "rate limited" in words; the code alone is a policy code.
  { id: 'generic.text.rate-limit', matches: (_, text) => /rate limit|unusual rate|too quickly|receiving mail at a rate/i.test(text), class: 'rate-limited', action: 'backoff' },
  { id: 'generic.enhanced.4.2.1', matches: enhanced('4.2.1'), class: 'rate-limited', action: 'backoff' },
  { id: 'generic.enhanced.5.1.1', matches: enhanced('5.1.1', '5.1.10'), class: 'unknown-user', action: 'suppress' },
  { id: 'generic.enhanced.5.1.2', matches: enhanced('5.1.2'), class: 'bad-domain', action: 'suppress' },
  { id: 'generic.enhanced.5.2.1', matches: enhanced('5.2.1'), class: 'mailbox-disabled', action: 'suppress' },
  { id: 'generic.enhanced.x.2.2', matches: enhanced('4.2.2', '5.2.2'), class: 'mailbox-full', action: 'retry' },
  { id: 'generic.enhanced.x.3.4', matches: enhanced('5.3.4'), class: 'message-too-large', action: 'fail-message' },
  { id: 'generic.basic.421', matches: basicRange(421, 421), class: 'server-error', action: 'backoff' },
  { id: 'generic.basic.4xx', matches: basicRange(400, 499), class: 'server-error', action: 'retry' },
  { id: 'generic.basic.5xx', matches: basicRange(500, 599), class: 'unclassified', action: 'fail-message' },
];

export function classifyReply(smtpReply: SmtpReply): Verdict {
  const text = replyText(smtpReply);
  for (const rule of REPLY_RULES) {
    if (rule.matches(smtpReply, text)) return { class: rule.class, action: rule.action, rule: rule.id };
  }
  // Unreachable for codes 200-599, which reply() guarantees; kept total for safety.
  return { class: 'unclassified', action: 'retry', rule: 'generic.fallback' };
}

/** No reply at all: the connection failed or was closed before the receiver answered. */
export function classifyNetworkError(): Verdict {
  return { class: 'network-error', action: 'retry', rule: 'generic.network' };
}
