/**
 * Yahoo and AOL (one platform; postmaster.yahooinc.com/error-codes). The bracketed codes decide:
 * TS/TSS/IPTS are deferrals for volume and complaints (reputation), BL and TSS07 are Spamhaus
 * listings, PH is a content verdict.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const YAHOO_RULES: readonly Rule[] = [
  rule('yahoo.bl', 'blocklisted', text(/\[(bl\d\d|tss07)\]/)),
  rule('yahoo.ts', 'reputation-block', text(/\[(ip)?tss?\d\d\]/)),
  rule('yahoo.ph', 'content-spam', text(/\[ph\d\d\]/)),
  // Yahoo Japan's "VS98-IP0 deferred": an IP-level deferral.
  rule('yahoo.jp-deferred', 'reputation-block', text(/\bvs\d\d-ip\d*\b/)),
];
