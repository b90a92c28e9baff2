/**
 * GMX, Web.de and the other 1&1 / IONOS brands (postmaster.gmx.net, postmaster.web.de). Their
 * "Nemesis" front end refuses sessions with "Reject due to policy restrictions (IP based)" and
 * alike: the bracket says what was judged, and only the header-based variant is about the message.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const GMX_RULES: readonly Rule[] = [
  rule('gmx.policy-header', 'policy-block', text(/reject due to policy restrictions \(header based\)/)),
  rule('gmx.policy-reputation', 'reputation-block', text(/reject due to policy (restrictions|violations)/)),
  // The sender's domain has no usable MX or A record: a configuration fault on the sending side.
  rule('gmx.sender-dns', 'auth-failure', text(/invalid dns (mx|a|ptr)/)),
];
