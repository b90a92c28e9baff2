/**
 * Properties of the planner under any mix of requests and outcomes, in time order: the
 * allowance is never negative, no warm-up day grants a source more than its stage's target (nor
 * any hour more than target ÷ 24, for hourly plans) except a single delivery too large for any
 * period, and
 * the stage index stays within the plan (1 … stages + 1, the last meaning complete).
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../../support/test-seed.ts';
import type { AccountingRecord } from '../../../../../mta-under-test/accounting.ts';
import { WarmupPlanner } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import type { WarmupPlan } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS, MINUTE_MS } from '../../../../../kernel/clock/clock.ts';
import type { Class } from '../../../../../kernel/taxonomy.ts';
import { bounce, deferral, delivery, request, source } from './records.ts';

const START_MS = DEFAULT_EPOCH_MS;
const NEW1 = source('new1', 2);
const WARM1 = source('warm1', 3);

const step = fc.oneof(
  fc.record({
    kind: fc.constant('request' as const),
    recipients: fc.integer({ min: 1, max: 4 }),
    withWarm: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('outcome' as const),
    outcome: fc.constantFrom('delivered', 'deferred', 'unknown-user', 'reputation-block', 'blocklisted'),
  }),
);

function outcomeRecord(outcome: string, atMs: number): AccountingRecord {
  const fields = { atMs, source: 'new1', provider: 'gmail' };
  if (outcome === 'delivered') return delivery(fields);
  if (outcome === 'deferred') return deferral(fields);
  return bounce(fields, outcome as Class);
}

/**
 * Records a grant in its period and checks the period's cap: the grants fit within it, or the
 * period holds one delivery only, too large for any period (the planner lets such a delivery
 * take an untouched period rather than wait for ever).
 */
function grant(periods: Map<number, number[]>, period: number, recipients: number, cap: number): void {
  const grants = [...(periods.get(period) ?? []), recipients];
  periods.set(period, grants);
  const total = grants.reduce((sum, count) => sum + count, 0);
  if (total > cap) expect(grants).toEqual([recipients]);
}

test('allowance never negative, grants within the day’s target, stage within the plan', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 6 }),
      fc.constantFrom('day' as const, 'hour' as const),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 12 * 60 }), step), { minLength: 1, maxLength: 300 }),
      (ladder, allowancePeriod, steps) => {
        const plan: WarmupPlan = {
          name: 'p',
          description: '',
          ladder,
          citation: '@assumption: property',
          providers: {},
          allowancePeriod,
        };
        const planner = new WarmupPlanner({ plan, sources: [{ source: 'new1', startedAtMs: START_MS }] });
        let nowMs = START_MS;
        const grantsByDay = new Map<number, number[]>();
        const grantsByHour = new Map<number, number[]>();
        for (const [minutes, action] of steps) {
          nowMs += minutes * MINUTE_MS;
          const before = planner.allowance('new1', 'gmail', nowMs);
          if (action.kind === 'request') {
            const choice = planner.chooseSource(
              request({
                atMs: nowMs,
                pool: 'p',
                candidates: action.withWarm ? [NEW1, WARM1] : [NEW1],
                provider: 'gmail',
                recipients: action.recipients,
              }),
            );
            if (
              choice !== undefined &&
              'source' in choice &&
              choice.source.name === 'new1' &&
              typeof before?.targetPerDay === 'number'
            ) {
              const hourlyCap = Math.max(1, Math.floor(before.targetPerDay / 24));
              grant(grantsByDay, Math.floor((nowMs - START_MS) / DAY_MS), action.recipients, before.targetPerDay);
              if (allowancePeriod === 'hour')
                grant(grantsByHour, Math.floor((nowMs - START_MS) / HOUR_MS), action.recipients, hourlyCap);
            }
            if (choice !== undefined && 'holdUntilMs' in choice) expect(choice.holdUntilMs).toBeGreaterThan(nowMs);
          } else planner.observe(outcomeRecord(action.outcome, nowMs));
          const after = planner.allowance('new1', 'gmail', nowMs);
          if (after === undefined) throw new Error('the warming source is known');
          expect(after.remainingToday === null || after.remainingToday >= 0).toBe(true);
          expect(after.stage).toBeGreaterThanOrEqual(1);
          expect(after.stage).toBeLessThanOrEqual(ladder.length + 1);
          expect(after.complete).toBe(after.stage === ladder.length + 1);
          if (after.ratePerHour !== null) expect(after.ratePerHour).toBeGreaterThan(0);
        }
      },
    ),
    { seed: testSeed(20_260_105), numRuns: 300 },
  );
});
