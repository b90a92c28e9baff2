/**
 * Comcast (postmaster.comcast.net/smtp-error-codes.php). BL000000 is Comcast's own block for
 * spam (reputation); BL000010 means a public DNSBL listed the IP.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const COMCAST_RULES: readonly Rule[] = [
  rule('comcast.bl000000', 'reputation-block', text(/\bbl000000\b|comcast block for spam/)),
  rule('comcast.bl000010', 'blocklisted', text(/\bbl000010\b/)),
];
