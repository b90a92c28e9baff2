/**
 * Properties of the throttle over arbitrary traffic: any mix of answers (clean, deferred,
 * greylisted, strong signals) at any pace, to three providers. Whatever happens, the rate is
 * unconstrained (null) or within [floor, ceiling], a path's share never exceeds it, every
 * Throttle record chains (each one's "before" is the previous one's "after"), and decisions
 * are at least an adjustment interval apart.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../../support/test-seed.ts';
import { MINUTE_MS } from '../../../../../kernel/clock/clock.ts';
import type { AccountingRecord, ThrottleRecord } from '../../../../../mta-under-test/accounting.ts';
import { AdaptiveThrottle } from '../../../../../mta-under-test/reference/policy/throttle/index.ts';
import { GMAIL, OUTLOOK, REPLIES, T0, YAHOO, attempt, smtpReply } from '../_support/attempts.ts';

const SEED = testSeed(20_261_202);
const DESTINATIONS = [GMAIL, YAHOO, OUTLOOK];
const ANSWERS = [
  REPLIES.accept,
  REPLIES.accept,
  REPLIES.accept,
  REPLIES.gmailRateLimited,
  REPLIES.temporary,
  smtpReply(451, '4.7.1', 'Greylisted, try again'),
  REPLIES.tss04,
  REPLIES.gmail4728,
  REPLIES.s3150,
];

const options = fc.record({
  floorPerHour: fc.integer({ min: 1, max: 500 }),
  spanPerHour: fc.integer({ min: 1, max: 10_000 }),
  decreaseFactor: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  increasePerHour: fc.integer({ min: 1, max: 2_000 }),
  minAttempts: fc.integer({ min: 1, max: 40 }),
});
const step = fc.record({
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 90 * MINUTE_MS })),
  destination: fc.nat({ max: DESTINATIONS.length - 1 }),
  answer: fc.oneof(fc.nat({ max: 5 }), fc.nat({ max: ANSWERS.length - 1 })),
});

test(`the rate is null or within [floor, ceiling]; records chain; decisions are an interval apart (seed: ${SEED})`, () => {
  fc.assert(
    fc.property(options, fc.array(step, { minLength: 1, maxLength: 600 }), (chosen, steps) => {
      const ceilingPerHour = chosen.floorPerHour + chosen.spanPerHour;
      const records: AccountingRecord[] = [];
      const throttle = new AdaptiveThrottle({
        floorPerHour: chosen.floorPerHour,
        ceilingPerHour,
        decreaseFactor: chosen.decreaseFactor,
        increasePerHour: chosen.increasePerHour,
        minAttempts: chosen.minAttempts,
      });
      throttle.attach((record) => records.push(record));
      let atMs = T0;
      for (const { gapMs, destination, answer } of steps) {
        atMs += gapMs;
        const where = DESTINATIONS[destination] as (typeof DESTINATIONS)[number];
        const { verdict, context, outcome } = attempt(
          'r@x.example',
          atMs,
          ANSWERS[answer] as (typeof ANSWERS)[number],
          where,
        );
        throttle.onAttempt(verdict, context, outcome);
        const rate = throttle.rateOf('mta1', where.provider as string);
        if (rate !== null && rate !== undefined) {
          expect(rate).toBeGreaterThanOrEqual(chosen.floorPerHour);
          expect(rate).toBeLessThanOrEqual(ceilingPerHour);
        }
        const share = throttle.ratePerHour({ source: 'mta1', site: where.site, provider: where.provider }, atMs);
        if (share !== null) expect(share).toBeLessThanOrEqual(rate ?? Number.NaN);
        else expect(rate ?? null).toBeNull();
      }
      const byScope = new Map<string, ThrottleRecord[]>();
      for (const record of records)
        if (record.type === 'Throttle')
          byScope.set(JSON.stringify(record.scope), [...(byScope.get(JSON.stringify(record.scope)) ?? []), record]);
      for (const scoped of byScope.values()) {
        expect(scoped[0]?.ratePerHourBefore).toBeNull();
        for (let index = 1; index < scoped.length; index++) {
          const previous = scoped[index - 1] as ThrottleRecord;
          const current = scoped[index] as ThrottleRecord;
          expect(current.ratePerHourBefore).toBe(previous.ratePerHourAfter);
          if (current.rule.startsWith('throttle.aimd.') && previous.rule.startsWith('throttle.aimd.'))
            expect(current.atMs - previous.atMs).toBeGreaterThanOrEqual(5 * MINUTE_MS);
        }
      }
    }),
    { numRuns: 300, seed: SEED },
  );
});
