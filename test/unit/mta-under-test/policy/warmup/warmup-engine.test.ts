/**
 * The planner inside the reference engine, on the virtual clock over several simulated days: a
 * campaign larger than the warming IP's allowance is injected at the start of each day; the new
 * IP's deliveries per day follow the SparkPost ladder (200, 500, 1,000, 2,000), the rest goes to
 * the warm IP of the same pool, and every stage change is on record.
 */
import { expect, test } from 'vitest';
import type { DeliveryRecord, PolicyRecord } from '../../../../../mta-under-test/accounting.ts';
import type { EgressConfig } from '../../../../../mta-under-test/reference/core/egress.ts';
import { basicJudgement } from '../../../../../mta-under-test/reference/core/policy.ts';
import type { SendPolicy } from '../../../../../mta-under-test/reference/core/policy.ts';
import { referencePolicy } from '../../../../../mta-under-test/reference/policy/reference-policy.ts';
import { warmupAndGrid } from '../../../../../mta-under-test/reference/policy/warmup-and-grid.ts';
import type { WarmupAndGrid } from '../../../../../mta-under-test/reference/policy/warmup-and-grid.ts';
import { sparkpost } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS } from '../../../../../kernel/clock/clock.ts';
import { loadShapingConfig } from '../../../../../mta-under-test/reference/core/shaping/config.ts';
import { engineHarness } from '../../../../support/engine-harness.ts';

const DAYS = 4;
const PER_DAY = 2_500;

const EGRESS: EgressConfig = {
  sources: [
    { name: 'new1', sourceIp: '127.0.0.2', heloName: 'new1.mailbench.test' },
    { name: 'warm1', sourceIp: '127.0.0.3', heloName: 'warm1.mailbench.test' },
  ],
  pools: [{ name: 'main', members: [{ source: 'new1' }, { source: 'warm1' }] }],
  defaultPool: 'main',
};

test.each([
  [
    'spread next to the basic judgement',
    (placement: WarmupAndGrid): SendPolicy => ({ judge: basicJudgement, ...placement }),
  ],
  [
    'as an extra component of the reference policy',
    (placement: WarmupAndGrid): SendPolicy => referencePolicy({ extras: [placement] }),
  ],
])('a new IP delivers its ladder day by day; the overflow goes to the warm IP (%s)', async (_, policyOf) => {
  // Arrange
  const placement = warmupAndGrid({
    warmup: { plan: sparkpost, sources: [{ source: 'new1', startedAtMs: DEFAULT_EPOCH_MS }] },
  });
  const policy = policyOf(placement);
  const harness = engineHarness(
    () => 'accept',
    { connectionLimit: 5, maxDeliveriesPerConnection: 50 },
    { egress: EGRESS, policy },
  );
  for (let day = 0; day < DAYS; day++) {
    harness.scheduler.at(DEFAULT_EPOCH_MS + day * DAY_MS, () => {
      for (let index = 0; index < PER_DAY; index++)
        harness.engine.inject({
          mailFrom: 'bounces@news.mailbench.test',
          recipients: [`d${day}-${index}@example.test`],
          data: 'Subject: hi\r\n\r\nhello\r\n',
        });
    });
  }
  // Act
  const result = await harness.scheduler.run({ untilMs: DEFAULT_EPOCH_MS + DAYS * DAY_MS, maxTasks: 2_000_000 });
  // Assert
  expect(result.state).not.toBe('reached-task-limit');
  const deliveries = harness.records.filter((record): record is DeliveryRecord => record.type === 'Delivery');
  const perDay = (source: string): number[] =>
    Array.from(
      { length: DAYS },
      (_, day) =>
        deliveries.filter(
          (record) => record.source === source && Math.floor((record.atMs - DEFAULT_EPOCH_MS) / DAY_MS) === day,
        ).length,
    );
  expect(perDay('new1')).toEqual([200, 500, 1_000, 2_000]);
  expect(perDay('warm1')).toEqual([2_300, 2_000, 1_500, 500]);
  expect(deliveries).toHaveLength(DAYS * PER_DAY);
  // The pace spreads the new IP's allowance over its day instead of sending it in one burst.
  const hourly = Array.from(
    { length: 24 },
    (_, hour) =>
      deliveries.filter(
        (record) => record.source === 'new1' && Math.floor((record.atMs - DEFAULT_EPOCH_MS) / HOUR_MS) === hour,
      ).length,
  );
  // 200/day is 8.3/h; the engine rounds the cap to whole messages per hour, and the last hours catch up.
  expect(hourly.slice(0, 20).every((count) => count >= 8 && count <= 9)).toBe(true);
  expect(hourly.reduce((sum, count) => sum + count, 0)).toBe(200);
  const stages = harness.records.filter((record): record is PolicyRecord => record.type === 'Policy');
  expect(stages.map((record) => [record.decision, record.atMs - DEFAULT_EPOCH_MS])).toEqual([
    ['warmup.advance', DAY_MS],
    ['warmup.advance', 2 * DAY_MS],
    ['warmup.advance', 3 * DAY_MS],
  ]);
  expect(
    harness.records
      .filter((record) => record.type === 'Throttle')
      .map((record) => (record.type === 'Throttle' ? record.ratePerHourAfter : 0)),
  ).toEqual([200 / 24, 500 / 24, 1_000 / 24, 2_000 / 24]);
});

