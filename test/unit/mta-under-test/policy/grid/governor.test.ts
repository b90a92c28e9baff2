/**
 * The grid governor fed whole days of a tenant's records: it promotes above 98 % deliverability
 * over a full 7-day window and not below, demotes at once on a complaint spike or blocks, and
 * while a tenant is on the grid keeps 10 % of its mail on the dedicated IP. Every decision is a
 * Policy record with the window's figures.
 */
import { expect, test } from 'vitest';
import type { PolicyRecord, ThrottleRecord } from '../../../../../mta-under-test/accounting.ts';
import type { SourceChoice } from '../../../../../mta-under-test/reference/core/policy.ts';
import { GridGovernor } from '../../../../../mta-under-test/reference/policy/grid/index.ts';
import { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS } from '../../../../../kernel/clock/clock.ts';
import { bounce, complaint, delivery, expiration, request, source } from '../warmup/records.ts';

const START_MS = DEFAULT_EPOCH_MS;
const GRID1 = source('grid1', 10);
const GRID2 = source('grid2', 11);
const ACME1 = source('acme1', 20);

function governor(options: { initialMembers?: readonly string[] } = {}): {
  grid: GridGovernor;
  records: (PolicyRecord | ThrottleRecord)[];
} {
  const records: (PolicyRecord | ThrottleRecord)[] = [];
  const grid = new GridGovernor({
    grid: { pool: 'grid', sources: [GRID1, GRID2] },
    tenants: { acme: { pool: 'acme-dedicated', sources: [ACME1] } },
    ...options,
  });
  grid.attach((record) => records.push(record));
  return { grid, records };
}

/** One day of `delivered` deliveries, `bounced` bounces and `expired` expirations for acme. */
function feedDay(
  grid: GridGovernor,
  day: number,
  counts: { delivered: number; bounced?: number; expired?: number },
): void {
  const atMs = START_MS + day * DAY_MS + HOUR_MS;
  for (let index = 0; index < counts.delivered; index++) grid.observe(delivery({ atMs, tenant: 'acme' }));
  for (let index = 0; index < (counts.bounced ?? 0); index++) grid.observe(bounce({ atMs, tenant: 'acme' }));
  for (let index = 0; index < (counts.expired ?? 0); index++) grid.observe(expiration({ atMs, tenant: 'acme' }));
}

function poolOf(choice: SourceChoice | undefined): string {
  if (choice === undefined || !('source' in choice)) return 'none';
  return choice.source.name.startsWith('grid') ? 'grid' : 'dedicated';
}

test('above 98 % over a full 7-day window: promoted at the day end, with the window in the record', () => {
  // Arrange: 7 days of 990 delivered, 10 bounced (99.0 %).
  const { grid, records } = governor();
  for (let day = 0; day < 7; day++) feedDay(grid, day, { delivered: 990, bounced: 10 });
  // Act
  const membership = grid.membership('acme', START_MS + 7 * DAY_MS);
  // Assert
  expect(membership).toMatchObject({
    state: 'grid',
    onGrid: true,
    sinceMs: START_MS + 7 * DAY_MS,
    promotableFromMs: null,
  });
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    type: 'Policy',
    decision: 'grid.promote',
    rule: 'grid.promote.deliverability',
    tenant: 'acme',
    atMs: START_MS + 7 * DAY_MS,
  });
  expect((records[0] as PolicyRecord).detail).toContain('window 2026-01-05 – 2026-01-11');
  expect((records[0] as PolicyRecord).detail).toContain(
    'deliverability 99.00 % (6930 delivered of 7000: 70 bounced, 0 expired, 0 async bounces)',
  );
});

test('not promoted below 98 % (expirations count against it), nor before a full window', () => {
  const below = governor();
  for (let day = 0; day < 7; day++) feedDay(below.grid, day, { delivered: 975, bounced: 10, expired: 15 });
  expect(below.grid.membership('acme', START_MS + 7 * DAY_MS)).toMatchObject({
    state: 'dedicated',
    deliverability: 0.975,
  });
  const early = governor();
  for (let day = 0; day < 6; day++) feedDay(early.grid, day, { delivered: 1000 });
  expect(early.grid.membership('acme', START_MS + 6 * DAY_MS)).toMatchObject({
    state: 'dedicated',
    promotableFromMs: START_MS + 7 * DAY_MS,
  });
  expect([...below.records, ...early.records]).toEqual([]);
});

