/**
 * The warm-up planner: which warming source may take a delivery today, how fast, and whether
 * its stage moves at the day's end (research/engines.md §8.4, §9.2 item 5; the mechanism the
 * SparkPost and SendGrid automated warm-ups describe, research/peers.md §6.2).
 *
 * State is per warming source × provider: a stage in the provider's ladder and the day's
 * figures. A warm-up day is the source's own: day n runs from `startedAtMs + (n−1) × 24 h`, the
 * "warm-up age" of SendGrid's table. Time comes only from arguments (the request's `atMs`, the
 * record's `atMs`, `nowMs`). A day closes the first time the planner is called, or sees a
 * record, at or after its end; its records carry the time of that call (the moment the sender
 * could know) so the log stays in time order, and the day's end in `detail`. The engine emits
 * records in time order, so when a day closes all of its attempts have been seen; a complaint
 * counts on the day it arrives.
 *
 * Allowance. `chooseSource` grants a warming source while the recipients it was given today,
 * plus this delivery's, stay within the stage's daily target (and, for a plan whose allowance
 * counts per hour, within target ÷ 24 in the current hour of the warm-up). A grant is counted
 * when it is made, not when the attempt happens, so a campaign injected at once cannot over-fill
 * the source; a retry or a hand-back routes again and counts again (conservative). When nothing
 * can take a delivery, it is held until the next allowance: the next hour (hourly plans) or the
 * next warm-up day. A delivery with more recipients than a whole period allows would wait for
 * ever; an untouched warming source takes it instead (at most one such delivery per period).
 *
 * Pace. For daily plans `pathRatePerHour` is the stage's allowance not yet attempted today,
 * spread over the hours left in the day (at least one minute): the warming IP sends evenly, and
 * still uses its allowance when a campaign arrives late in the day. For hourly plans it is the
 * hour's cap. The Throttle records carry the stage's even hourly rate (target ÷ 24). Each path
 * (source → site) gets that rate; the grants cap the provider as a whole.
 */
import { DAY_MS, domainOf, HOUR_MS, MINUTE_MS } from '../../../../kernel/index.ts';
import type { EpochMs } from '../../../../kernel/index.ts';
import type { AccountingRecord, PolicyRecord, ThrottleRecord } from '../../../accounting.ts';
import type { EgressSource } from '../../core/egress.ts';
import type { DecisionEmitter, SourceChoice, SourceRequest } from '../../core/policy.ts';
import {
  BLOCK_CLASSES,
  DEFAULT_WARMUP_THRESHOLDS,
  decideDay,
  describeDayFigures,
  emptyDayFigures,
} from './day-figures.ts';
import type { WarmupThresholds } from './day-figures.ts';
import { resolveLadder, validatePlan } from './plan.ts';
import type { WarmupPlan } from './plan.ts';
import { RoundRobin } from './rotation.ts';
import {
  dayStartMs,
  hourlyCapOf,
  isComplete,
  remainingShare,
  stageLabel,
  stageRecord,
  targetOf,
  throttleRecord,
} from './pair-state.ts';
import type { PairState, SourceState } from './pair-state.ts';

export interface WarmingSource {
  /** The egress source's name. */
  readonly source: string;
  /** When its warm-up began: day 1 starts here. */
  readonly startedAtMs: EpochMs;
  /** The stage it starts at (1-based), for a source warmed part of the way before. @defaultValue 1 */
  readonly startStage?: number;
}

export interface WarmupPlannerOptions {
  readonly plan: WarmupPlan;
  readonly sources: readonly WarmingSource[];
  /** @defaultValue DEFAULT_WARMUP_THRESHOLDS */
  readonly thresholds?: Partial<WarmupThresholds>;
  /**
   * Per pool name, the warm sources that take what the pool's own sources cannot (SparkPost's
   * "overflow pool"); `*` for every pool. Used only when the pool has no warm source of its own.
   */
  readonly overflow?: Readonly<Record<string, readonly EgressSource[]>>;
  /**
   * How many deliveries the planner remembers to tie a later complaint (a Feedback record has
   * no source) to the source and provider that delivered it; the oldest are forgotten first.
   * @defaultValue 500_000 (@assumption: a bound on memory, a few days of a late stage)
   */
  readonly complaintMemoryMax?: number;
}

