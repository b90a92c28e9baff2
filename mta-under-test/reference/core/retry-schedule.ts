/**
 * When to try again after a temporary failure, and when to give up. The shape is KumoMTA's
 * (research/engines.md §3: `retry_interval` doubling on each transient failure, with jitter)
 * with Postfix's numbers (§ Postfix: `minimal_backoff_time` 300 s, `maximal_backoff_time`
 * 4000 s, `maximal_queue_lifetime` 5 d). Pure functions, so a whole schedule can be asserted
 * as an array.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../../kernel/index.ts';
import type { Class, Milliseconds } from '../../../kernel/index.ts';

export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  readonly firstDelayMs: Milliseconds;
  /** The delay never grows beyond this. */
  readonly maxDelayMs: Milliseconds;
  /** Each delay is multiplied by a factor in [1 - jitter, 1 + jitter], so retries spread out. */
  readonly jitter: number;
  /** A message not final this long after reception expires. */
  readonly expiryMs: Milliseconds;
}

/**
 * Postfix's spacing and lifetime: 5 minutes first, doubling up to 4,000 s (Postfix
 * `maximal_backoff_time`), expiry after 5 days. KumoMTA's 20 minutes would stretch the smoke
 * scenario's rate-limit recovery over many more simulated hours for no insight.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 5 * MINUTE_MS,
  maxDelayMs: 4_000 * SECOND_MS,
  jitter: 0.1,
  expiryMs: 5 * DAY_MS,
};

/** The delay before the next attempt, after `failedAttempts` (≥ 1) failed attempts, without jitter. */
export function retryDelayMs(policy: RetryPolicy, failedAttempts: number): Milliseconds {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new RangeError(`failedAttempts must be ≥ 1 (got ${failedAttempts})`);
  // 2 ** 30 is far past any cap; bounding the exponent keeps the arithmetic finite.
  return Math.min(policy.firstDelayMs * 2 ** Math.min(failedAttempts - 1, 30), policy.maxDelayMs);
}

/** The spacing of retries for one class of answer; the message lifetime stays the engine's. */
export type ClassSchedule = Pick<RetryPolicy, 'firstDelayMs' | 'maxDelayMs'>;

/**
 * Per-class schedules (issue 4: "retries with jitter and per-class schedules"), where the
 * answer says more than "try later":
 * - greylisting passes once the triplet is older than the receiver's delay (Postgrey's 300 s,
 *   Gmail and Orange a few minutes): come back soon after, then at the usual pace;
 * - a full mailbox empties over days, not minutes: start at an hour, cap at 12 hours
 *   (@assumption: TAXONOMY says "suppress after repeated failures over days");
 * - rate limits and reputation blocks are about the path, not the message: waiting less than
 *   the provider's window only burns attempts, so start at 15 minutes (@assumption: Gmail's
 *   4.7.28 window is hourly, facts/isp-behaviors.md §2), cap at 2 hours;
 * - network errors follow PowerMTA's `retry-after-dns-error` spirit: 1 minute first.
 * Every other class uses the default policy.
 */
export const CLASS_SCHEDULES: Partial<Record<Class, ClassSchedule>> = {
  greylisted: { firstDelayMs: 6 * MINUTE_MS, maxDelayMs: 4_000 * SECOND_MS },
  'mailbox-full': { firstDelayMs: HOUR_MS, maxDelayMs: 12 * HOUR_MS },
  'rate-limited': { firstDelayMs: 15 * MINUTE_MS, maxDelayMs: 2 * HOUR_MS },
  'too-many-connections': { firstDelayMs: 5 * MINUTE_MS, maxDelayMs: HOUR_MS },
  'reputation-block': { firstDelayMs: 30 * MINUTE_MS, maxDelayMs: 4 * HOUR_MS },
  'disguised-policy-block': { firstDelayMs: HOUR_MS, maxDelayMs: 6 * HOUR_MS },
  'network-error': { firstDelayMs: MINUTE_MS, maxDelayMs: 4_000 * SECOND_MS },
};

/** The delay before the next attempt after `failedAttempts` failures, the last one of class `cls`. */
export function classRetryDelayMs(
  policy: RetryPolicy,
  cls: Class,
  failedAttempts: number,
  schedules: Partial<Record<Class, ClassSchedule>> = CLASS_SCHEDULES,
): Milliseconds {
  const schedule = schedules[cls];
  return retryDelayMs(schedule === undefined ? policy : { ...policy, ...schedule }, failedAttempts);
}
