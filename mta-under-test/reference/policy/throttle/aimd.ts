/**
 * One AIMD decision, as a pure function of the state, the sample and the time: the deferral
 * share over the window decides, never a single reply (research/engines.md §9.2 item 4).
 *
 *   share ≥ highShare            → multiplicative decrease (from the observed rate when unthrottled), not below the floor
 *   share ≤ lowShare for calmMs  → additive increase; at or past the ceiling, unconstrained again
 *   in between                   → hold (hysteresis: no flapping around one threshold)
 */
import { HOUR_MS, MINUTE_MS } from '../../../../kernel/index.ts';
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';
import { formatDuration, formatRate, formatShare } from '../_internal/format.ts';
import type { ResolvedAdaptiveThrottleOptions } from './options.ts';

/** What the window says. */
export interface Sample {
  readonly attempts: number;
  readonly deferrals: number;
  readonly share: number;
  /** The sample's start: its oldest attempt's window edge. */
  readonly startMs: EpochMs;
  readonly spanMs: Milliseconds;
  /** Attempts per hour over the span. */
  readonly observedPerHour: number;
}

export type AimdRule =
  'throttle.aimd.decrease' | 'throttle.aimd.increase' | 'throttle.aimd.release' | 'throttle.aimd.hold';

export interface AimdState {
  /** Messages per hour; null: unconstrained. */
  readonly ratePerHour: number | null;
  /** Since when the share has stayed low; null when it has not. */
  readonly calmSinceMs: EpochMs | null;
  /** The last decision was a hold (a hold is recorded once, when it starts). */
  readonly holding: boolean;
}

export interface AimdDecision {
  readonly next: AimdState;
  /** The record to write, when the rate changed or a hold began. */
  readonly change: {
    readonly rule: AimdRule;
    readonly before: number | null;
    readonly after: number | null;
    readonly reason: string;
  } | null;
}

/** Builds a sample from (atMs, deferred) pairs, oldest first, over [startMs, nowMs]. */
export function sampleOf(
  events: readonly { readonly atMs: EpochMs; readonly value: boolean }[],
  startMs: EpochMs,
  nowMs: EpochMs,
): Sample {
  const deferrals = events.filter((event) => event.value).length;
  const spanMs = Math.max(nowMs - startMs, MINUTE_MS);
  return {
    attempts: events.length,
    deferrals,
    share: events.length === 0 ? 0 : deferrals / events.length,
    startMs,
    spanMs,
    observedPerHour: (events.length * HOUR_MS) / spanMs,
  };
}

export function describeSample(sample: Sample): string {
  return `deferral share ${formatShare(sample.share)} over ${sample.attempts} attempts in ${formatDuration(sample.spanMs)}`;
}

export function decideAimd(
  state: AimdState,
  sample: Sample,
  nowMs: EpochMs,
  options: ResolvedAdaptiveThrottleOptions,
): AimdDecision {
  const figures = describeSample(sample);
  const before = state.ratePerHour;
  if (sample.share >= options.highShare) {
    const base = before ?? sample.observedPerHour;
    const after = clamp(base * options.decreaseFactor, options.floorPerHour, options.ceilingPerHour);
    const next: AimdState = { ratePerHour: after, calmSinceMs: null, holding: false };
    if (before !== null && after >= before)
      return holdAt(
        state,
        next,
        `${figures} (≥ ${formatShare(options.highShare)}); already at the floor ${formatRate(before)}`,
      );
    const from = before === null ? `observed ${formatRate(sample.observedPerHour)}` : formatRate(before);
    return {
      next,
      change: {
        rule: 'throttle.aimd.decrease',
        before,
        after,
        reason: `${figures} (≥ ${formatShare(options.highShare)}): ${from} × ${options.decreaseFactor} → ${formatRate(after)}`,
      },
    };
  }
  if (sample.share <= options.lowShare) {
    const calmSinceMs = state.calmSinceMs ?? sample.startMs;
    if (before === null || nowMs - calmSinceMs < options.calmMs)
      return { next: { ratePerHour: before, calmSinceMs, holding: false }, change: null };
    const raised = before + options.increasePerHour;
    const calm = `${figures} (≤ ${formatShare(options.lowShare)}) for ${formatDuration(nowMs - calmSinceMs)}`;
    if (raised >= options.ceilingPerHour) {
      return {
        next: { ratePerHour: null, calmSinceMs, holding: false },
        change: {
          rule: 'throttle.aimd.release',
          before,
          after: null,
          reason: `${calm}: ${formatRate(before)} + ${options.increasePerHour} reaches the ceiling ${formatRate(options.ceilingPerHour)}, unconstrained`,
        },
      };
    }
    return {
      next: { ratePerHour: raised, calmSinceMs, holding: false },
      change: {
        rule: 'throttle.aimd.increase',
        before,
        after: raised,
        reason: `${calm}: ${formatRate(before)} + ${options.increasePerHour} → ${formatRate(raised)}`,
      },
    };
  }
  const next: AimdState = { ratePerHour: before, calmSinceMs: null, holding: before !== null };
  if (before === null) return { next, change: null };
  return holdAt(
    state,
    next,
    `${figures} (between ${formatShare(options.lowShare)} and ${formatShare(options.highShare)})`,
  );
}

function holdAt(state: AimdState, next: AimdState, reason: string): AimdDecision {
  const held: AimdState = { ...next, ratePerHour: state.ratePerHour, holding: true };
  if (state.holding) return { next: held, change: null };
  return {
    next: held,
    change: {
      rule: 'throttle.aimd.hold',
      before: state.ratePerHour,
      after: state.ratePerHour,
      reason: `${reason}: hold ${formatRate(state.ratePerHour)}`,
    },
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.round(value)));
}
