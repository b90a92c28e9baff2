/**
 * SFR (sfr.fr, neuf.fr). SFR signs content refusals "rejected per SPAM policy", and its
 * Postfix front ends say "Error: too many errors" when a client exceeds the error limit.
 */
import type { Rule } from '../rule.ts';
import { all, family, rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const SFR_RULES: readonly Rule[] = [
  rule('sfr.spam-policy', 'content-spam', all(family('sfr'), text(/rejected per spam policy/))),
  rule('sfr.too-many-errors', 'protocol-error', all(family('sfr'), text(/too many errors/))),
];
