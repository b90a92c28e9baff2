/**
 * Apple iCloud Mail (support.apple.com/102322, "Postmaster information for iCloud Mail").
 * Bracketed codes: CS and HM are local-policy refusals of the sending IP or domain
 * (reputation), HME is an authentication failure, BS a temporary server error.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const ICLOUD_RULES: readonly Rule[] = [
  rule('icloud.cs-hm', 'reputation-block', text(/\[(cs|hm)\d\d\]/)),
  rule('icloud.hme', 'auth-failure', text(/\[hme\d\]/)),
  rule('icloud.bs', 'server-error', text(/\[bs\d\d\]/)),
];
