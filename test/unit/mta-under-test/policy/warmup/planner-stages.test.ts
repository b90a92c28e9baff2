/**
 * The planner's day-end rule, fed whole days of records: a good day advances the stage, a day
 * with many deferrals holds it, a day with blocks or complaints steps it back, and the last
 * stage completes the warm-up. Each change is a Policy record with the day's figures and a
 * Throttle record with the new allowance.
 */
import { expect, test } from 'vitest';
import type { PolicyRecord, ThrottleRecord } from '../../../../../mta-under-test/accounting.ts';
import { WarmupPlanner } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import type { WarmupPlan } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS } from '../../../../../kernel/clock/clock.ts';
import { bounce, complaint, deferral, delivery } from './records.ts';

const START_MS = DEFAULT_EPOCH_MS;
const PLAN: WarmupPlan = {
  name: 'test',
  description: 'three stages',
  ladder: [100, 200, 400],
  citation: '@assumption: test',
  providers: {},
};

function planner(): { planner: WarmupPlanner; records: (PolicyRecord | ThrottleRecord)[] } {
  const records: (PolicyRecord | ThrottleRecord)[] = [];
  const made = new WarmupPlanner({ plan: PLAN, sources: [{ source: 'new1', startedAtMs: START_MS }] });
  made.attach((record) => records.push(record));
  return { planner: made, records };
}

/** Feeds one day of `delivered` deliveries, then `deferred` deferrals and `blocked` reputation blocks, spread over the day. */
function feedDay(
  target: WarmupPlanner,
  day: number,
  counts: { delivered: number; deferred?: number; blocked?: number },
): void {
  const atMs = START_MS + day * DAY_MS + HOUR_MS;
  for (let index = 0; index < counts.delivered; index++) target.observe(delivery({ atMs, source: 'new1' }));
  for (let index = 0; index < (counts.deferred ?? 0); index++) target.observe(deferral({ atMs, source: 'new1' }));
  for (let index = 0; index < (counts.blocked ?? 0); index++)
    target.observe(bounce({ atMs, source: 'new1' }, 'reputation-block'));
}

test('a good day (> 90 % delivered, the stage used) advances at the day end, with the figures in the record', () => {
  // Arrange
  const { planner: target, records } = planner();
  feedDay(target, 0, { delivered: 98, deferred: 2 });
  // Act
  const allowance = target.allowance('new1', null, START_MS + DAY_MS);
  // Assert
  expect(allowance).toMatchObject({ stage: 2, targetPerDay: 200, remainingToday: 200, dayStartMs: START_MS + DAY_MS });
  const policy = records.filter((record): record is PolicyRecord => record.type === 'Policy');
  expect(policy).toHaveLength(1);
  expect(policy[0]).toMatchObject({
    decision: 'warmup.advance',
    rule: 'warmup.advance.delivered-share',
    subject: 'new1 → any provider',
    atMs: START_MS + DAY_MS,
  });
  expect(policy[0]?.detail).toContain('stage 1/3 → 2/3');
  expect(policy[0]?.detail).toContain('100 attempts, 98 delivered (98.0 %; 98.0 % of target), 2 deferred (2.0 %)');
  const throttles = records.filter((record): record is ThrottleRecord => record.type === 'Throttle');
  expect(throttles.map((record) => [record.ratePerHourBefore, record.ratePerHourAfter])).toEqual([
    [null, 100 / 24],
    [100 / 24, 200 / 24],
  ]);
});

test('a day with many deferrals holds the stage even though enough was delivered', () => {
  const { planner: target, records } = planner();
  feedDay(target, 0, { delivered: 92, deferred: 8 });
  expect(target.allowance('new1', null, START_MS + DAY_MS)).toMatchObject({ stage: 1, targetPerDay: 100 });
  expect(records.filter((record) => record.type === 'Policy')).toMatchObject([
    { decision: 'warmup.hold', rule: 'warmup.hold.deferral-share' },
  ]);
  // No allowance change, so no new Throttle record.
  expect(records.filter((record) => record.type === 'Throttle')).toHaveLength(1);
});

