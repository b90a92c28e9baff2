/**
 * "User unknown" that is not about the address. Each rule says what gives the disguise away;
 * none relies on who the receiver is, so they hold for any MTA that writes these replies.
 *
 * - Answered to DATA: the receiver accepted the recipient at RCPT TO, so the refusal after the
 *   message was seen is a filter's (content, sender, the recipient's own settings), not a
 *   directory lookup. The bounce reader names the command (inbound/smtp-command.ts).
 * A policy code (X.7.x) beside "user unknown" is not enough: Yandex ("550 5.7.1 No such user!")
 * and Trend Micro ("554 5.7.1 … Invalid-Recipient") say it of mailboxes that do not exist
 * (test/fixtures/corpora/responses.jsonl).
 * - "550 : User unknown", the refusal with the address left out: the form au by KDDI (ezweb.ne.jp)
 *   and the relays in front of it give when the recipient's reception filter refuses the sender,
 *   whereas a mailbox that does not exist is answered with its address echoed
 *   (`550 <a@ezweb.ne.jp>: User unknown`). Learnt from the real bounces in
 *   ../shared/corpora/sisimai-dev-eml (seven notices from five different relays).
 */
import type { Rule } from './rule.ts';
import { all, enhanced, not, rule, stage, text } from './rule.ts';

// The "no such user" phrasings of generic.ts's address rules, in one pattern.
const SAYS_UNKNOWN_USER = text(
  /\b(user|mailbox|recipient|rcpt|address|account|addressee)\b(?: [^ ]+){0,2} (is )?(unknown|not found|does not exist|doesn't exist|non-?existent|not valid|invalid|not recognized)|\b(unknown|invalid|no such|non-?existent|bad)[ -](local )?(user|mailbox|recipient|address|account|addressee)\b/,
);

export const DISGUISED_RULES: readonly Rule[] = [
  // Unless the enhanced code itself says the address is bad (X.1.x): Sendmail's transcripts show
  // ">>> DATA" before the pipelined RCPT TO's "550 5.1.1 User unknown" arrives.
  rule(
    'generic.disguised.after-data',
    'disguised-policy-block',
    all(stage('data'), SAYS_UNKNOWN_USER, not(enhanced(/^[45]\.1\.\d+$/))),
  ),
  rule(
    'generic.disguised.address-left-out',
    'disguised-policy-block',
    text(/^(?:\d{3}[ -]?)?(?:[245]\.\d+\.\d+ )?(?::\s*)+user unknown\b/),
  ),
];
