/**
 * Free (postmaster.free.fr). Free answers reputation trouble as "Too many spams from your IP"
 * or "too many errors from your ip": the sender's behaviour, not this message's content.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const FREE_RULES: readonly Rule[] = [
  rule('free.ip-behaviour', 'reputation-block', text(/too many (spams?|errors) from your ip/)),
];
