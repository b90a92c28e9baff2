/**
 * The gate's statistics: where a set of changes lies, with a confidence interval that does not
 * assume the noise is normal. Timing noise on a shared machine is skewed and has outliers (a
 * neighbour's burst slows one sample by half), so the estimate is the Hodges-Lehmann estimator
 * (the median of the Walsh averages) and its interval comes from the exact distribution of the
 * Wilcoxon signed-rank statistic (Hollander & Wolfe, Nonparametric Statistical Methods, 3.2), as
 * Google Benchmark's compare.py and criterion.rs lean on rank tests for the same reason.
 *
 * A change is a natural logarithm of a ratio (ln(B ÷ A) for a pair measured back to back, or
 * ln(x ÷ baseline)), so a slowdown and a speed-up of the same factor are symmetric and the
 * interval maps back to a ratio by exp(). Pure: tested on synthetic and recorded sample sets.
 */

/**
 * Above this many changes the normal approximation of the signed-rank statistic is used. Below
 * it the counts are exact or, past 2^53, rounded to a relative 1e-16, which no probability here
 * notices; a gate never gets near either.
 */
const EXACT_MAX = 200;

export interface Interval {
  /** The Hodges-Lehmann estimate of the change (a log ratio). */
  readonly estimate: number;
  /** Bounds of the confidence interval; ±Infinity when too few changes can bound it. */
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  readonly samples: number;
}

/** Counts of subsets of {1…n} by their sum: the signed-rank statistic's null distribution × 2^n. */
function signedRankCounts(n: number): Float64Array {
  const maxSum = (n * (n + 1)) / 2;
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank++)
    for (let sum = maxSum; sum >= rank; sum--) counts[sum] = (counts[sum] ?? 0) + (counts[sum - rank] ?? 0);
  return counts;
}

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1) (got ${p})`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (coefficients: readonly number[], x: number): number =>
    coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
  const tail = (q: number): number => {
    const r = Math.sqrt(-2 * Math.log(q));
    return poly(c, r) / (poly(d, r) * r + 1);
  };
  if (p < 0.02425) return tail(p);
  if (p > 1 - 0.02425) return -tail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/**
 * How many Walsh averages lie outside the interval on each side: the largest k with
 * P(T ≤ k − 1) ≤ (1 − confidence) ÷ 2 under the null hypothesis. 0 means no interval is possible
 * (at 95 %, fewer than 6 changes).
 */
export function signedRankCutoff(n: number, confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1) (got ${confidence})`);
  const alphaHalf = (1 - confidence) / 2;
  if (n > EXACT_MAX) {
    const mean = (n * (n + 1)) / 4;
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    return Math.max(0, Math.floor(mean + normalQuantile(alphaHalf) * sd + 0.5));
  }
  const counts = signedRankCounts(n);
  const total = 2 ** n;
  let cumulative = 0;
  let k = 0;
  while (k < counts.length) {
    cumulative += counts[k] ?? 0;
    if (cumulative / total > alphaHalf) break;
    k++;
  }
  return k;
}

/** The n(n+1)/2 averages of every pair of changes, each with itself included, sorted. */
function walshAverages(changes: readonly number[]): Float64Array {
  const n = changes.length;
  const averages = new Float64Array((n * (n + 1)) / 2);
  let index = 0;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) averages[index++] = ((changes[i] ?? 0) + (changes[j] ?? 0)) / 2;
  return averages.sort();
}

function medianOfSorted(sorted: Float64Array): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The Hodges-Lehmann estimate of the changes' centre and its signed-rank confidence interval. */
export function locationInterval(changes: readonly number[], confidence = 0.95): Interval {
  if (changes.length === 0) throw new RangeError('locationInterval: no changes');
  const bad = changes.find((change) => !Number.isFinite(change));
  if (bad !== undefined) throw new RangeError(`locationInterval: every change must be finite (got ${bad})`);
  const averages = walshAverages(changes);
  const k = signedRankCutoff(changes.length, confidence);
  return {
    estimate: medianOfSorted(averages),
    low: k === 0 ? Number.NEGATIVE_INFINITY : (averages[k - 1] ?? Number.NEGATIVE_INFINITY),
    high: k === 0 ? Number.POSITIVE_INFINITY : (averages[averages.length - k] ?? Number.POSITIVE_INFINITY),
    confidence,
    samples: changes.length,
  };
}

/** ln(b ÷ a) for each pair measured back to back. */
export function pairedLogRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new RangeError(`pairedLogRatios: ${a.length} values against ${b.length}`);
  return a.map((value, index) => logRatio(b[index] ?? Number.NaN, value));
}

export function logRatio(value: number, reference: number): number {
  if (!(value > 0 && reference > 0))
    throw new RangeError(`a ratio of two positive figures is expected (got ${value} ÷ ${reference})`);
  return Math.log(value / reference);
}

/** A log change as a relative change: 0.1 is 10 % higher, −0.2 is 20 % lower. */
export function relative(logChange: number): number {
  return Math.exp(logChange) - 1;
}
