/**
 * Deutsche Telekom / T-Online (postmaster.t-online.de). Refusals end in a bracketed reason:
 * (NOWL) not on the allow list yet or bad reputation, (BL) T-Online's own block, (DIAL) a
 * dial-up or dynamic address, (RL) a rate limit.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const T_ONLINE_RULES: readonly Rule[] = [
  rule('t-online.nowl-bl', 'reputation-block', text(/\((nowl|bl)\)/)),
  rule('t-online.dial', 'policy-block', text(/\(dial\)/)),
  rule('t-online.rl', 'rate-limited', text(/\(rl\)/)),
];
