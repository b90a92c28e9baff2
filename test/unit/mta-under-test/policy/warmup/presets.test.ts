/**
 * The presets carry the published tables (research/peers.md §8): each ladder is checked at the
 * days the sources print, including SendGrid's day-13 kink, SparkPost's stage 28 and SES's day
 * 45, and the per-provider adjustments resolve as documented.
 */
import { expect, test } from 'vitest';
import {
  CAUTIOUS_PROVIDERS,
  resolveLadder,
  sendgrid,
  ses,
  sparkpost,
  validatePlan,
} from '../../../../../mta-under-test/reference/policy/warmup/index.ts';

test('SendGrid: 20/h on day 1 (480/day), ×1.40 a day, the kink at day 13 (1,000/h then 1,587/h), 19,601,056/h at age 41', () => {
  expect(sendgrid.ladder).toHaveLength(42);
  expect(sendgrid.ladder[0]).toBe(480);
  expect(sendgrid.ladder[1]).toBe(672);
  expect(sendgrid.ladder[12]).toBe(24_000);
  expect(sendgrid.ladder[13]).toBe(38_088);
  expect(sendgrid.ladder[29]).toBe(8_297_640);
  expect(sendgrid.ladder[41]).toBe(19_601_056 * 24);
});

test('SparkPost: 29 stage targets from 200 to 10,000,000, stage 28 = 7,500,000', () => {
  expect(sparkpost.ladder).toHaveLength(29);
  expect(sparkpost.ladder.slice(0, 11)).toEqual([
    200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 40_000, 50_000, 75_000, 100_000,
  ]);
  expect(sparkpost.ladder[27]).toBe(7_500_000);
  expect(sparkpost.ladder[28]).toBe(10_000_000);
});

test('SES: 45 days, geometric from 200 to exactly 50,000 on day 45, rising every day', () => {
  expect(ses.ladder).toHaveLength(45);
  expect(ses.ladder[0]).toBe(200);
  expect(ses.ladder[44]).toBe(50_000);
  for (let day = 1; day < ses.ladder.length; day++)
    expect(ses.ladder[day]).toBeGreaterThan(ses.ladder[day - 1] as number);
  expect(ses.description).toMatch(/interpolated geometrically/);
});

test('every preset is valid and names its sources; Gmail and Outlook get less than the EU ISPs', () => {
  for (const plan of [sendgrid, sparkpost, ses]) {
    expect(validatePlan(plan)).toEqual([]);
    expect(plan.citation.length).toBeGreaterThan(0);
    expect(resolveLadder(plan, 'orange')).toEqual(plan.ladder);
    expect(resolveLadder(plan, null)).toEqual(plan.ladder);
    resolveLadder(plan, 'gmail').forEach((perDay, stage) => expect(perDay).toBeLessThan(plan.ladder[stage] as number));
  }
  for (const adjustment of Object.values(CAUTIOUS_PROVIDERS))
    expect(adjustment.citation).toMatch(/@assumption|SparkPost/);
});

test("Outlook's first week is capped at 20,000/day and Yahoo's at 5,000/day, then the ladder resumes", () => {
  const outlook = resolveLadder(sparkpost, 'outlook');
  const yahoo = resolveLadder(sparkpost, 'yahoo');
  expect(outlook.slice(0, 7)).toEqual([100, 250, 500, 1_000, 2_500, 5_000, 10_000]);
  expect(yahoo.slice(0, 7)).toEqual([200, 500, 1_000, 2_000, 5_000, 5_000, 5_000]);
  expect(yahoo[7]).toBe(40_000);
  expect(resolveLadder(sendgrid, 'outlook')[6]).toBe(Math.min(20_000, Math.floor((151 * 24) / 2)));
});

test('validatePlan names every problem with its path', () => {
  expect(
    validatePlan({
      name: 'bad',
      description: '',
      ladder: [100, 0],
      citation: 'x',
      providers: { gmail: { multiplier: -1, citation: '' } },
    }),
  ).toEqual([
    { path: 'ladder[1]', message: 'must be a whole number of messages ≥ 1 (got 0)' },
    { path: 'providers.gmail.multiplier', message: 'must be a number > 0 (got -1)' },
    { path: 'providers.gmail.citation', message: 'every number needs a source or an @assumption' },
  ]);
});
