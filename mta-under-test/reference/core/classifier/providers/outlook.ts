/**
 * Outlook.com / Hotmail, the consumer side of Microsoft (the postmaster "SMTP error codes"
 * page at sendersupport.olc.protection.outlook.com and the Exchange Online NDR reference at
 * learn.microsoft.com). Outlook.com names its refusals with short codes: RP (rate), SC (spam
 * and reputation), DY (dynamic or compromised IPs), OU (blocklists and content), and the S/AS
 * numbers of its own block list.
 */
import type { Rule } from '../rule.ts';
import { enhanced, rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const OUTLOOK_RULES: readonly Rule[] = [
  rule('outlook.rp-rate', 'rate-limited', text(/\brp-00[12]\b/)),
  rule('outlook.rp-connections', 'too-many-connections', text(/\brp-003\b/)),
  rule('outlook.sc', 'reputation-block', text(/\bsc-00\d\b/)),
  rule('outlook.dy-dynamic', 'policy-block', text(/\bdy-001\b/)),
  rule('outlook.dy-compromised', 'reputation-block', text(/\bdy-00[2-9]\b/)),
  rule('outlook.ou-blocklist', 'blocklisted', text(/\bou-001\b/)),
  rule('outlook.ou-content', 'content-spam', text(/\bou-002\b/)),
  // "part of their network is on our block list (S3150)": Microsoft's own IP block list; delisting is a request to Microsoft.
  rule('outlook.block-list', 'blocklisted', text(/\b(s3150|as3140|s3140)\b|network is on our block list/)),
  // 4.7.650-4.7.651 "temporarily rate limited due to IP reputation"; 4.7.500-4.7.699 are the throttles of the same family.
  rule('outlook.4.7.65x', 'rate-limited', enhanced(/^4\.7\.(5\d\d|6[0-4]\d|65[01])$/)),
  rule('outlook.4.7.652', 'too-many-connections', enhanced('4.7.652')),
];
