/**
 * The fleet-tour scenario in sim mode: every receiver answers, each in its own words, and
 * the report says per receiver what the replies really meant. Refusals of a whole session
 * (too many connections, too many messages on one connection) pair with their session-level
 * truth, so no attempt is left unpaired; the complaints and later bounces the receivers sent
 * arrive at the return-path inbox and are all readable.
 */
import { expect, test } from 'vitest';
import { runScenario } from '../../runner/run.ts';
import fleetTour from '../../scenarios/fleet-tour.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import { PROVIDER_PROFILES } from '../../sim/receivers/providers/index.ts';
import { GATEWAY_FAMILY_LIST } from '../../sim/receivers/gateways/families.ts';

test('fleet-tour: every provider and gateway answers, and every attempt pairs with its truth', async () => {
  // Act
  const { report } = await runScenario({ scenario: resolveScenario(fleetTour), seed: '1', mode: 'sim' });
  // Assert
  const { figures } = report;
  const receivers = Object.keys(figures.causesByReceiver ?? {});
  for (const profile of PROVIDER_PROFILES) expect(receivers).toContain(profile.id);
  for (const family of GATEWAY_FAMILY_LIST) expect(receivers).toContain(family.id);
  expect(figures.attempts).toMatchObject({ truthWithoutAttempt: 0, attemptsWithoutTruth: 0 });
  expect(figures.causes['too-many-connections']).toBeGreaterThan(0);
  expect(figures.confusion['too-many-connections']).not.toEqual({});
  expect(figures.causes['disguised-policy-block']).toBeGreaterThan(0);
  expect(figures.causes['delivered-trap']).toBeGreaterThan(0);
  const later = figures.later;
  expect(later?.complaints).toBeGreaterThan(0);
  expect(later?.asyncBounces).toBeGreaterThan(0);
  expect(later?.reportsReceived).toMatchObject({
    arf: later?.reportsSent.arf,
    dsn: later?.reportsSent.dsn,
    unreadable: 0,
  });
  // Every DSN the fleet wrote is counted under its format and recognised as its writer's.
  const byFormat = Object.values(later?.reportsReceived.dsnFormats ?? {}).reduce((sum, count) => sum + count, 0);
  expect(byFormat).toBe(later?.reportsSent.dsn);
  expect(Object.keys(later?.reportsReceived.dsnWriters ?? {})).not.toContain('unrecognised');
});