test('a day that did not use its stage holds: SparkPost advances an IP once it "sends enough"', () => {
  const { planner: target, records } = planner();
  feedDay(target, 0, { delivered: 50 });
  expect(target.allowance('new1', null, START_MS + DAY_MS)?.stage).toBe(1);
  expect(records.filter((record) => record.type === 'Policy')).toMatchObject([
    { decision: 'warmup.hold', rule: 'warmup.hold.volume' },
  ]);
});

test('a day with blocks steps back a stage', () => {
  // Arrange: two good days reach stage 3, then a day with 5 % reputation blocks.
  const { planner: target, records } = planner();
  feedDay(target, 0, { delivered: 100 });
  feedDay(target, 1, { delivered: 200 });
  feedDay(target, 2, { delivered: 380, blocked: 20 });
  // Act
  const allowance = target.allowance('new1', null, START_MS + 3 * DAY_MS);
  // Assert
  expect(allowance).toMatchObject({ stage: 2, targetPerDay: 200 });
  expect(records.filter((record) => record.type === 'Policy').map((record) => record.decision)).toEqual([
    'warmup.advance',
    'warmup.advance',
    'warmup.step-back',
  ]);
  expect(records.at(-1)).toMatchObject({
    type: 'Throttle',
    ratePerHourBefore: 400 / 24,
    ratePerHourAfter: 200 / 24,
    rule: 'warmup.allowance',
  });
});

test('complaints above 0.3 % of the delivered step back, attributed through the delivery they are about', () => {
  const { planner: target, records } = planner();
  feedDay(target, 0, { delivered: 100 });
  const delivered = Array.from({ length: 200 }, () => delivery({ atMs: START_MS + DAY_MS + HOUR_MS, source: 'new1' }));
  for (const record of delivered) target.observe(record);
  target.observe(complaint(delivered[0] as (typeof delivered)[number], START_MS + DAY_MS + 2 * HOUR_MS));
  expect(target.allowance('new1', null, START_MS + 2 * DAY_MS)?.stage).toBe(1);
  expect(records.filter((record) => record.type === 'Policy').at(-1)).toMatchObject({
    decision: 'warmup.step-back',
    rule: 'warmup.step-back.complaints',
  });
});

test('the last stage completes the warm-up: no cap after it', () => {
  const { planner: target, records } = planner();
  feedDay(target, 0, { delivered: 100 });
  feedDay(target, 1, { delivered: 200 });
  feedDay(target, 2, { delivered: 400 });
  const nowMs = START_MS + 3 * DAY_MS;
  expect(target.allowance('new1', null, nowMs)).toMatchObject({
    complete: true,
    targetPerDay: null,
    remainingToday: null,
    ratePerHour: null,
  });
  expect(target.pathRatePerHour({ source: 'new1', site: 'example.test', provider: null }, nowMs)).toBeNull();
  expect(records.filter((record) => record.type === 'Policy').at(-1)).toMatchObject({
    decision: 'warmup.complete',
    rule: 'warmup.complete',
  });
  expect(records.at(-1)).toMatchObject({ type: 'Throttle', ratePerHourAfter: null });
});

test('idle days change nothing and leave no record; stages are per provider', () => {
  const { planner: target, records } = planner();
  for (let index = 0; index < 100; index++)
    target.observe(delivery({ atMs: START_MS + HOUR_MS, source: 'new1', provider: 'gmail' }));
  expect(target.allowance('new1', 'gmail', START_MS + 10 * DAY_MS)).toMatchObject({
    stage: 2,
    dayStartMs: START_MS + 10 * DAY_MS,
  });
  expect(target.allowance('new1', 'orange', START_MS + 10 * DAY_MS)).toMatchObject({ stage: 1 });
  expect(records.filter((record) => record.type === 'Policy')).toHaveLength(1);
});

test('the pace spreads what is left of the day’s allowance over the hours left', () => {
  const { planner: target } = planner();
  const path = { source: 'new1', site: 'example.test', provider: null };
  expect(target.pathRatePerHour(path, START_MS)).toBeCloseTo(100 / 24);
  for (let index = 0; index < 40; index++) target.observe(delivery({ atMs: START_MS + 12 * HOUR_MS, source: 'new1' }));
  expect(target.pathRatePerHour(path, START_MS + 12 * HOUR_MS)).toBeCloseTo(60 / 12);
  expect(target.pathRatePerHour({ ...path, source: 'warm1' }, START_MS)).toBeNull();
});