test('a promoted tenant keeps 10 % of its recipients on its dedicated IP, the rest on the grid', () => {
  const { grid } = governor({ initialMembers: ['acme'] });
  const pools = Array.from({ length: 100 }, () =>
    poolOf(grid.chooseSource(request({ atMs: START_MS, pool: 'acme-dedicated', candidates: [ACME1], tenant: 'acme' }))),
  );
  expect(pools.filter((pool) => pool === 'dedicated')).toHaveLength(10);
  expect(pools.slice(0, 10)).toEqual([
    'dedicated',
    'grid',
    'grid',
    'grid',
    'grid',
    'grid',
    'grid',
    'grid',
    'grid',
    'grid',
  ]);
  // The 101st goes to the dedicated IP again (10 of 101 is below 10 %), the 102nd to the grid's sources.
  const routed = Array.from({ length: 2 }, () =>
    grid.routeRequest(request({ atMs: START_MS, pool: 'acme-dedicated', candidates: [ACME1], tenant: 'acme' })),
  );
  expect(routed.map((entry) => [entry.pool, entry.candidates.map((candidate) => candidate.name)])).toEqual([
    ['acme-dedicated', ['acme1']],
    ['grid', ['grid1', 'grid2']],
  ]);
});

test('a complaint spike demotes at once: the tenant sends from its dedicated pool only', () => {
  // Arrange
  const { grid, records } = governor({ initialMembers: ['acme'] });
  const atMs = START_MS + HOUR_MS;
  const delivered = Array.from({ length: 500 }, () => delivery({ atMs, tenant: 'acme' }));
  for (const record of delivered) grid.observe(record);
  // Act: 2 complaints of 500 (0.4 %) pass Gmail's 0.3 %.
  grid.observe(complaint(delivered[0] as (typeof delivered)[number], atMs + HOUR_MS));
  expect(grid.membership('acme', atMs + HOUR_MS)?.state).toBe('grid');
  grid.observe(complaint(delivered[1] as (typeof delivered)[number], atMs + 2 * HOUR_MS));
  // Assert
  expect(grid.membership('acme', atMs + 2 * HOUR_MS)).toMatchObject({
    state: 'probation',
    onGrid: false,
    promotableFromMs: START_MS + 8 * DAY_MS,
  });
  expect(records).toMatchObject([
    { decision: 'grid.demote', rule: 'grid.demote.complaints', tenant: 'acme', atMs: atMs + 2 * HOUR_MS },
  ]);
  expect((records[0] as PolicyRecord).detail).toContain('2 complaints (0.40 % of delivered)');
  const pools = Array.from({ length: 20 }, () =>
    poolOf(
      grid.chooseSource(
        request({ atMs: atMs + 3 * HOUR_MS, pool: 'acme-dedicated', candidates: [ACME1], tenant: 'acme' }),
      ),
    ),
  );
  expect(new Set(pools)).toEqual(new Set(['dedicated']));
});

test('blocks demote too; a full good window after the demotion day promotes again', () => {
  const { grid, records } = governor({ initialMembers: ['acme'] });
  feedDay(grid, 0, { delivered: 900 });
  for (let index = 0; index < 20; index++)
    grid.observe(bounce({ atMs: START_MS + 2 * HOUR_MS, tenant: 'acme' }, 'blocklisted'));
  expect(records.at(-1)).toMatchObject({ decision: 'grid.demote', rule: 'grid.demote.blocks' });
  for (let day = 1; day <= 7; day++) feedDay(grid, day, { delivered: 1000 });
  expect(grid.membership('acme', START_MS + 7 * DAY_MS + HOUR_MS)?.state).toBe('probation');
  expect(grid.membership('acme', START_MS + 8 * DAY_MS)?.state).toBe('grid');
  expect(records.map((record) => (record as PolicyRecord).decision)).toEqual(['grid.demote', 'grid.promote']);
});

test('a tenant not on the grid that misbehaves goes on probation; unknown tenants and named pools are left alone', () => {
  const { grid, records } = governor();
  feedDay(grid, 0, { delivered: 90, bounced: 10 });
  expect(records).toMatchObject([{ decision: 'grid.probation', rule: 'grid.probation.bounces' }]);
  expect(
    grid.chooseSource(request({ atMs: START_MS, pool: 'other', candidates: [GRID1], tenant: 'someone-else' })),
  ).toBeUndefined();
  const named = request({ atMs: START_MS, pool: 'other', candidates: [GRID1], tenant: 'acme' });
  expect(grid.routeRequest({ ...named, owner: { tenant: 'acme', pool: 'other' } }).pool).toBe('other');
  expect(grid.membership('nobody', START_MS)).toBeUndefined();
});

test('options are checked, every problem named', () => {
  expect(
    () =>
      new GridGovernor({
        grid: { pool: 'grid', sources: [] },
        tenants: { acme: { pool: 'grid', sources: [] } },
        initialMembers: ['zed'],
        dedicatedShare: 2,
      }),
  ).toThrow(
    /grid\.sources: .*\n.*tenants\.acme\.sources: .*\n.*tenants\.acme\.pool: .*\n.*initialMembers: unknown tenant 'zed'\n.*dedicatedShare: must be in \[0, 1\] \(got 2\)/,
  );
});
