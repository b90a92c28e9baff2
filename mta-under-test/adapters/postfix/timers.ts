/**
 * Postfix's retry and expiry timers on the bench's clock. An MTA with its own timers lives on
 * the run's clock by dividing them by `clockScale` (simulated ms per real ms, see
 * MtaEnvironment): at scale 60 a simulated hour is a real minute, so Postfix's 300 s minimal
 * backoff becomes 5 real seconds.
 *
 * Floors, from Postfix's granularity and not by choice:
 * - Time parameters take whole seconds; 1 s is the least (0 means something else for the
 *   lifetimes: "try once").
 * - The backoff timers stop at 3 s. qmgr works in whole seconds and treats a deferred file
 *   that is due within 1 s as due now (qmgr_active.c: `st_mtime > now + 1`). With a backoff
 *   of 1 s (or 2 s, when the deferral falls at the end of a second) the next queue scan can
 *   pick the file up while the smtp process that deferred it still holds its lock; qmgr then
 *   logs "skipped, still being delivered" and puts the message aside for a hard-coded 60 s
 *   (seen on this machine with 1 s). 3 s leaves at least one real second.
 * At scales above 100 the minimal backoff therefore stops shrinking (above 300 the queue run
 * delay does), and retries come later on the run's clock than Postfix's defaults say.
 */

/** The timers the adapter sets, in real seconds as written to main.cf. */
export interface PostfixTimers {
  readonly minimalBackoffS: number;
  readonly maximalBackoffS: number;
  readonly queueRunDelayS: number;
  readonly maximalQueueLifetimeS: number;
  readonly bounceQueueLifetimeS: number;
  /** How long a transport that failed (e.g. a crashed smtp process) is suspended. */
  readonly transportRetryS: number;
}

/** Postfix 3.7's defaults (`postconf -d`), research/engines.md §6.2. */
export const POSTFIX_DEFAULT_TIMERS: PostfixTimers = {
  minimalBackoffS: 300,
  maximalBackoffS: 4_000,
  queueRunDelayS: 300,
  maximalQueueLifetimeS: 5 * 86_400,
  bounceQueueLifetimeS: 5 * 86_400,
  transportRetryS: 60,
};

/** Postfix's smallest time unit for these parameters. */
const FLOOR_S = 1;
/** The least backoff that cannot race the delivery agent's lock (see the file comment). */
const BACKOFF_FLOOR_S = 3;

function floorOf(key: keyof PostfixTimers): number {
  return key === 'minimalBackoffS' || key === 'maximalBackoffS' ? BACKOFF_FLOOR_S : FLOOR_S;
}

/**
 * Postfix's defaults divided by `clockScale`, rounded to whole seconds, never under the
 * floors; `overrides` (real seconds) win but must respect the floors too. Postfix wants
 * queue_run_delay ≤ minimal_backoff_time ≤ maximal_backoff_time (postconf(5)); the result
 * keeps that order whatever is overridden, by lowering queue_run_delay and raising
 * maximal_backoff_time to the minimal backoff.
 */
export function scaledTimers(clockScale: number, overrides: Partial<PostfixTimers> = {}): PostfixTimers {
  if (!Number.isFinite(clockScale) || clockScale <= 0)
    throw new RangeError(`clockScale must be a positive number, got ${clockScale}`);
  const scale = (key: keyof PostfixTimers): number =>
    Math.max(floorOf(key), Math.round(POSTFIX_DEFAULT_TIMERS[key] / clockScale));
  const scaled: PostfixTimers = {
    minimalBackoffS: scale('minimalBackoffS'),
    maximalBackoffS: scale('maximalBackoffS'),
    queueRunDelayS: scale('queueRunDelayS'),
    maximalQueueLifetimeS: scale('maximalQueueLifetimeS'),
    bounceQueueLifetimeS: scale('bounceQueueLifetimeS'),
    transportRetryS: scale('transportRetryS'),
  };
  const merged = { ...scaled, ...overrides };
  for (const [key, seconds] of Object.entries(merged) as [keyof PostfixTimers, number][]) {
    if (!Number.isInteger(seconds) || seconds < floorOf(key))
      throw new RangeError(`timer ${key} must be a whole number of seconds ≥ ${floorOf(key)}, got ${seconds}`);
  }
  // A deferred message is looked at only at a queue run: a run delay above the minimal backoff
  // would stretch every backoff, so the run delay is lowered, the maximal backoff raised.
  return {
    ...merged,
    queueRunDelayS: Math.min(merged.queueRunDelayS, merged.minimalBackoffS),
    maximalBackoffS: Math.max(merged.maximalBackoffS, merged.minimalBackoffS),
  };
}

/**
 * When Postfix will try a deferred message again, as its queue manager computes it: the
 * message's age, clamped to [minimal, maximal] backoff (qmgr_active.c), so the spacing
 * roughly doubles. The next queue scan may add up to queue_run_delay; this is the earliest.
 */
export function nextAttemptDelayS(timers: PostfixTimers, messageAgeS: number): number {
  return Math.min(timers.maximalBackoffS, Math.max(timers.minimalBackoffS, messageAgeS));
}
