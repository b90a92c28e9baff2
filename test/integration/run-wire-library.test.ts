/**
 * Library scenarios over real SMTP at reduced scale (issue 6: smoke, b2b-bogus-bounces and
 * black-friday-spike also run in wire mode): the same timeline, receivers behind smtp-server
 * listeners on 127.0.1.x, the engine's own SMTP client from the scenario's loopback sources, on
 * a fast scaled clock so days of the scenario pass in seconds.
 */
import { expect, test } from 'vitest';
import { runScenario } from '../../runner/run.ts';
import { findScenario } from '../../scenarios/library.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import type { ScenarioInput } from '../../scenarios/scenario.ts';

function library(name: string): ScenarioInput {
  const input = findScenario(name);
  if (input === undefined) throw new Error(`no built-in scenario ${name}`);
  return input;
}

test('black-friday-spike over real SMTP: every day of the timeline is sent, the spike ten times the others', async () => {
  const input = library('black-friday-spike');
  // 0.2 s a simulated hour (34 s for the week): on a loaded 2-core machine a faster clock runs days past
  // while the process waits for the CPU, and deliveries expire that a quiet machine makes in time.
  const scenario = resolveScenario(
    { ...input, limits: { ...input.limits, realSecondsPerSimulatedHour: 0.2, realDurationMaxMs: 240_000 } },
    { scale: 0.01 },
  );
  const { report } = await runScenario({ scenario, seed: '1', mode: 'wire' });
  expect(report.mode).toBe('wire');
  expect(report.figures.messages.inFlight).toBe(0);
  const campaigns = report.figures.campaigns ?? [];
  expect(campaigns.map((each) => each.campaign)).toEqual(
    Array.from({ length: 7 }, (_, day) => `daily newsletter ${day + 1}/7`),
  );
  const spike = campaigns[4];
  const ordinary = campaigns[3];
  expect(spike?.injected).toBe((ordinary?.injected ?? 0) * 10);
  expect(report.figures.messages.injected).toBe(campaigns.reduce((total, each) => total + each.injected, 0));
  expect(report.figures.messages.delivered / report.figures.messages.injected).toBeGreaterThan(0.95);
  expect(report.figures.attempts.truthWithoutAttempt).toBe(0);
}, 300_000);

test("b2b-bogus-bounces over real SMTP: no valid address is suppressed for a gateway's disguised refusal", async () => {
  const input = library('b2b-bogus-bounces');
  const scenario = resolveScenario(
    { ...input, limits: { ...input.limits, realSecondsPerSimulatedHour: 0.5, realDurationMaxMs: 240_000 } },
    { scale: 0.1 },
  );
  const { report } = await runScenario({ scenario, seed: '11', mode: 'wire' });
  expect(report.outcome.status).toBe('passed');
  expect(report.figures.messages.injected).toBe(2_000);
  const classification = report.figures.classification;
  expect(classification?.validWronglySuppressed).toBe(0);
  expect(report.figures.causes['unknown-user']).toBeGreaterThan(0);
  expect(classification?.unknownUserSuppressedShare ?? 1).toBeGreaterThanOrEqual(0.9);
}, 300_000);
