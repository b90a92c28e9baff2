/**
 * Properties of the receivers' shared mechanisms: reputation stays in [0, 1], never rises on a
 * bad signal, and recovers with time and clean traffic; the hourly allowance never grows with
 * a worse band and never shrinks with more clean history; greylisting passes a retry from the
 * same IP after the delay, and never before.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { DAY_MS, DEFAULT_EPOCH_MS, MINUTE_MS } from '../../kernel/clock/clock.ts';
import { hourlyAllowance } from '../../sim/mechanisms/admission.ts';
import { Greylist } from '../../sim/mechanisms/greylist.ts';
import { REPUTATION_BANDS, applySignal, newReputation, reputationScore } from '../../sim/mechanisms/reputation.ts';
import type { ReputationSignal } from '../../sim/mechanisms/reputation.ts';

const SIGNALS: readonly ReputationSignal[] = [
  'accepted',
  'unknown-user',
  'trap-hit',
  'complaint',
  'auth-failure',
  'engagement',
];
const BAD: readonly ReputationSignal[] = ['unknown-user', 'trap-hit', 'complaint', 'auth-failure'];
const history = fc.array(
  fc.record({
    signal: fc.constantFrom(...SIGNALS),
    gapMs: fc.integer({ min: 0, max: DAY_MS }),
    count: fc.integer({ min: 1, max: 500 }),
  }),
  { maxLength: 40 },
);

function replay(events: readonly { signal: ReputationSignal; gapMs: number; count: number }[]) {
  let state = newReputation(DEFAULT_EPOCH_MS);
  let now = DEFAULT_EPOCH_MS;
  for (const event of events) {
    now += event.gapMs;
    state = applySignal(state, event.signal, now, event.count);
  }
  return { state, now };
}

test('reputation stays within [0, 1] whatever happens', () => {
  fc.assert(
    fc.property(history, (events) => {
      const score = reputationScore(replay(events).state);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }),
  );
});

test('a bad signal never raises reputation', () => {
  fc.assert(
    fc.property(history, fc.constantFrom(...BAD), fc.integer({ min: 1, max: 100 }), (events, bad, count) => {
      const { state, now } = replay(events);
      expect(reputationScore(applySignal(state, bad, now, count))).toBeLessThanOrEqual(
        reputationScore(applySignal(state, 'accepted', now, 0)),
      );
    }),
  );
});

test('after any burst of bad signals, a month of clean traffic brings reputation back to at least medium', () => {
  fc.assert(
    fc.property(fc.constantFrom(...BAD), fc.integer({ min: 1, max: 200 }), (bad, count) => {
      let state = applySignal(newReputation(DEFAULT_EPOCH_MS), bad, DEFAULT_EPOCH_MS, count);
      for (let day = 1; day <= 30; day++) state = applySignal(state, 'accepted', DEFAULT_EPOCH_MS + day * DAY_MS, 500);
      expect(reputationScore(state)).toBeGreaterThanOrEqual(0.45);
    }),
  );
});

test('the hourly allowance grows with clean history and never with a worse band', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (cleanA, cleanB) => {
      const rules = { newIpPerHour: 2_000, maxPerHour: 500_000, rampFactor: 2 };
      const [less, more] = cleanA <= cleanB ? [cleanA, cleanB] : [cleanB, cleanA];
      for (const band of REPUTATION_BANDS) {
        expect(hourlyAllowance({ ...rules, band, cleanLastDay: less })).toBeLessThanOrEqual(
          hourlyAllowance({ ...rules, band, cleanLastDay: more }),
        );
      }
      const byBand = REPUTATION_BANDS.map((band) => hourlyAllowance({ ...rules, band, cleanLastDay: more }));
      expect([...byBand].sort((a, b) => a - b)).toEqual(byBand);
    }),
  );
});

test('greylisting defers a new triplet, passes the same IP after the delay, and never passes early', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 30 * MINUTE_MS }),
      fc.integer({ min: 1, max: 10 * MINUTE_MS }),
      (retryAfterMs, delayMs) => {
        const greylist = new Greylist(delayMs, 36 * 60 * MINUTE_MS);
        expect(greylist.check('127.0.0.2', 'a@x.test', 'b@y.test', DEFAULT_EPOCH_MS)).toBe('defer');
        const retry = greylist.check('127.0.0.2', 'a@x.test', 'b@y.test', DEFAULT_EPOCH_MS + retryAfterMs);
        expect(retry).toBe(retryAfterMs >= delayMs ? 'pass' : 'defer');
        expect(greylist.check('127.0.0.3', 'a@x.test', 'b@y.test', DEFAULT_EPOCH_MS + retryAfterMs)).toBe('defer');
      },
    ),
  );
});
