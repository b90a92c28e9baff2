/**
 * DESIGN rule 1, end to end: a sim-mode run is a pure function of (scenario, seed). The whole
 * smoke scenario runs twice with one seed and once with another; the serialized reports must
 * be identical byte for byte in the first case and differ in the second.
 */
import { expect, test } from 'vitest';
import { runScenario } from '../../runner/run.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import smoke from '../../scenarios/smoke.ts';

const scenario = resolveScenario(smoke);

async function reportJson(seed: string): Promise<string> {
  const { report } = await runScenario({ scenario, seed, mode: 'sim' });
  return JSON.stringify(report, null, 2);
}

test('the same seed gives a byte-identical report, another seed a different one', async () => {
  // Act
  const first = await reportJson('7');
  const replay = await reportJson('7');
  const otherSeed = await reportJson('8');
  // Assert
  expect(replay).toBe(first);
  expect(otherSeed).not.toBe(first);
});

test('the smoke run ends with every message final, the unknown users bounced and the rate limit met', async () => {
  // Act
  const { report } = await runScenario({ scenario, seed: '1', mode: 'sim' });
  // Assert
  const { messages, causes, confusion } = report.figures;
  const unknown = Math.round(scenario.population.recipients * scenario.population.unknownShare);
  expect(report.outcome).toEqual({ status: 'passed' });
  expect(messages).toEqual({
    injected: 10_000,
    delivered: 10_000 - unknown,
    bounced: unknown,
    expired: 0,
    inFlight: 0,
  });
  expect(causes['unknown-user']).toBe(unknown);
  // Every accepted message was filed somewhere: inbox, spam folder or a silent discard.
  expect(causes['delivered-inbox'] + causes['delivered-spam'] + causes.discarded).toBe(10_000 - unknown);
  expect(causes['delivered-inbox']).toBeGreaterThan(causes['delivered-spam']);
  expect(causes['rate-limited']).toBeGreaterThan(0);
  expect(confusion['unknown-user']).toEqual({ 'unknown-user': unknown });
  expect(confusion['rate-limited']).toEqual({ 'rate-limited': causes['rate-limited'] });
  expect(report.clock.endMs - report.clock.startMs).toBeGreaterThan(3_600_000);
});
