/**
 * Which source the planner gives a delivery: a warming source while its allowance lasts, then
 * the pool's warm sources, then the overflow pool, and a hold until the next warm-up day when
 * nothing can take it. Pools without a warming source are left to the engine's rotation.
 */
import { expect, test } from 'vitest';
import { WarmupPlanner, sendgrid } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import type { WarmupPlan } from '../../../../../mta-under-test/reference/policy/warmup/index.ts';
import { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS } from '../../../../../kernel/clock/clock.ts';
import { request, source } from './records.ts';

const START_MS = DEFAULT_EPOCH_MS;
const PLAN: WarmupPlan = {
  name: 'test',
  description: 'two stages',
  ladder: [3, 6],
  citation: '@assumption: test',
  providers: {},
};
const NEW1 = source('new1', 2);
const NEW2 = source('new2', 3);
const WARM1 = source('warm1', 4);
const SHARED1 = source('shared1', 5);

function names(choices: readonly ReturnType<WarmupPlanner['chooseSource']>[]): string[] {
  return choices.map((choice) =>
    choice === undefined
      ? 'engine'
      : 'source' in choice
        ? choice.source.name
        : 'pool' in choice
          ? `pool:${choice.pool}`
          : `hold@${choice.holdUntilMs - START_MS}`,
  );
}

test('the warming source takes its allowance, then the overflow goes to the warm source of the pool', () => {
  // Arrange
  const planner = new WarmupPlanner({ plan: PLAN, sources: [{ source: 'new1', startedAtMs: START_MS }] });
  // Act
  const choices = Array.from({ length: 5 }, () =>
    planner.chooseSource(request({ atMs: START_MS + HOUR_MS, pool: 'p', candidates: [NEW1, WARM1] })),
  );
  // Assert
  expect(names(choices)).toEqual(['new1', 'new1', 'new1', 'warm1', 'warm1']);
  expect(planner.allowance('new1', null, START_MS + HOUR_MS)).toMatchObject({ grantedToday: 3, remainingToday: 0 });
});

test('with no warm source left it holds until the next warm-up day, when the allowance renews', () => {
  const planner = new WarmupPlanner({ plan: PLAN, sources: [{ source: 'new1', startedAtMs: START_MS }] });
  const at = (atMs: number) => planner.chooseSource(request({ atMs, pool: 'p', candidates: [NEW1] }));
  expect(names([at(START_MS), at(START_MS), at(START_MS), at(START_MS + HOUR_MS)])).toEqual([
    'new1',
    'new1',
    'new1',
    `hold@${DAY_MS}`,
  ]);
  expect(names([at(START_MS + DAY_MS)])).toEqual(['new1']);
});

test('a delivery with more recipients than the allowance left goes elsewhere, or waits, or takes an untouched day', () => {
  const planner = new WarmupPlanner({ plan: PLAN, sources: [{ source: 'new1', startedAtMs: START_MS }] });
  expect(
    names([planner.chooseSource(request({ atMs: START_MS, pool: 'p', candidates: [NEW1, WARM1], recipients: 4 }))]),
  ).toEqual(['warm1']);
  expect(planner.allowance('new1', null, START_MS)?.grantedToday).toBe(0);
  // With nowhere else to go it would wait for ever: an untouched warming day takes it, once.
  const alone = (atMs: number) => planner.chooseSource(request({ atMs, pool: 'p', candidates: [NEW1], recipients: 4 }));
  expect(names([alone(START_MS), alone(START_MS), alone(START_MS + DAY_MS)])).toEqual([
    'new1',
    `hold@${DAY_MS}`,
    'new1',
  ]);
});

test('a pool with only warming sources overflows to the overflow pool, never to a warming source there', () => {
  const planner = new WarmupPlanner({
    plan: PLAN,
    sources: [
      { source: 'new1', startedAtMs: START_MS },
      { source: 'new2', startedAtMs: START_MS },
    ],
    overflow: { cold: [NEW2, SHARED1] },
  });
  const choices = Array.from({ length: 8 }, () =>
    planner.chooseSource(request({ atMs: START_MS, pool: 'cold', candidates: [NEW1] })),
  );
  expect(names(choices)).toEqual(['new1', 'new1', 'new1', 'shared1', 'shared1', 'shared1', 'shared1', 'shared1']);
});

test('two warming sources share the day: the one with more allowance left goes first', () => {
  const planner = new WarmupPlanner({
    plan: PLAN,
    sources: [
      { source: 'new1', startedAtMs: START_MS },
      { source: 'new2', startedAtMs: START_MS },
    ],
  });
  const choices = Array.from({ length: 7 }, () =>
    planner.chooseSource(request({ atMs: START_MS, pool: 'p', candidates: [NEW1, NEW2, WARM1] })),
  );
  expect(names(choices)).toEqual(['new1', 'new2', 'new1', 'new2', 'new1', 'new2', 'warm1']);
});

test('a pool without warming sources, or a source whose warm-up is not started, is not held by the warm-up', () => {
  const planner = new WarmupPlanner({ plan: PLAN, sources: [{ source: 'new1', startedAtMs: START_MS + DAY_MS }] });
  expect(planner.chooseSource(request({ atMs: START_MS, pool: 'warm', candidates: [WARM1] }))).toBeUndefined();
  expect(names([planner.chooseSource(request({ atMs: START_MS, pool: 'p', candidates: [NEW1, WARM1] }))])).toEqual([
    'warm1',
  ]);
  expect(names([planner.chooseSource(request({ atMs: START_MS, pool: 'p', candidates: [NEW1] }))])).toEqual([
    `hold@${DAY_MS}`,
  ]);
});

test('options are checked: a source named twice and a bad start stage are both reported', () => {
  expect(
    () =>
      new WarmupPlanner({
        plan: PLAN,
        sources: [
          { source: 'new1', startedAtMs: 0 },
          { source: 'new1', startedAtMs: 0, startStage: 0 },
        ],
      }),
  ).toThrow(
    /sources\[1\]\.source: 'new1' is named twice\n {2}- sources\[1\]\.startStage: must be a whole number ≥ 1 \(got 0\)/,
  );
});

test('SendGrid counts per hour: 20 in warm-up hour 1 of day 1, the rest overflows, or waits for the next hour', () => {
  // Arrange
  const planner = new WarmupPlanner({ plan: sendgrid, sources: [{ source: 'new1', startedAtMs: START_MS }] });
  const at = (atMs: number, candidates = [NEW1, WARM1]) =>
    planner.chooseSource(request({ atMs, pool: 'p', candidates }));
  // Act
  const firstHour = Array.from({ length: 25 }, () => at(START_MS + 10 * 60_000));
  const held = at(START_MS + 20 * 60_000, [NEW1]);
  const nextHour = at(START_MS + HOUR_MS + 60_000, [NEW1]);
  // Assert
  expect(names(firstHour).filter((name) => name === 'new1')).toHaveLength(20);
  expect(names(firstHour).slice(20)).toEqual(['warm1', 'warm1', 'warm1', 'warm1', 'warm1']);
  expect(names([held, nextHour])).toEqual([`hold@${HOUR_MS}`, 'new1']);
  expect(planner.pathRatePerHour({ source: 'new1', site: 'example.test', provider: null }, START_MS)).toBe(20);
});
