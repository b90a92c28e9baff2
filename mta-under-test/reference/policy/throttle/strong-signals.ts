/**
 * Replies that mean "stop now", whatever the share: the receiver named the sending IP's
 * reputation or a block list. Each suspends the source towards the provider for a documented
 * time, after which the throttle restarts the path at its floor and ramps up — the gradual
 * return KumoMTA's TSA lacks ("the override or suspension simply expires", research/engines.md
 * §3.4). Data, not code, in KumoMTA's `automation` shape: a pattern over the reply, a trigger
 * (`count` matches within `windowMs`; 1 = immediate) and a duration.
 */
import { HOUR_MS, MINUTE_MS } from '../../../../kernel/index.ts';
import type { Class, Milliseconds } from '../../../../kernel/index.ts';

export interface StrongSignal {
  /** Written into rules: `throttle.signal.<id>`. */
  readonly id: string;
  /** Matched against the reply as one line, `<code> <enhanced> <text>`. */
  readonly pattern?: RegExp;
  /** Or: the verdict's class is one of these (whatever the words: every provider names its blocklists differently). */
  readonly classes?: readonly Class[];
  /** Matches within `windowMs` that trigger; 1 suspends on the first. */
  readonly count: number;
  readonly windowMs: Milliseconds;
  readonly suspendMs: Milliseconds;
  /** Where the numbers come from. */
  readonly source: string;
}

export const STRONG_SIGNALS: readonly StrongSignal[] = [
  {
    id: 'yahoo.tss04',
    pattern: /\[TS?S04\]/i,
    count: 1,
    windowMs: HOUR_MS,
    suspendMs: 2 * HOUR_MS,
    source:
      'KumoMTA policy-extras `\\[TS?S04\\]` → Suspend 2 h, immediate (KumoCorp/kumomta#51; research/engines.md §3.4)',
  },
  {
    id: 'outlook.s3150',
    pattern: /\b(S3150|AS3140)\b|part of their network is on our block list/i,
    count: 1,
    windowMs: HOUR_MS,
    suspendMs: 2 * HOUR_MS,
    source:
      'KumoMTA community Outlook "on our block list" → Suspend 2 h (KUMO-C); immediate as KumoMTA\'s default automation treats "Unfortunately, messages from <ip> weren\'t sent" (KUMO-X)',
  },
  {
    id: 'outlook.4.7.650',
    pattern: /\b4\.7\.65[01]\b|temporarily rate limited due to IP reputation/i,
    count: 1,
    windowMs: HOUR_MS,
    suspendMs: 30 * MINUTE_MS,
    source:
      'KumoMTA community Outlook "temporarily rate limited" → Suspend 30 min (KUMO-C); immediate, then 1/minute as KumoMTA\'s default automation (KUMO-X), here the floor (KumoCorp/kumomta#54)',
  },
  {
    id: 'gmail.4.7.28',
    pattern: /\b4\.7\.28\b.*(unusual rate|unsolicited mail)|our system has detected an unusual rate/i,
    count: 2,
    windowMs: HOUR_MS,
    suspendMs: 30 * MINUTE_MS,
    source:
      'KumoMTA community Gmail "unusual rate" trigger 2/hr, 30 min (KUMO-C); Google: stop ≥ 10 min, then resume gradually (G-GUIDE, facts §2)',
  },
  {
    id: 'blocklisted',
    classes: ['blocklisted'],
    count: 5,
    windowMs: HOUR_MS,
    suspendMs: 2 * HOUR_MS,
    source:
      'KumoMTA community blocklist rules: Yahoo `553 5.7.1 [BL` 5/hr → Suspend 2 h, Orange "Client host blocked … spamhaus / cloudmark" 5/hr → 2 h (KUMO-C); TAXONOMY: blocklisted → pause',
  },
];

/** The first strong signal the reply line or the verdict's class matches, if any. */
export function strongSignalOf(
  signals: readonly StrongSignal[],
  replyLine: string,
  cls?: Class,
): StrongSignal | undefined {
  return signals.find(
    (signal) =>
      (signal.pattern !== undefined && replyLine !== '' && signal.pattern.test(replyLine)) ||
      (cls !== undefined && signal.classes?.includes(cls) === true),
  );
}
