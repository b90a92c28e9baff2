/**
 * The grid and the warm-up planner composed (`warmupAndGrid`, `chooseSourceChain`): the grid
 * picks the pool, the planner the source within it. First as hooks, then inside the reference
 * engine on the virtual clock: a promoted tenant's mail leaves from the grid with 10 % on its
 * dedicated IP, a complaint spike demotes it (the record lands in the accounting log), and from
 * then on its mail leaves from the dedicated IP only.
 */
import { expect, test } from 'vitest';
import type { DeliveryRecord, FeedbackRecord } from '../../../../../mta-under-test/accounting.ts';
import type { EgressConfig } from '../../../../../mta-under-test/reference/core/egress.ts';
import { basicJudgement } from '../../../../../mta-under-test/reference/core/policy.ts';
import type { SendPolicy, SourceChoice } from '../../../../../mta-under-test/reference/core/policy.ts';
import {
  chooseSourceChain,
  minRatePerHour,
  warmupAndGrid,
} from '../../../../../mta-under-test/reference/policy/warmup-and-grid.ts';
import type { WarmupPlan } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import { DEFAULT_EPOCH_MS, HOUR_MS } from '../../../../../kernel/clock/clock.ts';
import { engineHarness } from '../../../../support/engine-harness.ts';
import { request, source } from '../warmup/records.ts';

const START_MS = DEFAULT_EPOCH_MS;
const GRID_NEW = source('grid-new', 12);
const GRID1 = source('grid1', 10);
const ACME1 = source('acme1', 20);
const PLAN: WarmupPlan = {
  name: 'test',
  description: 'one stage',
  ladder: [2],
  citation: '@assumption: test',
  providers: {},
};

function name(choice: SourceChoice | undefined): string {
  return choice === undefined ? 'engine' : 'source' in choice ? choice.source.name : 'hold';
}

test('the grid picks the pool, then the planner prefers the grid’s warming IP while it has allowance', () => {
  const placement = warmupAndGrid({
    warmup: { plan: PLAN, sources: [{ source: 'grid-new', startedAtMs: START_MS }] },
    grid: {
      grid: { pool: 'grid', sources: [GRID_NEW, GRID1] },
      tenants: { acme: { pool: 'acme-dedicated', sources: [ACME1] } },
      initialMembers: ['acme'],
      dedicatedShare: 0,
    },
  });
  const choices = Array.from({ length: 4 }, () =>
    name(
      placement.chooseSource(request({ atMs: START_MS, pool: 'acme-dedicated', candidates: [ACME1], tenant: 'acme' })),
    ),
  );
  expect(choices).toEqual(['grid-new', 'grid-new', 'grid1', 'grid1']);
  // Mail of no known tenant, from a pool without warming sources: left to the engine.
  expect(
    placement.chooseSource(request({ atMs: START_MS, pool: 'other', candidates: [source('x1', 30)] })),
  ).toBeUndefined();
  expect(placement.pathRatePerHour({ source: 'grid-new', site: 'example.test', provider: null }, START_MS)).toBeCloseTo(
    2 / 24,
  );
  expect(placement.pathRatePerHour({ source: 'grid1', site: 'example.test', provider: null }, START_MS)).toBeNull();
});

test('chooseSourceChain: a pool step alone is followed by round robin over its candidates; no step, no say', () => {
  const chain = chooseSourceChain(
    { routeRequest: (request_) => ({ ...request_, pool: 'b', candidates: [GRID1, GRID_NEW] }) },
    undefined,
  );
  expect([0, 1, 2].map(() => name(chain(request({ atMs: START_MS, pool: 'a', candidates: [ACME1] }))))).toEqual([
    'grid1',
    'grid-new',
    'grid1',
  ]);
  expect(chooseSourceChain()(request({ atMs: START_MS, pool: 'a', candidates: [ACME1] }))).toBeUndefined();
  expect([minRatePerHour(null, null), minRatePerHour(5, null), minRatePerHour(null, 7), minRatePerHour(5, 7)]).toEqual([
    null,
    5,
    7,
    5,
  ]);
});

const EGRESS: EgressConfig = {
  sources: [
    { name: 'acme1', sourceIp: '127.0.0.20', heloName: 'acme1.mailbench.test' },
    { name: 'grid1', sourceIp: '127.0.0.10', heloName: 'grid1.mailbench.test' },
    { name: 'grid2', sourceIp: '127.0.0.11', heloName: 'grid2.mailbench.test' },
  ],
  pools: [
    { name: 'acme-dedicated', members: [{ source: 'acme1' }] },
    { name: 'grid', members: [{ source: 'grid1' }, { source: 'grid2' }] },
  ],
  defaultPool: 'acme-dedicated',
  tenants: { acme: { pool: 'acme-dedicated' } },
};

test('in the engine: 10 % on the dedicated IP while on the grid; after a complaint spike, the dedicated IP only', async () => {
  // Arrange
  const placement = warmupAndGrid({
    grid: {
      grid: { pool: 'grid', sources: EGRESS.sources.slice(1) },
      tenants: { acme: { pool: 'acme-dedicated', sources: EGRESS.sources.slice(0, 1) } },
      initialMembers: ['acme'],
    },
  });
  const policy: SendPolicy = { judge: basicJudgement, ...placement };
  const harness = engineHarness(
    () => 'accept',
    { connectionLimit: 5, maxDeliveriesPerConnection: 50 },
    { egress: EGRESS, policy },
  );
  const inject = (prefix: string): void => {
    for (let index = 0; index < 200; index++)
      harness.engine.inject({
        mailFrom: 'bounces@news.mailbench.test',
        recipients: [`${prefix}${index}@example.test`],
        data: 'x',
        owner: { tenant: 'acme', campaign: 'c' },
      });
  };
  // Act: 200 messages on the grid, then complaints about 2 of them (1 %), then 200 more.
  inject('a');
  await harness.scheduler.run({ untilMs: START_MS + HOUR_MS });
  const first = harness.records.filter((record): record is DeliveryRecord => record.type === 'Delivery');
  for (const delivered of first.slice(0, 2)) {
    const feedback: FeedbackRecord = {
      type: 'Feedback',
      atMs: harness.scheduler.now(),
      messageId: delivered.messageId,
      recipient: delivered.recipient,
      tenant: 'acme',
      feedbackType: 'abuse',
      joinedBy: 'verp',
    };
    placement.observe(feedback);
  }
  inject('b');
  await harness.scheduler.run({ untilMs: START_MS + 2 * HOUR_MS });
  // Assert
  const deliveries = harness.records.filter((record): record is DeliveryRecord => record.type === 'Delivery');
  const bySource = (prefix: string): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const record of deliveries.filter((entry) => entry.recipient.startsWith(prefix)))
      counts[record.source ?? ''] = (counts[record.source ?? ''] ?? 0) + 1;
    return counts;
  };
  expect(bySource('a')).toEqual({ acme1: 20, grid1: 90, grid2: 90 });
  expect(bySource('b')).toEqual({ acme1: 200 });
  expect(harness.records.filter((record) => record.type === 'Policy')).toMatchObject([
    { decision: 'grid.demote', rule: 'grid.demote.complaints', tenant: 'acme' },
  ]);
  expect(placement.grid?.membership('acme', harness.scheduler.now())?.state).toBe('probation');
});
