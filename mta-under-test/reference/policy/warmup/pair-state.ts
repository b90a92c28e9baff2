/**
 * A warm-up's state per source and per (source, provider) pair, what it reads (target, stage,
 * hourly cap) and the records that say when it moves: the planner's data, apart from its
 * decisions (planner.ts).
 */
import { DAY_MS } from '../../../../kernel/index.ts';
import type { EpochMs } from '../../../../kernel/index.ts';
import type { PolicyRecord, ThrottleRecord } from '../../../accounting.ts';
import type { DayDecision, DayFigures } from './day-figures.ts';

export interface PairState {
  readonly source: string;
  readonly provider: string | null;
  readonly ladder: readonly number[];
  /** 0-based; `ladder.length` when complete. */
  stage: number;
  granted: number;
  /** Grants in the current hour of the warm-up (hourly plans), and that hour's index. */
  grantedThisHour: number;
  hour: number;
  figures: DayFigures;
}

export interface SourceState {
  readonly source: string;
  readonly startedAtMs: EpochMs;
  readonly startStage: number;
  /** The current warm-up day, 0-based. */
  day: number;
  readonly pairs: Map<string, PairState>;
}

export function stageRecord(
  planName: string,
  pair: PairState,
  decision: DayDecision,
  day: {
    readonly from: number;
    readonly day: number;
    readonly endMs: EpochMs;
    readonly nowMs: EpochMs;
    readonly detail: string;
  },
): PolicyRecord {
  const complete = isComplete(pair);
  const kind = complete ? 'complete' : decision.kind;
  const stages = pair.ladder.length;
  const move = `stage ${day.from + 1}/${stages} → ${complete ? 'complete' : `${pair.stage + 1}/${stages}`}`;
  return {
    type: 'Policy',
    atMs: day.nowMs,
    decision: `warmup.${kind}`,
    subject: subjectOf(pair),
    detail: `${planName} plan, warm-up day ${day.day + 1} (ended ${new Date(day.endMs).toISOString()}): ${move}; ${day.detail}`,
    rule: complete ? 'warmup.complete' : decision.rule,
  };
}

export function throttleRecord(
  planName: string,
  pair: PairState,
  atMs: EpochMs,
  fromStage: number | null,
  reason: string,
): ThrottleRecord {
  const evenRate = (stage: number | null): number | null =>
    stage === null || stage >= pair.ladder.length ? null : (pair.ladder[stage] as number) / 24;
  return {
    type: 'Throttle',
    atMs,
    scope: { source: pair.source, ...(pair.provider === null ? {} : { provider: pair.provider }) },
    ratePerHourBefore: evenRate(fromStage),
    ratePerHourAfter: evenRate(pair.stage),
    reason: `${reason}; ${isComplete(pair) ? 'no cap' : `${targetOf(pair)}/day`} (${planName} plan)`,
    rule: 'warmup.allowance',
  };
}

export function isComplete(pair: PairState): boolean {
  return pair.stage >= pair.ladder.length;
}

export function targetOf(pair: PairState): number {
  return pair.ladder[Math.min(pair.stage, pair.ladder.length - 1)] as number;
}

export function remainingShare(pair: PairState): number {
  return 1 - pair.granted / targetOf(pair);
}

/** An hourly plan's cap: the daily target ÷ 24, at least one message. */
export function hourlyCapOf(pair: PairState): number {
  return Math.max(1, Math.floor(targetOf(pair) / 24));
}

export function dayStartMs(state: SourceState, day: number): EpochMs {
  return state.startedAtMs + day * DAY_MS;
}

export function stageLabel(pair: PairState): string {
  return isComplete(pair) ? 'complete' : `${pair.stage + 1}/${pair.ladder.length}`;
}

export function subjectOf(pair: PairState): string {
  return `${pair.source} → ${pair.provider ?? 'any provider'}`;
}
