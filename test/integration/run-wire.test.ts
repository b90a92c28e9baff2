/**
 * The walking skeleton over real SMTP: the smoke scenario in wire mode. The reference engine
 * sends from 127.0.0.2 with nodemailer's connection layer to an smtp-server listener on
 * 127.0.1.1 that serves the Gmail model, on a clock that runs one simulated hour in eight real
 * seconds, so the new-IP hourly limit and the engine's retries play out for real. Eight, not the
 * scenario's two: the limit (2,000 an hour) is reached only if the sender does more than 250
 * messages a real second, which a busy 2-core CI machine still does; at two seconds an hour it
 * would need 1,000 a second, and a slow run would never meet the limit it is here to show.
 */
import { expect, test } from 'vitest';
import { runScenario } from '../../runner/run.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import smoke from '../../scenarios/smoke.ts';

test('smoke over real SMTP: every message final, bounces and rate limits classified as the receiver meant them', async () => {
  // Arrange
  const scenario = resolveScenario({ ...smoke, limits: { realSecondsPerSimulatedHour: 8 } });
  const unknown = Math.round(scenario.population.recipients * scenario.population.unknownShare);
  // Act
  const { report } = await runScenario({ scenario, seed: '1', mode: 'wire' });
  // Assert
  const { messages, causes, confusion, attempts } = report.figures;
  expect(report.outcome).toEqual({ status: 'passed' });
  // On the wire the receivers took every authentication verdict from mailauth.
  expect(report.figures.authentication).toEqual({ judgedBy: 'mailauth' });
  expect(messages).toEqual({
    injected: 10_000,
    delivered: 10_000 - unknown,
    bounced: unknown,
    expired: 0,
    inFlight: 0,
  });
  expect(causes['rate-limited']).toBeGreaterThan(0);
  expect(confusion['unknown-user']).toEqual({ 'unknown-user': unknown });
  expect(confusion['rate-limited']?.['rate-limited']).toBe(causes['rate-limited']);
  expect(attempts.truthWithoutAttempt).toBe(0);
});
