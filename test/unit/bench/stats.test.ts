/**
 * The gate's statistics against known values (Wilcoxon signed-rank critical values from the
 * published tables), and over many seeded synthetic draws: the interval covers the truth as
 * often as it says it does, even with skewed noise and outliers.
 */
import seedrandom from 'seedrandom';
import { describe, expect, test } from 'vitest';
import {
  locationInterval,
  logRatio,
  normalQuantile,
  pairedLogRatios,
  relative,
  signedRankCutoff,
} from '../../../bench/stats.ts';
import { testSeed } from '../../support/test-seed.ts';

/** A standard normal draw (Box-Muller) from a seeded stream. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('signedRankCutoff', () => {
  test('matches the published two-sided 5 % critical values (cutoff = T_crit + 1)', () => {
    // n → T_crit at two-sided α = 0.05 (Wilcoxon signed-rank table).
    const table: Record<number, number> = { 6: 0, 7: 2, 8: 3, 10: 8, 12: 13, 15: 25, 20: 52, 25: 89, 30: 137 };
    for (const [n, critical] of Object.entries(table))
      expect(signedRankCutoff(Number(n), 0.95), `n = ${n}`).toBe(critical + 1);
  });

  test('fewer than 6 changes cannot bound a 95 % interval', () => {
    for (const n of [1, 2, 3, 4, 5]) expect(signedRankCutoff(n, 0.95)).toBe(0);
  });

  test('past 200 changes, the normal approximation continues the exact counts', () => {
    const exact = signedRankCutoff(200, 0.95);
    const approximated = signedRankCutoff(201, 0.95);
    // From n to n + 1 the cutoff grows by about (2n + 1)/4 − 1.96 × d(sd)/dn: 100.25 − 12.0 ≈ 88 here.
    expect(approximated - exact).toBeGreaterThanOrEqual(86);
    expect(approximated - exact).toBeLessThanOrEqual(90);
    expect(signedRankCutoff(50, 0.95)).toBe(435); // the table's T_crit for n = 50 is 434
  });

  test('normalQuantile is the standard normal quantile', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
});

describe('locationInterval', () => {
  test('the estimate is the median of the Walsh averages; the interval is ordered and contains it', () => {
    const interval = locationInterval([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(interval.estimate).toBeCloseTo(0.35, 12);
    expect(interval.low).toBeCloseTo(0.1, 12);
    expect(interval.high).toBeCloseTo(0.6, 12);
    expect(interval.samples).toBe(6);
  });

  test('one wild outlier moves the estimate little (a mean would move by a fifth of it)', () => {
    const calm = [0.01, -0.02, 0.015, 0, -0.01, 0.02, 0.005, -0.005, 0.01, 0];
    const wild = [...calm.slice(0, 9), -0.7];
    expect(Math.abs(locationInterval(wild).estimate - locationInterval(calm).estimate)).toBeLessThan(0.01);
  });

  test('refuses what is not a change', () => {
    expect(() => locationInterval([])).toThrow(/no changes/);
    expect(() => locationInterval([0.1, Number.NaN])).toThrow(/finite/);
    expect(() => logRatio(0, 1)).toThrow(/positive/);
    expect(() => pairedLogRatios([1, 2], [1])).toThrow(/2 values against 1/);
  });

  const seed = testSeed();
  test(`covers the true change about 95 % of the time under skewed noise with outliers (seed ${seed})`, () => {
    const random = seedrandom(`stats-coverage-${seed}`);
    const truth = Math.log(0.8);
    let covered = 0;
    const draws = 2_000;
    for (let draw = 0; draw < draws; draw++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let round = 0; round < 10; round++) {
        // Shared load of the round (both sides), each side's own noise, and now and then a burst on one side.
        const load = 0.15 * normal(random);
        const burst = (): number => (random() < 0.05 ? Math.log(0.6) : 0);
        a.push(500 * Math.exp(load + 0.08 * normal(random) + burst()));
        b.push(500 * Math.exp(truth + load + 0.08 * normal(random) + burst()));
      }
      const interval = locationInterval(pairedLogRatios(a, b));
      if (interval.low <= truth && truth <= interval.high) covered++;
    }
    expect(covered / draws).toBeGreaterThan(0.92);
    expect(covered / draws).toBeLessThan(0.99);
  });

  test('relative() reads a log change as a percentage', () => {
    expect(relative(Math.log(1.1))).toBeCloseTo(0.1, 12);
    expect(relative(0)).toBe(0);
  });
});
