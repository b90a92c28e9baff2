/**
 * One scenario with a pause, three engines: the reference engine in sim mode, the same engine
 * behind MtaUnderTest over real SMTP (it has the pause capability), and that adapter with the
 * capability taken away. The two that can pause carry it out (every source suspended for the
 * pause, nothing attempted inside it); the one that cannot says so in its report, in the JSON
 * and in the Markdown a reader sees, instead of dropping the pause silently.
 */
import { expect, test } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../kernel/clock/clock.ts';
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { referenceInProcess } from '../../mta-under-test/adapters/reference/index.ts';
import type { MtaUnderTest } from '../../mta-under-test/adapters/mta-under-test.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { engineConfigOf } from '../../runner/engine-config.ts';
import { runScenarioWithMta } from '../../runner/mta-run.ts';
import type { RunClock } from '../../runner/engine-spec.ts';
import { placementOf, policyFor } from '../../runner/placement-policy.ts';
import { runScenario } from '../../runner/run.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import type { ResolvedScenario } from '../../scenarios/scenario.ts';
import smoke from '../../scenarios/smoke.ts';

const PAUSE_AT_MS = 5 * MINUTE_MS;
const PAUSE_FOR_MS = 2 * HOUR_MS;
const PAUSE_REASON = 'the scenario pauses the sender';

/** Gmail recipients at once from a new IP, a two-hour pause 5 minutes in. */
function pausedSmoke(recipients: number): ResolvedScenario {
  return resolveScenario({
    ...smoke,
    population: { ...smoke.population, recipients },
    sender: { ...smoke.sender, shaping: { default: { connectionLimit: 2 } } },
    timeline: [
      { kind: 'campaign', at: '0h', volume: recipients },
      { kind: 'pause', at: '5m', for: '2h' },
    ],
    // 1 s of real time a simulated hour: the two-hour pause lasts two real seconds.
    limits: { ...smoke.limits, realSecondsPerSimulatedHour: 1, realDurationMaxMs: 240_000 },
  });
}

/** Over real SMTP: few enough to take seconds. */
const SCENARIO = pausedSmoke(200);

function referenceAdapter(records: AccountingRecord[], withPause: boolean): (clock: RunClock) => MtaUnderTest {
  return (clock) => {
    const { egress, shaping } = engineConfigOf(SCENARIO);
    const mta = referenceInProcess({
      clock,
      egress,
      shaping,
      policy: policyFor('reference', placementOf(SCENARIO, clock.nowMs())),
    });
    mta.onDecision((record) => records.push(record));
    if (withPause) return mta;
    // The same engine, seen through an adapter that offers no pause.
    return {
      name: 'no-pause',
      version: () => mta.version(),
      start: (environment) => mta.start(environment),
      inject: (messages) => mta.inject(messages),
      onDecision: (listener) => mta.onDecision(listener),
      stop: () => mta.stop(),
    };
  };
}

function pauseSuspensions(records: readonly AccountingRecord[]) {
  return records.filter((record) => record.type === 'Suspend' && record.reason === PAUSE_REASON);
}

test('in sim mode the reference engine suspends every source for the pause and attempts nothing inside it', async () => {
  // The library's 10,000: the new IP meets Gmail's hourly limit, so retries are queued when the pause begins.
  const scenario = pausedSmoke(10_000);
  const records: AccountingRecord[] = [];
  const { report } = await runScenario({
    scenario,
    seed: '3',
    mode: 'sim',
    observers: { accounting: (record) => records.push(record) },
  });
  const startMs = report.clock.startMs;
  expect(report.engine.capabilities).toContain('pause');
  expect(report.engine.notCarriedOut).toBeUndefined();
  expect(pauseSuspensions(records).map((record) => record.type === 'Suspend' && record.untilMs - record.atMs)).toEqual(
    scenario.sender.sources.map(() => PAUSE_FOR_MS),
  );
  const attempts = records.filter(
    (record) => record.type === 'Delivery' || record.type === 'Bounce' || record.type === 'TransientFailure',
  );
  expect(
    attempts.filter(
      (record) => record.atMs > startMs + PAUSE_AT_MS && record.atMs < startMs + PAUSE_AT_MS + PAUSE_FOR_MS,
    ),
  ).toEqual([]);
  // Work was queued when the pause began: it waited, and went out after.
  expect(attempts.some((record) => record.atMs >= startMs + PAUSE_AT_MS + PAUSE_FOR_MS)).toBe(true);
});

test('over real SMTP, an adapter with the pause capability carries it out; one without it records the pause as not carried out', async () => {
  const paused: AccountingRecord[] = [];
  const withPause = await runScenarioWithMta({ scenario: SCENARIO, seed: '3', mta: referenceAdapter(paused, true) });
  expect(withPause.report.engine.capabilities).toEqual(['pause', 'decisions: every attempt']);
  expect(withPause.report.engine.notCarriedOut).toBeUndefined();
  expect(pauseSuspensions(paused)).toHaveLength(SCENARIO.sender.sources.length);
  expect(withPause.report.figures.messages.inFlight).toBe(0);

  const unpaused: AccountingRecord[] = [];
  const without = await runScenarioWithMta({ scenario: SCENARIO, seed: '3', mta: referenceAdapter(unpaused, false) });
  expect(without.report.engine.capabilities).toEqual(['decisions: every attempt']);
  expect(without.report.engine.notCarriedOut).toEqual([
    {
      event: 'pause',
      atMs: PAUSE_AT_MS,
      forMs: PAUSE_FOR_MS,
      why: expect.stringContaining('no-pause has no pause capability') as unknown,
    },
  ]);
  expect(pauseSuspensions(unpaused)).toEqual([]);
  expect(renderMarkdown(without.report)).toContain('⚠️ Not carried out by no-pause: pause at +0 h 05 min for 2h');
}, 240_000);
