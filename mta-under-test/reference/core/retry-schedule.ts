/**
 * When to try again after a temporary failure, and when to give up. The shape is KumoMTA's
 * (research/engines.md §3: `retry_interval` doubling on each transient failure, with jitter)
 * with Postfix's numbers (§ Postfix: `minimal_backoff_time` 300 s, `maximal_backoff_time`
 * 4000 s, `maximal_queue_lifetime` 5 d). Pure functions, so a whole schedule can be asserted
 * as an array.
 */
import { DAY_MS, MINUTE_MS, SECOND_MS } from '../../../sim/clock/clock.ts';
import type { Milliseconds } from '../../../sim/clock/clock.ts';

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
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failedAttempts must be ≥ 1 (got ${failedAttempts})`);
  // 2 ** 30 is far past any cap; bounding the exponent keeps the arithmetic finite.
  return Math.min(policy.firstDelayMs * 2 ** Math.min(failedAttempts - 1, 30), policy.maxDelayMs);
}
