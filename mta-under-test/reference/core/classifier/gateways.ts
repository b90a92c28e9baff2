/**
 * B2B gateway families: the filters in front of corporate domains. Each speaks its own dialect
 * (vendor documentation: Microsoft's Exchange Online NDR reference, Mimecast's "SMTP error
 * codes" knowledge article, Proofpoint's ipcheck pages, Barracuda's and Cisco's admin guides).
 *
 * A gateway's "user unknown" stays `unknown-user` here: one reply alone cannot tell a real miss
 * from a disguised policy block. The verdict carries the family, so the engine can ask for
 * corroboration before it suppresses (../shared/research/engines.md §9.2). What the stateless
 * classifier can do is refuse to read the gateways' own block words as a dead address.
 */
import type { Rule } from './rule.ts';
import { all, enhanced, family, rule, text } from './rule.ts';

/** Microsoft 365 / Exchange Online Protection, and on-premise Exchange (same resolver codes). */
const MICROSOFT_365: readonly Rule[] = [
  // Directory-Based Edge Blocking: the recipient is not in the tenant's directory.
  rule('m365.dbeb', 'unknown-user', all(enhanced('5.4.1'), text(/recipient address rejected: access denied/))),
  // "All recipient addresses rejected": the tenant refuses the connection, not one recipient.
  rule('m365.all-recipients', 'policy-block', text(/all recipient addresses rejected/)),
  rule(
    'exchange.recipient-not-found',
    'unknown-user',
    text(/resolver\.adr\.(ex)?recip(ient)?notfound|recipnotfound|unknown recipient/),
  ),
  rule(
    'exchange.delivery-restriction',
    'policy-block',
    text(/resolver\.rst\.(sendernotauthenticated|notauthorized|authrequired)\w*/),
  ),
  rule('m365.customer-block-list', 'policy-block', enhanced('5.7.513')),
  // Exchange Online answers throttled reputation as a bare "Access denied, please try again later".
  rule('m365.traffic-not-accepted', 'reputation-block', text(/traffic not accepted from this ip/)),
  rule('m365.access-denied-later', 'reputation-block', text(/^access denied, please try again later/)),
  rule('exchange.quota', 'mailbox-full', text(/mapiexception\w*quota|shutoffquota/)),
];

/** Mimecast: its 451 texts name greylisting and per-account limits without those words. */
const MIMECAST: readonly Rule[] = [
  rule('mimecast.greylist', 'greylisted', text(/internal resource temporarily unavailable/)),
  rule(
    'mimecast.account-connections',
    'too-many-connections',
    all(family('mimecast'), text(/account service is temporarily unavailable/)),
  ),
  rule('mimecast.ip-blacklisted', 'reputation-block', all(family('mimecast'), text(/ip temporarily blacklisted/))),
  rule('mimecast.reputation', 'reputation-block', text(/csi\.mimecast\.org|local ct ip reputation/)),
  rule('mimecast.content-policy', 'policy-block', text(/content examination policy/)),
];

/** Proofpoint: its own reputation service (PRS, ipcheck.proofpoint.com), not a public blocklist. */
const PROOFPOINT: readonly Rule[] = [
  rule('proofpoint.reputation', 'reputation-block', text(/ipcheck\.proofpoint\.com|prs\.proofpoint\.com/)),
];

/** Barracuda: "(user@domain:blocked)" is a recipient blocked by policy, not a missing one. */
const BARRACUDA: readonly Rule[] = [rule('barracuda.recipient-blocked', 'policy-block', text(/:\s?blocked\)/))];

/** Cisco Secure Email (IronPort): SenderBase reputation refusals. */
const CISCO: readonly Rule[] = [
  rule(
    'cisco.sbrs',
    'reputation-block',
    text(/your access to (submit messages to )?this (e-?mail|mail) system has been rejected|\bsbrs\b|senderbase/),
  ),
];

/** The gateway packs by family, for counting and documentation. */
export const GATEWAY_PACKS: Readonly<Record<string, readonly Rule[]>> = {
  'microsoft-365': MICROSOFT_365,
  mimecast: MIMECAST,
  proofpoint: PROOFPOINT,
  barracuda: BARRACUDA,
  cisco: CISCO,
};

/** Every gateway rule, in the order they are tried (after the provider packs). */
export const GATEWAY_RULES: readonly Rule[] = Object.values(GATEWAY_PACKS).flat();
