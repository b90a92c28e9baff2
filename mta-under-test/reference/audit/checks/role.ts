/**
 * Check `role`: local parts that name a function rather than a person. RFC 2142 requires some
 * of them (postmaster, abuse, hostmaster, webmaster …); the rest are the common shared
 * mailboxes of businesses (info, sales, support …) and the addresses that cannot read at all
 * (noreply, mailer-daemon). Whether a role account is dropped or only flagged is the caller's
 * policy (`RolePolicy`, default in options.ts). A `+tag` is ignored (`info+news` is info) and
 * `-`/`_`/`.` separators are compared away (`no_reply`, `no.reply` are noreply).
 */
import type { RolePolicy } from '../options.ts';
import type { Finding } from '../report.ts';

/** Role local parts, written without separators. */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  // RFC 2142 and the operational mailboxes every mail domain has.
  'postmaster',
  'abuse',
  'hostmaster',
  'webmaster',
  'security',
  'noc',
  'root',
  'admin',
  'administrator',
  'sysadmin',
  'mailerdaemon',
  'usenet',
  'news',
  'uucp',
  'ftp',
  'www',
  // Mailboxes that never read.
  'noreply',
  'donotreply',
  'nobody',
  'bounce',
  'bounces',
  'unsubscribe',
  'listrequest',
  'majordomo',
  'listserv',
  // Shared business mailboxes.
  'info',
  'information',
  'sales',
  'support',
  'contact',
  'contactus',
  'help',
  'helpdesk',
  'marketing',
  'office',
  'billing',
  'accounts',
  'accounting',
  'finance',
  'hr',
  'jobs',
  'careers',
  'recruitment',
  'press',
  'media',
  'team',
  'hello',
  'enquiries',
  'enquiry',
  'inquiries',
  'service',
  'customerservice',
  'newsletter',
  'privacy',
  'legal',
  'compliance',
  'it',
  'reception',
  'orders',
  'feedback',
  'all',
  'everyone',
  'staff',
]);

/** Finds a role local part; drops it or only flags it as `policy` says. */
export function roleFindings(local: string, policy: RolePolicy): Finding[] {
  const base = local.toLowerCase().split('+')[0]?.replace(/[-_.]/g, '') ?? '';
  if (!ROLE_LOCAL_PARTS.has(base)) return [];
  const effect = policy === 'drop' ? 'drop' : 'flag';
  return [
    {
      check: 'role',
      code: 'role.account',
      effect,
      detail: `${local}@ is a role account, read by whoever holds the function (role policy: ${policy})`,
    },
  ];
}
