/**
 * The generic cell rate algorithm (GCRA), the limiter behind KumoMTA's `max_message_rate` and
 * `max_connection_rate` (research/engines.md §3.2: "new connections per source→site (GCRA)").
 * One number of state, the theoretical arrival time (TAT) of the next cell; a request for n cells
 * conforms when the TAT after it lies at most `burst` emission intervals past now.
 *
 * Pure and time-injected: every call takes `nowMs`. The arithmetic is exact for whole-millisecond
 * times: time is kept in "scaled" units of 1/count ms, so the emission interval `perMs / count` is
 * the whole number `perMs`, and the state is held relative to the last time seen, so it stays small.
 * That makes the guarantee "at most burst + rate × W cells in any window W" hold without rounding
 * slack.
 */
import { SECOND_MS } from '../../../../kernel/index.ts';
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';
import type { Rate } from './rate.ts';

/** How fast cells may pass, and how many may pass at once after a quiet spell. */
export type GcraOptions =
  { readonly perSecond: number; readonly burst?: number } | { readonly rate: Rate; readonly burst?: number };

/** Either the cells were taken, or the earliest time the same request would be admitted. */
export type GcraDecision = { readonly ok: true } | { readonly ok: false; readonly retryAtMs: EpochMs };

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

function readOptions(options: GcraOptions): { count: number; perMs: Milliseconds; burst: number } {
  const rate: Rate = 'rate' in options ? options.rate : { count: options.perSecond, perMs: SECOND_MS };
  if (!Number.isSafeInteger(rate.count) || rate.count < 1) {
    throw new RangeError(
      `GCRA count must be a whole number ≥ 1 (got ${rate.count}); use rate: { count, perMs } for slower rates`,
    );
  }
  if (!Number.isSafeInteger(rate.perMs) || rate.perMs < 1)
    throw new RangeError(`GCRA perMs must be a whole number ≥ 1 (got ${rate.perMs})`);
  // KumoMTA's throttle defaults the burst to the rate's count (`max_burst.unwrap_or(limit)`).
  const burst = options.burst ?? rate.maxBurst ?? rate.count;
  if (!Number.isSafeInteger(burst) || burst < 1)
    throw new RangeError(`GCRA burst must be a whole number ≥ 1 (got ${burst})`);
  return { count: rate.count, perMs: rate.perMs, burst };
}

export class Gcra {
  /** Cells per `perMs`, reduced by their common divisor so that scaled numbers stay small. */
  private readonly count: number;
  /** The emission interval in scaled units (1/count ms). */
  private readonly intervalScaled: number;
  /** `burst` emission intervals: how far the TAT may run ahead of now, in scaled units. */
  private readonly toleranceScaled: number;
  readonly burst: number;
  /** The last time seen; the state is held relative to it. */
  private originMs: EpochMs = Number.NEGATIVE_INFINITY;
  /** (TAT − originMs) × count, never below zero (a TAT in the past is the same as now). */
  private aheadScaled = 0;

  constructor(options: GcraOptions) {
    const { count, perMs, burst } = readOptions(options);
    const divisor = greatestCommonDivisor(count, perMs);
    this.count = count / divisor;
    this.intervalScaled = perMs / divisor;
    this.burst = burst;
    this.toleranceScaled = burst * this.intervalScaled;
  }

  /** How far the TAT lies ahead of `nowMs`, in scaled units. Time never runs backwards here. */
  private aheadAt(nowMs: EpochMs): number {
    const elapsedMs = nowMs - this.originMs;
    if (!(elapsedMs > 0)) return this.aheadScaled;
    // Once elapsed × count passes aheadScaled the limiter is idle; the product may be huge
    // (and inexact) then, but only the comparison matters.
    return Math.max(0, this.aheadScaled - elapsedMs * this.count);
  }

  /** The earliest time at which `cells` would conform, given `ahead` at `fromMs`. */
  private conformsAtMs(fromMs: EpochMs, ahead: number, cells: number): EpochMs {
    const excessScaled = ahead + cells * this.intervalScaled - this.toleranceScaled;
    // Rounded up to a whole millisecond, so a caller who waits exactly that long is admitted.
    return excessScaled <= 0 ? fromMs : fromMs + Math.ceil(excessScaled / this.count);
  }

  /** Takes `cells` (default 1) at `nowMs` if they conform; otherwise says when to come back. */
  tryTake(nowMs: EpochMs, cells = 1): GcraDecision {
    if (!Number.isSafeInteger(cells) || cells < 1)
      throw new RangeError(`cells must be a whole number ≥ 1 (got ${cells})`);
    if (cells > this.burst)
      throw new RangeError(`${cells} cells can never pass a limiter whose burst is ${this.burst}`);
    const fromMs = Math.max(nowMs, this.originMs);
    const ahead = this.aheadAt(nowMs);
    const conformsAtMs = this.conformsAtMs(fromMs, ahead, cells);
    if (conformsAtMs > fromMs) return { ok: false, retryAtMs: conformsAtMs };
    this.originMs = fromMs;
    this.aheadScaled = ahead + cells * this.intervalScaled;
    return { ok: true };
  }

  /** How many cells would pass at `nowMs` if taken one after another now (0 when none would). */
  availableAt(nowMs: EpochMs): number {
    const roomScaled = this.toleranceScaled - this.aheadAt(nowMs);
    return roomScaled <= 0 ? 0 : Math.min(this.burst, Math.floor(roomScaled / this.intervalScaled));
  }

  /** The earliest time one cell would pass, without taking it: `nowMs` when one passes now. */
  nextFreeAtMs(nowMs: EpochMs): EpochMs {
    return this.conformsAtMs(Math.max(nowMs, this.originMs), this.aheadAt(nowMs), 1);
  }
}
