/**
 * What a figure's interval says about it, against a tolerance (tachometer's "horizons"): the
 * gate calls a regression only when the whole interval lies beyond the tolerance on the bad
 * side, and says it cannot tell when the interval straddles that line. A figure is settled
 * once its interval clears both lines, −tolerance and +tolerance; one that has only cleared
 * the bad line is not a regression, though whether it improved is open. Pure.
 */
import { locationInterval } from './stats.ts';
import type { Interval } from './stats.ts';

/** A throughput is better higher; a work count (events, bytes) better lower. */
export type Better = 'higher' | 'lower';

export type Verdict =
  /** The whole interval is beyond the tolerance on the bad side. */
  | 'regression'
  /** The whole interval is beyond the tolerance on the good side. */
  | 'improvement'
  /** The whole interval is within ± the tolerance. */
  | 'unchanged'
  /** Not a regression (the interval clears the bad line), but it reaches past the good one. */
  | 'no-regression'
  /** The interval straddles the bad line: more samples are needed, or the run says it cannot tell. */
  | 'undecided';

/** Settled verdicts: sampling this figure further could not change what the gate says of it. */
export function isSettled(verdict: Verdict): boolean {
  return verdict === 'regression' || verdict === 'improvement' || verdict === 'unchanged';
}

/**
 * The verdict on an interval of log changes (B against A, or a run against its baseline),
 * `better` saying which direction is good and `tolerance` the relative change that matters.
 */
export function verdictOf(interval: Pick<Interval, 'low' | 'high'>, better: Better, tolerance: number): Verdict {
  if (!(tolerance > 0 && tolerance < 1)) throw new RangeError(`tolerance must be in (0, 1) (got ${tolerance})`);
  // Turn the interval so that positive is better, then compare with ln(1 − t) and ln(1 + t).
  const low = better === 'higher' ? interval.low : -interval.high;
  const high = better === 'higher' ? interval.high : -interval.low;
  const worse = Math.log(1 - tolerance);
  const improved = Math.log(1 + tolerance);
  if (high < worse) return 'regression';
  if (low > improved) return 'improvement';
  if (low > worse && high < improved) return 'unchanged';
  if (low > worse) return 'no-regression';
  return 'undecided';
}

/** A figure that does not vary for a seed (a work count) needs no interval: its one change is exact. */
export function exactInterval(logChange: number): Interval {
  return { estimate: logChange, low: logChange, high: logChange, confidence: 1, samples: 1 };
}

export interface FigureJudgement {
  readonly interval: Interval;
  readonly verdict: Verdict;
}

export function judge(
  changes: readonly number[],
  better: Better,
  tolerance: number,
  confidence: number,
): FigureJudgement {
  const interval = locationInterval(changes, confidence);
  return { interval, verdict: verdictOf(interval, better, tolerance) };
}
