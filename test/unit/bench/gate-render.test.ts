/**
 * What people read of a gate run: each figure's line, and the tolerances a calibration proposes
 * (twice the A/A interval's half-width, rounded up to 5 %, at least 5 %; none without an interval).
 */
import { describe, expect, test } from 'vitest';
import { figureLine, proposeTolerances } from '../../../bench/gate-render.ts';
import type { FigureOutcome } from '../../../bench/sampler.ts';

function timed(name: string, low: number, high: number, changes: number[]): FigureOutcome {
  return {
    name,
    kind: 'timed',
    better: 'higher',
    unit: 'x/s',
    tolerance: 0.1,
    values: { base: [100, 110, 90], head: [101, 109, 92] },
    changes,
    interval: {
      estimate: 0,
      low: Math.log(1 + low),
      high: Math.log(1 + high),
      confidence: 0.95,
      samples: changes.length,
    },
    verdict: 'unchanged',
    settledAfterRound: undefined,
  };
}

describe('proposeTolerances', () => {
  test('twice the half-width, rounded up to 5 %', () => {
    const [proposal] = proposeTolerances([timed('a', -0.04, 0.06, [0, 0.01, -0.01, 0.02, -0.02, 0.03])]);
    expect(proposal?.intervalHalfWidth).toBeCloseTo(0.06, 9);
    expect(proposal?.proposed).toBeCloseTo(0.15, 9);
    expect(proposal?.note).toBe('');
  });

  test('at least 5 %; too noisy for a 30 % change says so; no interval, no proposal', () => {
    expect(proposeTolerances([timed('calm', -0.005, 0.005, [0, 0, 0, 0, 0, 0])])[0]?.proposed).toBeCloseTo(0.05, 9);
    expect(proposeTolerances([timed('noisy', -0.2, 0.18, [0, 0, 0, 0, 0, 0])])[0]?.note).toMatch(/too noisy/);
    const none = proposeTolerances([
      {
        ...timed('few', 0, 0, [0, 0]),
        interval: { estimate: 0, low: -Infinity, high: Infinity, confidence: 0.95, samples: 2 },
      },
    ]);
    expect(Number.isNaN(none[0]?.proposed)).toBe(true);
    expect(none[0]?.note).toMatch(/--rounds 6/);
  });
});

describe('figureLine', () => {
  test('medians by side, the change with its interval and rounds, the verdict with its tolerance', () => {
    const line = figureLine(timed('engine.deliveredPerSecond', -0.05, 0.07, [0, 0.01, -0.01, 0.02, -0.02, 0.03]));
    expect(line).toEqual({
      figure: 'engine.deliveredPerSecond',
      head: '101 x/s',
      base: '100 x/s',
      change: '+0.0 % [−5.0 %, +7.0 %] 95 %, 6 rounds',
      verdict: 'unchanged (±10 %)',
    });
  });
});
