/**
 * The adaptive throttle's thresholds: input with documented defaults, resolved with every
 * field present. The shape is the one KumoCorp/kumomta#54 asked for and PR #594
 * (`AdjustConfig`: a decrease percentage, a floor, a ramp-up interval) drafts
 * (research/engines.md §3.11, §9.2 item 4); no receiver publishes the deferral share it
 * tolerates, so the shares and steps are `@assumption`s.
 */
import { MINUTE_MS } from '../../../../kernel/index.ts';
import type { Class, Milliseconds } from '../../../../kernel/index.ts';
import { requirePositive, requireWithin, resolveOptions } from '../_internal/options.ts';
import type { Resolved } from '../_internal/options.ts';
import { STRONG_SIGNALS } from './strong-signals.ts';
import type { StrongSignal } from './strong-signals.ts';

export interface AdaptiveThrottleOptions {
  /**
   * Classes that count as "the receiver wants less": the deferral share's numerator. Greylisting
   * is not about rate and stays out; so does the detector's `disguised-policy-block`, which slows
   * its own path. @defaultValue rate-limited, too-many-connections, reputation-block
   */
  readonly deferralClasses?: readonly Class[];
  /** The window the share is measured over. @defaultValue 10 minutes — @assumption */
  readonly windowMs?: Milliseconds;
  /**
   * When the window holds fewer than `minAttempts` (a slow path), the sample reaches back up to
   * this far for them. @defaultValue 60 minutes — @assumption
   */
  readonly windowMsMax?: Milliseconds;
  /** No decision on fewer attempts: single replies never throttle. @defaultValue 20 — @assumption */
  readonly minAttempts?: number;
  /** At most one decision per interval. @defaultValue 5 minutes — @assumption */
  readonly adjustIntervalMs?: Milliseconds;
  /** A share at or above this decreases the rate. @defaultValue 0.2 — @assumption */
  readonly highShare?: number;
  /** A share at or below this, for `calmMs`, increases it; between the two the rate holds (hysteresis). @defaultValue 0.05 — @assumption */
  readonly lowShare?: number;
  /** How long the share must stay low before the first increase. @defaultValue 15 minutes — @assumption */
  readonly calmMs?: Milliseconds;
  /**
   * The multiplicative decrease: the new rate is this share of the current one (of the
   * observed send rate when not yet throttled). @defaultValue 0.5 — TCP's halving; @assumption
   */
  readonly decreaseFactor?: number;
  /** The additive increase per interval, in messages per hour. @defaultValue 240 — @assumption (floor to ceiling in about 2 h) */
  readonly increasePerHour?: number;
  /**
   * The lowest rate the throttle sets, and where it restarts after a strong-signal suspension.
   * @defaultValue 60 per hour — KumoMTA's default automation throttles reputation events to
   * `max_message_rate = 1/minute` (KUMO-X, facts §2)
   */
  readonly floorPerHour?: number;
  /**
   * Past this the throttle lets go (unconstrained again). @defaultValue 6,000 per hour (100 a
   * minute) — @assumption: ten times KumoMTA's Gmail override of 10/minute (KUMO-C).
   */
  readonly ceilingPerHour?: number;
  /** The strong signals that suspend at once. @defaultValue STRONG_SIGNALS */
  readonly strongSignals?: readonly StrongSignal[];
}

export type ResolvedAdaptiveThrottleOptions = Resolved<AdaptiveThrottleOptions>;

export const ADAPTIVE_THROTTLE_DEFAULTS: ResolvedAdaptiveThrottleOptions = {
  deferralClasses: ['rate-limited', 'too-many-connections', 'reputation-block'],
  windowMs: 10 * MINUTE_MS,
  windowMsMax: 60 * MINUTE_MS,
  minAttempts: 20,
  adjustIntervalMs: 5 * MINUTE_MS,
  highShare: 0.2,
  lowShare: 0.05,
  calmMs: 15 * MINUTE_MS,
  decreaseFactor: 0.5,
  increasePerHour: 240,
  floorPerHour: 60,
  ceilingPerHour: 6_000,
  strongSignals: STRONG_SIGNALS,
};

export function validateAdaptiveThrottleOptions(options: ResolvedAdaptiveThrottleOptions): string[] {
  const problems: string[] = [];
  for (const field of [
    'windowMs',
    'windowMsMax',
    'minAttempts',
    'adjustIntervalMs',
    'calmMs',
    'increasePerHour',
    'floorPerHour',
    'ceilingPerHour',
  ] as const) {
    requirePositive(problems, field, options[field]);
  }
  requireWithin(problems, 'highShare', options.highShare, 0, 1);
  requireWithin(problems, 'lowShare', options.lowShare, 0, 1);
  if (!(options.decreaseFactor > 0 && options.decreaseFactor < 1))
    problems.push(`decreaseFactor: must be in (0, 1) (got ${options.decreaseFactor})`);
  if (options.lowShare >= options.highShare)
    problems.push(`lowShare: must be below highShare (${options.lowShare} ≥ ${options.highShare})`);
  if (options.floorPerHour >= options.ceilingPerHour)
    problems.push(`floorPerHour: must be below ceilingPerHour (${options.floorPerHour} ≥ ${options.ceilingPerHour})`);
  if (options.windowMsMax < options.windowMs)
    problems.push(`windowMsMax: must be ≥ windowMs (${options.windowMsMax} < ${options.windowMs})`);
  options.strongSignals.forEach((signal, index) => {
    if (!(Number.isInteger(signal.count) && signal.count >= 1))
      problems.push(`strongSignals[${index}].count: must be an integer ≥ 1 (got ${signal.count})`);
    requirePositive(problems, `strongSignals[${index}].windowMs`, signal.windowMs);
    requirePositive(problems, `strongSignals[${index}].suspendMs`, signal.suspendMs);
    if (signal.pattern === undefined && (signal.classes ?? []).length === 0)
      problems.push(`strongSignals[${index}]: needs a pattern or classes`);
  });
  return problems;
}

export function resolveAdaptiveThrottleOptions(options: AdaptiveThrottleOptions = {}): ResolvedAdaptiveThrottleOptions {
  return resolveOptions('adaptive-throttle', ADAPTIVE_THROTTLE_DEFAULTS, options, validateAdaptiveThrottleOptions);
}
