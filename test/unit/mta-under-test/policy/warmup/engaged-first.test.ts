/**
 * engagedFirst orders a campaign so that recipients who opened or clicked before come first,
 * most recent first, and everyone else keeps their order: a stable partition.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../../support/test-seed.ts';
import { engagedFirst } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import { DAY_MS } from '../../../../../kernel/clock/clock.ts';

test('engaged first, most recent engagement first; ties and the unengaged keep their order', () => {
  const engagement = new Map([
    ['c@x.test', 100],
    ['e@x.test', 300],
    ['f@x.test', 100],
  ]);
  expect(
    engagedFirst(['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test', 'f@x.test'], (recipient) =>
      engagement.get(recipient),
    ),
  ).toEqual(['e@x.test', 'c@x.test', 'f@x.test', 'a@x.test', 'b@x.test', 'd@x.test']);
});

test('with an engagement age, older engagement does not count (SparkPost: opened or clicked in the past 30 days)', () => {
  const nowMs = 100 * DAY_MS;
  const engagement = new Map([
    ['old@x.test', nowMs - 40 * DAY_MS],
    ['new@x.test', nowMs - 3 * DAY_MS],
  ]);
  expect(
    engagedFirst(['old@x.test', 'a@x.test', 'new@x.test'], (recipient) => engagement.get(recipient), {
      nowMs,
      engagedWithinMs: 30 * DAY_MS,
    }),
  ).toEqual(['new@x.test', 'old@x.test', 'a@x.test']);
});

test('property: a permutation; engaged before unengaged; each group keeps its order among equal times', () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), { maxLength: 40 }), (times) => {
      const recipients = times.map((_, index) => `r${index}@x.test`);
      const timeOf = (recipient: string): number | undefined =>
        times[Number(recipient.slice(1, recipient.indexOf('@')))];
      const ordered = engagedFirst(recipients, timeOf);
      expect([...ordered].sort()).toEqual([...recipients].sort());
      const firstUnengaged = ordered.findIndex((recipient) => timeOf(recipient) === undefined);
      if (firstUnengaged >= 0)
        expect(ordered.slice(firstUnengaged).every((recipient) => timeOf(recipient) === undefined)).toBe(true);
      const index = (recipient: string): number => recipients.indexOf(recipient);
      for (let position = 1; position < ordered.length; position++) {
        const [before, after] = [ordered[position - 1] as string, ordered[position] as string];
        if (timeOf(before) === timeOf(after)) expect(index(before)).toBeLessThan(index(after));
      }
    }),
    { seed: testSeed(20_260_105), numRuns: 200 },
  );
});