test('a day with 10 % deferrals holds the stage: the next day gets the same allowance again', async () => {
  // Arrange: on day 2 every tenth recipient is deferred once, then accepted.
  const placement = warmupAndGrid({
    warmup: { plan: sparkpost, sources: [{ source: 'new1', startedAtMs: DEFAULT_EPOCH_MS }] },
  });
  const policy: SendPolicy = { judge: basicJudgement, ...placement };
  const script = (recipient: string, attempt: number): 'accept' | 'defer' =>
    recipient.startsWith('d1-') && recipient.endsWith('0@example.test') && attempt === 1 ? 'defer' : 'accept';
  const harness = engineHarness(
    script,
    { connectionLimit: 5, maxDeliveriesPerConnection: 50 },
    { egress: EGRESS, policy },
  );
  for (let day = 0; day < DAYS; day++) {
    harness.scheduler.at(DEFAULT_EPOCH_MS + day * DAY_MS, () => {
      for (let index = 0; index < PER_DAY; index++)
        harness.engine.inject({
          mailFrom: 'bounces@news.mailbench.test',
          recipients: [`d${day}-${index}@example.test`],
          data: 'Subject: hi\r\n\r\nhello\r\n',
        });
    });
  }
  // Act
  await harness.scheduler.run({ untilMs: DEFAULT_EPOCH_MS + DAYS * DAY_MS, maxTasks: 2_000_000 });
  // Assert
  const decisions = harness.records.filter((record): record is PolicyRecord => record.type === 'Policy');
  expect(decisions.map((record) => [record.decision, record.rule])).toEqual([
    ['warmup.advance', 'warmup.advance.delivered-share'],
    ['warmup.hold', 'warmup.hold.deferral-share'],
    ['warmup.advance', 'warmup.advance.delivered-share'],
  ]);
  const deliveries = harness.records.filter(
    (record): record is DeliveryRecord => record.type === 'Delivery' && record.source === 'new1',
  );
  const perDay = Array.from(
    { length: DAYS },
    (_, day) => deliveries.filter((record) => Math.floor((record.atMs - DEFAULT_EPOCH_MS) / DAY_MS) === day).length,
  );
  // Day 2: 500 attempts, 450 delivered; the 50 retries were granted again and found the allowance spent, so the warm IP took them.
  expect(perDay).toEqual([200, 450, 500, 1_000]);
  expect(decisions[1]?.detail).toContain(
    'target 500/day, 500 attempts, 450 delivered (90.0 %; 90.0 % of target), 50 deferred (10.0 %)',
  );
});

test('a destination the engine shapes as Outlook gets the plan’s Outlook ladder (half of SparkPost’s)', async () => {
  // Arrange: the site's MX hosts match a provider block named outlook.
  const placement = warmupAndGrid({
    warmup: { plan: sparkpost, sources: [{ source: 'new1', startedAtMs: DEFAULT_EPOCH_MS }] },
  });
  const policy: SendPolicy = { judge: basicJudgement, ...placement };
  const shaping = loadShapingConfig({
    builtInProviders: false,
    default: { maxMessageRate: null, maxConnectionRate: null, connectionLimit: 5, maxDeliveriesPerConnection: 50 },
    providers: { outlook: { match: [{ mxSuffix: '.example.test' }] } },
  });
  const harness = engineHarness(() => 'accept', {}, { egress: EGRESS, policy, shaping });
  for (let day = 0; day < 2; day++) {
    harness.scheduler.at(DEFAULT_EPOCH_MS + day * DAY_MS, () => {
      for (let index = 0; index < 1_000; index++)
        harness.engine.inject({
          mailFrom: 'bounces@news.mailbench.test',
          recipients: [`d${day}-${index}@example.test`],
          data: 'x',
        });
    });
  }
  // Act
  await harness.scheduler.run({ untilMs: DEFAULT_EPOCH_MS + 2 * DAY_MS, maxTasks: 1_000_000 });
  // Assert
  const deliveries = harness.records.filter(
    (record): record is DeliveryRecord => record.type === 'Delivery' && record.source === 'new1',
  );
  expect(deliveries.every((record) => record.provider === 'outlook')).toBe(true);
  expect(
    [0, 1].map(
      (day) => deliveries.filter((record) => Math.floor((record.atMs - DEFAULT_EPOCH_MS) / DAY_MS) === day).length,
    ),
  ).toEqual([100, 250]);
  expect(placement.planner?.allowance('new1', 'outlook', DEFAULT_EPOCH_MS + 2 * DAY_MS)).toMatchObject({
    stage: 3,
    targetPerDay: 500,
  });
});
