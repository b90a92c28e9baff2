/**
 * The GCRA limiter. Examples pin the arithmetic; properties check the two promises the engine
 * relies on, over random rates, bursts and request histories: no window of length W ever admits
 * more than burst + rate × W cells, and a caller who waits until `retryAtMs` is admitted. A third
 * property checks it is not stingier than promised: a caller that keeps to the rate is never refused.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_EPOCH_MS, MINUTE_MS } from '../../../../kernel/clock/clock.ts';
import { Gcra } from '../../../../mta-under-test/reference/core/shaping/gcra.ts';
import { parseRate } from '../../../../mta-under-test/reference/core/shaping/rate.ts';

const T0 = DEFAULT_EPOCH_MS;

describe('examples', () => {
  test('a full burst passes at once, then one cell per emission interval', () => {
    // Arrange
    const limiter = new Gcra({ perSecond: 2, burst: 3 });
    // Act
    const first = [1, 2, 3, 4].map(() => limiter.tryTake(T0));
    // Assert
    expect(first).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: false, retryAtMs: T0 + 500 }]);
    expect(limiter.tryTake(T0 + 499)).toEqual({ ok: false, retryAtMs: T0 + 500 });
    expect(limiter.tryTake(T0 + 500)).toEqual({ ok: true });
    expect(limiter.nextFreeAtMs(T0 + 500)).toBe(T0 + 1000);
  });

  test('the burst defaults to the rate count, as in KumoMTA, or to max_burst when the rate names one', () => {
    expect(new Gcra({ rate: parseRate('100/min') }).burst).toBe(100);
    expect(new Gcra({ rate: parseRate('100/day,max_burst=1') }).burst).toBe(1);
    expect(new Gcra({ rate: parseRate('100/day,max_burst=1'), burst: 7 }).burst).toBe(7);
  });

  test('several cells at once need room for all of them', () => {
    const limiter = new Gcra({ rate: { count: 3, perMs: MINUTE_MS }, burst: 3 });
    expect(limiter.tryTake(T0, 2)).toEqual({ ok: true });
    // One cell is left; two more need one more emission interval (20 s).
    expect(limiter.tryTake(T0, 2)).toEqual({ ok: false, retryAtMs: T0 + 20_000 });
    expect(limiter.tryTake(T0 + 20_000, 2)).toEqual({ ok: true });
  });

  test('an idle limiter refills to its burst and no further', () => {
    const limiter = new Gcra({ perSecond: 1, burst: 2 });
    limiter.tryTake(T0);
    limiter.tryTake(T0);
    const later = T0 + 3_600_000;
    expect([1, 2, 3].map(() => limiter.tryTake(later).ok)).toEqual([true, true, false]);
  });

  test('nextFreeAtMs does not take anything', () => {
    const limiter = new Gcra({ perSecond: 1, burst: 1 });
    expect(limiter.nextFreeAtMs(T0)).toBe(T0);
    expect(limiter.nextFreeAtMs(T0)).toBe(T0);
    expect(limiter.tryTake(T0)).toEqual({ ok: true });
    expect(limiter.nextFreeAtMs(T0)).toBe(T0 + 1000);
  });

  test('a clock that steps back is treated as not having moved', () => {
    const limiter = new Gcra({ perSecond: 1, burst: 1 });
    limiter.tryTake(T0 + 5000);
    expect(limiter.tryTake(T0)).toEqual({ ok: false, retryAtMs: T0 + 6000 });
  });

  test.each([
    [{ perSecond: 0 }, /count must be a whole number ≥ 1/],
    [{ perSecond: 0.5 }, /use rate: \{ count, perMs \}/],
    [{ rate: { count: 1, perMs: 0 } }, /perMs must be a whole number ≥ 1/],
    [{ perSecond: 1, burst: 0 }, /burst must be a whole number ≥ 1/],
  ])('bad options are refused: %j', (options, message) => {
    expect(() => new Gcra(options)).toThrow(message);
  });

  test('asking for more cells than the burst, or for none, is a programming error', () => {
    const limiter = new Gcra({ perSecond: 10, burst: 3 });
    expect(() => limiter.tryTake(T0, 4)).toThrow(/can never pass/);
    expect(() => limiter.tryTake(T0, 0)).toThrow(/cells must be/);
  });
});

const limiterShape = fc.record({
  count: fc.integer({ min: 1, max: 50 }),
  perMs: fc.oneof(fc.constantFrom(1000, 60_000, 3_600_000, 86_400_000), fc.integer({ min: 1, max: 5000 })),
  burst: fc.integer({ min: 1, max: 20 }),
});
const requests = fc.array(
  fc.record({
    gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100_000 })),
    cells: fc.integer({ min: 1, max: 20 }),
  }),
  {
    minLength: 1,
    maxLength: 120,
  },
);

describe('properties', () => {
  test('no window of length W admits more than burst + rate × W cells', () => {
    fc.assert(
      fc.property(
        limiterShape,
        requests,
        fc.integer({ min: 0, max: 2 ** 40 }),
        ({ count, perMs, burst }, history, startMs) => {
          // Arrange
          const limiter = new Gcra({ rate: { count, perMs }, burst });
          const admitted: { atMs: number; cells: number }[] = [];
          // Act
          let nowMs = startMs;
          for (const { gapMs, cells } of history) {
            nowMs += gapMs;
            const wanted = Math.min(cells, burst);
            if (limiter.tryTake(nowMs, wanted).ok) admitted.push({ atMs: nowMs, cells: wanted });
          }
          // Assert: the worst window starts and ends at admissions; compare in whole numbers
          // (cells × perMs ≤ burst × perMs + count × W) so no rounding hides an extra cell.
          for (let first = 0; first < admitted.length; first++) {
            let cells = 0;
            for (let last = first; last < admitted.length; last++) {
              cells += admitted[last]?.cells ?? 0;
              const windowMs = (admitted[last]?.atMs ?? 0) - (admitted[first]?.atMs ?? 0);
              expect(cells * perMs).toBeLessThanOrEqual(burst * perMs + count * windowMs);
            }
          }
        },
      ),
    );
  });

  test('a caller who waits until retryAtMs is admitted, and not a millisecond earlier', () => {
    fc.assert(
      fc.property(
        limiterShape,
        requests,
        fc.integer({ min: 1, max: 20 }),
        ({ count, perMs, burst }, history, lastCells) => {
          // Arrange: any history, then one refused request.
          const limiter = new Gcra({ rate: { count, perMs }, burst });
          let nowMs = T0;
          for (const { gapMs, cells } of history) {
            nowMs += gapMs;
            limiter.tryTake(nowMs, Math.min(cells, burst));
          }
          const wanted = Math.min(lastCells, burst);
          const decision = limiter.tryTake(nowMs, wanted);
          if (decision.ok) return;
          // Assert
          expect(decision.retryAtMs).toBeGreaterThan(nowMs);
          if (wanted === 1) expect(limiter.nextFreeAtMs(nowMs)).toBe(decision.retryAtMs);
          expect(limiter.tryTake(decision.retryAtMs - 1, wanted)).toEqual({ ok: false, retryAtMs: decision.retryAtMs });
          expect(limiter.tryTake(decision.retryAtMs, wanted)).toEqual({ ok: true });
        },
      ),
    );
  });

  test('single cells spaced at least one emission interval apart are never refused', () => {
    fc.assert(
      fc.property(
        limiterShape,
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 100 }),
        ({ count, perMs, burst }, extraGapsMs) => {
          const limiter = new Gcra({ rate: { count, perMs }, burst });
          const intervalMs = Math.ceil(perMs / count);
          let nowMs = T0;
          for (const extraMs of extraGapsMs) {
            expect(limiter.tryTake(nowMs)).toEqual({ ok: true });
            nowMs += intervalMs + extraMs;
          }
        },
      ),
    );
  });
});