/** A source × provider's warm-up state now. */
export interface Allowance {
  readonly source: string;
  readonly provider: string | null;
  /** 1-based; `stages + 1` once complete. */
  readonly stage: number;
  readonly stages: number;
  readonly complete: boolean;
  /** The stage's daily target; null once complete (no cap). */
  readonly targetPerDay: number | null;
  /** Recipients granted today by `chooseSource`. */
  readonly grantedToday: number;
  /** Attempts recorded today. */
  readonly attemptedToday: number;
  /** What `chooseSource` may still grant today, never below 0; null once complete. */
  readonly remainingToday: number | null;
  /** What `pathRatePerHour` answers now; null once complete. */
  readonly ratePerHour: number | null;
  readonly dayStartMs: EpochMs;
  readonly dayEndMs: EpochMs;
}

const ANY_PROVIDER = '*';
/** The `overflow` key for every pool. */
export const ANY_POOL = '*';
const DEFAULT_COMPLAINT_MEMORY_MAX = 500_000;

export class WarmupPlanner {
  readonly plan: WarmupPlan;
  readonly thresholds: WarmupThresholds;
  private readonly sources = new Map<string, SourceState>();
  private readonly overflow: Readonly<Record<string, readonly EgressSource[]>>;
  private readonly rotation = new RoundRobin();
  /** `messageId domain` → the warming source and provider that delivered it. */
  private readonly delivered = new Map<string, { readonly source: string; readonly provider: string | null }>();
  private readonly complaintMemoryMax: number;
  private emit: DecisionEmitter = () => undefined;

