/**
 * The detector's rate caps on paths (source → site) whose gateway answers with disguised
 * refusals: the "slow down to that domain" of TAXONOMY's right action for
 * `disguised-policy-block`. A cap starts low, stays there through the cool-down, then rises by
 * a step each further cool-down without a disguised refusal, and lifts `holdMs` after the last
 * one — a gradual return, so the end of a cap is not a flood that trips the gateway again
 * (the ramp KumoCorp/kumomta#54 asks for, research/engines.md §3.11). A new disguised refusal
 * puts the cap back at its start. Every change is a Throttle record, dated when it took effect.
 */
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';
import type { ThrottleRecord } from '../../../accounting.ts';
import type { DecisionEmitter } from '../../core/policy.ts';
import { formatDuration, formatInstant, formatRate } from '../_internal/format.ts';

export interface SlowDownOptions {
  /** The cap right after a disguised refusal, per hour. */
  readonly startPerHour: number;
  /** Added at each step. */
  readonly increasePerHour: number;
  /** The first step comes one step after the last disguised refusal; then one per step. */
  readonly stepMs: Milliseconds;
  /** The cap lifts this long after the last disguised refusal. */
  readonly holdMs: Milliseconds;
}

interface SlowDown {
  readonly source: string;
  readonly site: string;
  readonly lastDisguiseMs: EpochMs;
  /** The rate last put on record. */
  recordedPerHour: number;
}

export class SlowDowns {
  private readonly caps = new Map<string, SlowDown>();

  constructor(
    private readonly options: SlowDownOptions,
    private readonly emit: () => DecisionEmitter,
  ) {}

  /** A disguised refusal on the path: the cap (back) at its start. */
  slowDown(path: { readonly source: string; readonly site: string }, nowMs: EpochMs, why: string): void {
    this.advance(nowMs);
    const key = `${path.source}->${path.site}`;
    const current = this.caps.get(key);
    const start = this.options.startPerHour;
    this.caps.set(key, { source: path.source, site: path.site, lastDisguiseMs: nowMs, recordedPerHour: start });
    if (current?.recordedPerHour === start) return;
    const reason = `${why}; ${formatRate(start)}, +${this.options.increasePerHour}/h every ${formatDuration(this.options.stepMs)} without one after the first, lifted ${formatDuration(this.options.holdMs)} after the last`;
    this.record(path, nowMs, current?.recordedPerHour ?? null, start, reason, 'bogus.slow-down');
  }

  /** The cap on the path now, or null. */
  ratePerHour(path: { readonly source: string; readonly site: string }, nowMs: EpochMs): number | null {
    this.advance(nowMs);
    const cap = this.caps.get(`${path.source}->${path.site}`);
    return cap === undefined ? null : this.rateAt(cap, nowMs);
  }

  /** Puts every step and lift due by `nowMs` on record, each dated when it took effect. */
  advance(nowMs: EpochMs): void {
    for (const [key, cap] of this.caps) {
      const liftAtMs = cap.lastDisguiseMs + this.options.holdMs;
      const upToMs = Math.min(nowMs, liftAtMs - 1);
      const recordedSteps = Math.round(
        (cap.recordedPerHour - this.options.startPerHour) / this.options.increasePerHour,
      );
      for (let step = recordedSteps + 1; cap.lastDisguiseMs + (step + 1) * this.options.stepMs <= upToMs; step++) {
        const rate = this.options.startPerHour + step * this.options.increasePerHour;
        const atMs = cap.lastDisguiseMs + (step + 1) * this.options.stepMs;
        this.record(
          cap,
          atMs,
          cap.recordedPerHour,
          rate,
          `no disguised refusal since ${formatInstant(cap.lastDisguiseMs)}: ${formatRate(cap.recordedPerHour)} + ${this.options.increasePerHour}/h`,
          'bogus.slow-down.increase',
        );
        cap.recordedPerHour = rate;
      }
      if (nowMs < liftAtMs) continue;
      this.caps.delete(key);
      this.record(
        cap,
        liftAtMs,
        cap.recordedPerHour,
        null,
        `no disguised refusal since ${formatInstant(cap.lastDisguiseMs)} (${formatDuration(this.options.holdMs)})`,
        'bogus.slow-down.expired',
      );
    }
  }

  /** Steps taken by `nowMs`: none during the first step (the cool-down), then one per step. */
  private stepsAt(cap: SlowDown, nowMs: EpochMs): number {
    return Math.max(0, Math.floor((nowMs - cap.lastDisguiseMs) / this.options.stepMs) - 1);
  }

  private rateAt(cap: SlowDown, nowMs: EpochMs): number {
    return this.options.startPerHour + this.stepsAt(cap, nowMs) * this.options.increasePerHour;
  }

  private record(
    path: { readonly source: string; readonly site: string },
    atMs: EpochMs,
    before: number | null,
    after: number | null,
    reason: string,
    rule: string,
  ): void {
    const record: ThrottleRecord = {
      type: 'Throttle',
      atMs,
      scope: { source: path.source, site: path.site },
      ratePerHourBefore: before,
      ratePerHourAfter: after,
      reason,
      rule,
    };
    this.emit()(record);
  }
}
