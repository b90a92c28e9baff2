/**
 * Receiver faults at scripted rates, end to end in sim mode: a 421 at connect, transient
 * server errors, connections dropped or hung in DATA. The sender must survive all of them:
 * every message still ends delivered, bounced or expired, every fault is in the truth, and a
 * fault the sender never got an answer to is counted apart, not paired with a later attempt.
 */
import { expect, test } from 'vitest';
import { runScenario } from '../../runner/run.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import smoke from '../../scenarios/smoke.ts';

const FAULTY = resolveScenario({
  ...smoke,
  name: 'faulty',
  population: { recipients: 2_000, domains: ['gmail.com', 'yahoo.com', 'orange.fr'], unknownShare: 0.02 },
  receivers: {
    limitsOff: true,
    faults: {
      refuseAtConnect: 0.05,
      serverError: 0.03,
      dropInData: 0.02,
      timeoutInData: 0.01,
      slowBanner: 0.1,
      slowBannerMs: 20_000,
    },
  },
});

test('with faults at scripted rates every message still ends final, and each fault is in the truth', async () => {
  // Act
  const { report } = await runScenario({ scenario: FAULTY, seed: '7', mode: 'sim' });
  // Assert
  const { figures } = report;
  expect(report.outcome).toEqual({ status: 'passed' });
  expect(figures.messages.inFlight).toBe(0);
  expect(figures.causes['server-error']).toBeGreaterThan(0);
  expect(figures.causes['network-error']).toBeGreaterThan(0);
  expect(figures.confusion['server-error']).toMatchObject({ 'server-error': expect.any(Number) as unknown });
  // A dropped or hung DATA gets no reply: those attempts have no truth to pair with.
  expect(figures.attempts.attemptsWithoutTruth).toBeGreaterThan(0);
  expect(figures.attempts.truthWithoutAttempt).toBe(0);
});

test('an unknown fault or a rate outside [0, 1] is named', () => {
  // Act
  const attempt = () =>
    resolveScenario({ ...smoke, receivers: { faults: { dropInData: 2, lightning: 0.1 } as never } });
  // Assert
  expect(attempt).toThrow(/receivers\.faults\.dropInData: must be a rate in \[0, 1\] \(got 2\)/);
  expect(attempt).toThrow(/receivers\.faults\.lightning: is not a fault \(known: refuseAtConnect/);
});