  constructor(options: WarmupPlannerOptions) {
    const issues = validatePlan(options.plan).map((issue) => `plan.${issue.path}: ${issue.message}`);
    options.sources.forEach((source, index) => {
      if (this.sources.has(source.source)) issues.push(`sources[${index}].source: '${source.source}' is named twice`);
      const startStage = source.startStage ?? 1;
      if (!(Number.isSafeInteger(startStage) && startStage >= 1))
        issues.push(`sources[${index}].startStage: must be a whole number ≥ 1 (got ${startStage})`);
      this.sources.set(source.source, {
        source: source.source,
        startedAtMs: source.startedAtMs,
        startStage,
        day: 0,
        pairs: new Map(),
      });
    });
    if (issues.length > 0)
      throw new RangeError(`invalid warm-up planner options:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.plan = options.plan;
    this.thresholds = { ...DEFAULT_WARMUP_THRESHOLDS, ...options.thresholds };
    this.overflow = options.overflow ?? {};
    this.complaintMemoryMax = options.complaintMemoryMax ?? DEFAULT_COMPLAINT_MEMORY_MAX;
  }

  attach(emit: DecisionEmitter): void {
    this.emit = emit;
  }

  /** Whether `source` is warming towards `provider` now (started, not complete). */
  isWarming(source: string, provider: string | null, nowMs: EpochMs): boolean {
    this.rollAll(nowMs);
    const state = this.sources.get(source);
    return state !== undefined && nowMs >= state.startedAtMs && !isComplete(this.pair(state, provider, nowMs));
  }

  /** Prefer warming sources with allowance, then the pool's warm sources, then the overflow; else hold. */
  chooseSource(request: SourceRequest): SourceChoice | undefined {
    const nowMs = request.atMs;
    this.rollAll(nowMs);
    const warming: { readonly candidate: EgressSource; readonly pair: PairState; readonly state: SourceState }[] = [];
    const warm: EgressSource[] = [];
    const holdUntil: EpochMs[] = [];
    for (const candidate of request.candidates) {
      const state = this.sources.get(candidate.name);
      if (state === undefined) warm.push(candidate);
      else if (nowMs < state.startedAtMs) holdUntil.push(state.startedAtMs);
      else {
        const pair = this.pair(state, request.provider, nowMs);
        if (isComplete(pair)) warm.push(candidate);
        else warming.push({ candidate, pair, state });
      }
    }
    if (warming.length === 0 && holdUntil.length === 0) return undefined;
    const fitting = warming.filter(({ pair, state }) => this.fits(state, pair, request.recipients, nowMs));
    const best = fitting.reduce<(typeof fitting)[number] | undefined>(
      (top, entry) => (top === undefined || remainingShare(entry.pair) > remainingShare(top.pair) ? entry : top),
      undefined,
    );
    if (best !== undefined) {
      best.pair.granted += request.recipients;
      best.pair.grantedThisHour += request.recipients;
      return { source: best.candidate };
    }
    const warmPick = this.rotation.pick(`pool:${request.pool}`, warm);
    if (warmPick !== undefined) return { source: warmPick };
    const overflow = (this.overflow[request.pool] ?? this.overflow[ANY_POOL] ?? []).filter(
      (source) => !this.isWarming(source.name, request.provider, nowMs),
    );
    const overflowPick = this.rotation.pick(`overflow:${request.pool}`, overflow);
    if (overflowPick !== undefined) return { source: overflowPick };
    // A delivery larger than a whole period's allowance would wait for ever: an untouched warming source takes it.
    const oversized = warming.find(({ pair }) => this.takesOversized(pair, request.recipients));
    if (oversized !== undefined) {
      oversized.pair.granted += request.recipients;
      oversized.pair.grantedThisHour += request.recipients;
      return { source: oversized.candidate };
    }
    for (const { state, pair } of warming) holdUntil.push(this.nextAllowanceMs(state, pair, request.recipients));
    return { holdUntilMs: Math.min(...holdUntil) };
  }

  /**
   * Whether a delivery too large for any period of the stage may go anyway: only when nothing
   * was granted in the period (the day; the hour for hourly plans), so the overshoot is at most
   * one delivery per period. Called after `fits`, which has brought the pair's hour up to date.
   */
  private takesOversized(pair: PairState, recipients: number): boolean {
    if (this.plan.allowancePeriod !== 'hour') return recipients > targetOf(pair) && pair.granted === 0;
    if (!(recipients > hourlyCapOf(pair)) || pair.grantedThisHour !== 0) return false;
    return pair.granted === 0 || pair.granted + recipients <= targetOf(pair);
  }

  /** Whether the pair may take `recipients` more now: within the day's target, and the hour's cap for hourly plans. */
  private fits(state: SourceState, pair: PairState, recipients: number, nowMs: EpochMs): boolean {
    if (pair.granted + recipients > targetOf(pair)) return false;
    if (this.plan.allowancePeriod !== 'hour') return true;
    const hour = Math.floor((nowMs - state.startedAtMs) / HOUR_MS);
    if (pair.hour !== hour) {
      pair.hour = hour;
      pair.grantedThisHour = 0;
    }
    return pair.grantedThisHour + recipients <= hourlyCapOf(pair);
  }

  /** When the pair's allowance next renews: the next hour while the day has room (hourly plans), else the next day. */
  private nextAllowanceMs(state: SourceState, pair: PairState, recipients: number): EpochMs {
    const dayEndMs = dayStartMs(state, state.day + 1);
    if (this.plan.allowancePeriod !== 'hour' || pair.granted + recipients > targetOf(pair)) return dayEndMs;
    return Math.min(dayEndMs, state.startedAtMs + (pair.hour + 1) * HOUR_MS);
  }

  /** The warming pace of a path: the allowance not yet attempted today over the hours left; null when not warming. */
  pathRatePerHour(
    path: { readonly source: string; readonly site: string; readonly provider: string | null },
    nowMs: EpochMs,
  ): number | null {
    this.rollAll(nowMs);
    const state = this.sources.get(path.source);
    if (state === undefined || nowMs < state.startedAtMs) return null;
    const pair = this.pair(state, path.provider, nowMs);
    return isComplete(pair) ? null : this.paceOf(pair, dayStartMs(state, state.day + 1) - nowMs);
  }

  /** Learns the day's figures from the engine's attempt and Feedback records. */
  observe(record: AccountingRecord): void {
    // Any record's time closes the days that ended before it (Policy and Throttle records may be the planner's own).
    if (record.type !== 'Policy' && record.type !== 'Throttle') this.rollAll(record.atMs);
    if (record.type === 'Feedback') {
      const from = this.delivered.get(`${record.messageId} ${domainOf(record.recipient)}`);
      if (from === undefined) return;
      const state = this.sources.get(from.source);
      if (state !== undefined) this.pair(state, from.provider, record.atMs).figures.complaints++;
      return;
    }
    if (record.type !== 'Delivery' && record.type !== 'Bounce' && record.type !== 'TransientFailure') return;
    if (record.source === undefined) return;
    const state = this.sources.get(record.source);
    if (state === undefined || record.atMs < state.startedAtMs) return;
    const provider = record.provider ?? null;
    const pair = this.pair(state, provider, record.atMs);
    if (isComplete(pair)) return;
    const figures = pair.figures;
    figures.attempts++;
    if (BLOCK_CLASSES.has(record.class)) figures.blocked++;
    else if (record.type === 'Delivery') figures.delivered++;
    else if (record.type === 'TransientFailure') figures.deferred++;
    else figures.bounced++;
    if (record.type === 'Delivery')
      this.remember(`${record.messageId} ${domainOf(record.recipient)}`, { source: state.source, provider });
  }

  /** A source × provider's stage, today's allowance and pace, at `nowMs`. */
  allowance(source: string, provider: string | null, nowMs: EpochMs): Allowance | undefined {
    this.rollAll(nowMs);
    const state = this.sources.get(source);
    if (state === undefined) return undefined;
    const pair = this.pair(state, provider, nowMs);
    const complete = isComplete(pair);
    const dayEndMs = dayStartMs(state, state.day + 1);
    return {
      source,
      provider,
      stage: pair.stage + 1,
      stages: pair.ladder.length,
      complete,
      targetPerDay: complete ? null : targetOf(pair),
      grantedToday: pair.granted,
      attemptedToday: pair.figures.attempts,
      remainingToday: complete ? null : Math.max(0, targetOf(pair) - pair.granted),
      ratePerHour: complete || nowMs < state.startedAtMs ? null : this.paceOf(pair, dayEndMs - nowMs),
      dayStartMs: dayStartMs(state, state.day),
      dayEndMs,
    };
  }

  // ── days ──────────────────────────────────────────────────────────────────────────────

  /** Closes every day that ended at or before `nowMs`, for every source. */
  private rollAll(nowMs: EpochMs): void {
    for (const state of this.sources.values()) this.roll(state, nowMs);
  }

  private roll(state: SourceState, nowMs: EpochMs): void {
    if (nowMs < state.startedAtMs) return;
    const today = Math.floor((nowMs - state.startedAtMs) / DAY_MS);
    while (state.day < today) {
      const closing = state.day;
      const endMs = dayStartMs(state, closing + 1);
      const records: (PolicyRecord | ThrottleRecord)[] = [];
      for (const pair of state.pairs.values()) records.push(...this.closeDay(pair, { day: closing, endMs, nowMs }));
      // An idle day changes nothing, and neither does any idle day after it: jump to today.
      state.day = records.length > 0 ? closing + 1 : today;
      for (const record of records) this.emit(record);
    }
  }

  /** Applies a day's decision to one pair and returns the records that say so. */
  private closeDay(
    pair: PairState,
    closing: { readonly day: number; readonly endMs: EpochMs; readonly nowMs: EpochMs },
  ): (PolicyRecord | ThrottleRecord)[] {
    const figures = pair.figures;
    pair.figures = emptyDayFigures();
    pair.granted = 0;
    pair.grantedThisHour = 0;
    if (isComplete(pair)) return [];
    const target = targetOf(pair);
    const decision = decideDay(figures, target, this.thresholds);
    if (decision.kind === 'idle') return [];
    const from = pair.stage;
    if (decision.kind === 'advance') pair.stage = from + 1;
    if (decision.kind === 'step-back') pair.stage = Math.max(0, from - this.thresholds.stepBackStages);
    const records: (PolicyRecord | ThrottleRecord)[] = [
      stageRecord(this.plan.name, pair, decision, { ...closing, from, detail: describeDayFigures(figures, target) }),
    ];
    if (pair.stage !== from)
      records.push(
        throttleRecord(
          this.plan.name,
          pair,
          closing.nowMs,
          from,
          `warm-up stage ${from + 1} → ${stageLabel(pair)} (${decision.kind})`,
        ),
      );
    return records;
  }

  // ── state ─────────────────────────────────────────────────────────────────────────────

  /** The pair's state, made at the source's start stage the first time the provider is seen. */
  private pair(state: SourceState, provider: string | null, nowMs: EpochMs): PairState {
    const key = provider ?? ANY_PROVIDER;
    let pair = state.pairs.get(key);
    if (pair === undefined) {
      const ladder = resolveLadder(this.plan, provider);
      pair = {
        source: state.source,
        provider,
        ladder,
        stage: Math.min(state.startStage - 1, ladder.length),
        granted: 0,
        grantedThisHour: 0,
        hour: -1,
        figures: emptyDayFigures(),
      };
      state.pairs.set(key, pair);
      this.emit(throttleRecord(this.plan.name, pair, nowMs, null, `warm-up starts at stage ${stageLabel(pair)}`));
    }
    return pair;
  }

  /** Daily plans: the allowance not yet attempted today over the time left in the day (at least a minute); hourly plans: the hour's cap. */
  private paceOf(pair: PairState, leftMs: number): number {
    if (this.plan.allowancePeriod === 'hour') return hourlyCapOf(pair);
    const remaining = Math.max(1, targetOf(pair) - pair.figures.attempts);
    return remaining / (Math.max(leftMs, MINUTE_MS) / HOUR_MS);
  }

  private remember(key: string, from: { readonly source: string; readonly provider: string | null }): void {
    this.delivered.set(key, from);
    if (this.delivered.size > this.complaintMemoryMax) {
      const oldest = this.delivered.keys().next();
      if (oldest.done !== true) this.delivered.delete(oldest.value);
    }
  }
}
