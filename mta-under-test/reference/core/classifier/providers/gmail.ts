/**
 * Gmail (Google's "SMTP errors and codes" reference, support.google.com/a/answer/3726730).
 * Most Gmail texts are read by the generic families; these are the codes whose meaning Google
 * fixes beyond their words.
 */
import type { Rule } from '../rule.ts';
import { all, any, enhanced, family, rule, text } from '../rule.ts';

const google = any(family('gmail', 'google-workspace'), text(/\bgsmtp\b|support\.google\.com|\bgmail\b/));

/** This pack's rules, in the order they are tried. */
export const GMAIL_RULES: readonly Rule[] = [
  // 4.7.28 and 5.7.28 that say "has been (temporarily) blocked": an "unusual amount of unsolicited mail" block.
  rule(
    'gmail.x.7.28.blocked',
    'reputation-block',
    all(enhanced('4.7.28', '5.7.28'), google, text(/been (temporarily )?blocked/)),
  ),
  // 421 4.7.28: "unusual rate of unsolicited mail … temporarily rate limited": slow down, the IP is not refused.
  rule('gmail.4.7.28', 'rate-limited', all(enhanced('4.7.28'), google)),
  // 550 5.7.28: the same detection, now a block ("has been blocked").
  rule('gmail.5.7.28', 'reputation-block', all(enhanced('5.7.28'), google)),
  // Google documents "421 4.7.0 Try again later, closing connection" as a throttle at HELO.
  rule(
    'gmail.4.7.0.try-again',
    'rate-limited',
    all(family('gmail', 'google-workspace'), text(/try again later, closing connection/)),
  ),
  // Workspace's compliance rules sign their refusals "gcdp".
  rule('workspace.gcdp', 'policy-block', text(/\bgcdp\b/)),
];
