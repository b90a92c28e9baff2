/**
 * Properties of the grid over random weeks of a tenant's traffic: after a demotion the tenant is
 * off the grid until a full new window has passed (promotion no earlier than the end of the
 * demotion day plus `windowDays` days); it is on the grid exactly between a promote and the next
 * demote record; and while on the grid the dedicated share is kept to within one delivery.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../../support/test-seed.ts';
import type { AccountingRecord, PolicyRecord } from '../../../../../mta-under-test/accounting.ts';
import { GridGovernor } from '../../../../../mta-under-test/reference/policy/grid/index.ts';
import { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS } from '../../../../../kernel/clock/clock.ts';
import { bounce, complaint, delivery, request, source } from '../warmup/records.ts';

const START_MS = DEFAULT_EPOCH_MS;
// Mostly good days, so that tenants get promoted and can then be demoted.
const goodDay = fc.record({
  delivered: fc.integer({ min: 0, max: 300 }),
  bounced: fc.integer({ min: 0, max: 3 }),
  complaints: fc.constant(0),
  blocked: fc.constant(0),
  routed: fc.integer({ min: 0, max: 30 }),
});
const anyDay = fc.record({
  delivered: fc.integer({ min: 0, max: 300 }),
  bounced: fc.integer({ min: 0, max: 12 }),
  complaints: fc.integer({ min: 0, max: 2 }),
  blocked: fc.integer({ min: 0, max: 4 }),
  routed: fc.integer({ min: 0, max: 30 }),
});
const day = fc.oneof({ arbitrary: goodDay, weight: 4 }, { arbitrary: anyDay, weight: 1 });

/** A day's records at increasing hours: deliveries, then bounces, blocks and complaints interleaved. */
function recordsOf(
  dayIndex: number,
  figures: { delivered: number; bounced: number; complaints: number; blocked: number },
): AccountingRecord[] {
  const atMs = (hour: number): number => START_MS + dayIndex * DAY_MS + hour * HOUR_MS;
  const delivered = Array.from({ length: figures.delivered }, (_, index) =>
    delivery({ atMs: atMs(1 + (index % 10)), tenant: 'acme' }),
  );
  const bad: AccountingRecord[] = [
    ...Array.from({ length: figures.bounced }, (_, index) => bounce({ atMs: atMs(12 + (index % 5)), tenant: 'acme' })),
    ...Array.from({ length: figures.blocked }, () => bounce({ atMs: atMs(18), tenant: 'acme' }, 'reputation-block')),
    ...delivered.slice(0, figures.complaints).map((record) => complaint(record, atMs(20))),
  ];
  return [...delivered, ...bad].sort((a, b) => a.atMs - b.atMs);
}

test('never on the grid after a demotion before a full new window; on the grid exactly between promote and demote', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.boolean(),
      fc.array(day, { minLength: 1, maxLength: 25 }),
      (windowDays, startOnGrid, days) => {
        const decisions: PolicyRecord[] = [];
        const grid = new GridGovernor({
          grid: { pool: 'grid', sources: [source('grid1', 10)] },
          tenants: { acme: { pool: 'dedicated', sources: [source('acme1', 20)] } },
          promotion: { windowDays, messagesMin: 50 },
          demotion: { messagesMin: 20 },
          ...(startOnGrid ? { initialMembers: ['acme'] } : {}),
        });
        grid.attach((record) => {
          if (record.type === 'Policy') decisions.push(record);
        });
        let onGrid = startOnGrid;
        let lastDemotionMs: number | null = null;
        const check = (nowMs: number): void => {
          const membership = grid.membership('acme', nowMs);
          for (const decision of decisions.splice(0)) {
            if (decision.decision === 'grid.promote') {
              expect(onGrid).toBe(false);
              if (lastDemotionMs !== null)
                expect(decision.atMs).toBeGreaterThanOrEqual(
                  (Math.floor(lastDemotionMs / DAY_MS) + 1 + windowDays) * DAY_MS,
                );
              onGrid = true;
            }
            if (decision.decision === 'grid.demote') {
              expect(onGrid).toBe(true);
              onGrid = false;
              lastDemotionMs = decision.atMs;
            }
          }
          expect(membership?.onGrid).toBe(onGrid);
          if (lastDemotionMs !== null && nowMs < (Math.floor(lastDemotionMs / DAY_MS) + 1 + windowDays) * DAY_MS)
            expect(membership?.onGrid).toBe(false);
        };
        days.forEach((figures, dayIndex) => {
          let routedDedicated = 0;
          for (let index = 0; index < figures.routed; index++) {
            const routed = grid.routeRequest(
              request({
                atMs: START_MS + dayIndex * DAY_MS,
                pool: 'dedicated',
                candidates: [source('acme1', 20)],
                tenant: 'acme',
              }),
            );
            if (routed.pool === 'dedicated') routedDedicated++;
          }
          if (onGrid && figures.routed > 0)
            expect(Math.abs(routedDedicated - 0.1 * figures.routed)).toBeLessThanOrEqual(1);
          if (!onGrid) expect(routedDedicated).toBe(figures.routed);
          for (const record of recordsOf(dayIndex, figures)) {
            grid.observe(record);
            check(record.atMs);
          }
          check(START_MS + (dayIndex + 1) * DAY_MS);
        });
      },
    ),
    { seed: testSeed(20_260_105), numRuns: 150 },
  );
});
