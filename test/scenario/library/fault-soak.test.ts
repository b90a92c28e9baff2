/**
 * fault-soak in sim mode (seed from MAILBENCH_TEST_SEED, printed in the title): receivers that refuse
 * at the banner, tarpit, fail transiently, drop mid-DATA, reset after DATA and hang, on their
 * seeded schedules. The engine must never wedge, every recipient ends final exactly once, the
 * receivers take each delivered message once, and every fault kind happened.
 */
import { expect, test } from 'vitest';
import { scenarioSeed } from '../../support/test-seed.ts';
import { runScenario } from '../../../runner/run.ts';
import faultSoak from '../../../scenarios/fault-soak.ts';
import { resolveScenario } from '../../../scenarios/scenario.ts';
import { expectSoundSoak, soakObservers } from '../../support/fault-soak-checks.ts';
import type { SoakLog } from '../../support/fault-soak-checks.ts';

const SEED = scenarioSeed('7');

test(`fault-soak (seed ${SEED}): nothing wedges, nothing is lost or doubled, every fault happened`, async () => {
  // Arrange
  const log: SoakLog = { accounting: [], truth: [] };
  // Act
  const result = await runScenario({
    scenario: resolveScenario(faultSoak),
    seed: SEED,
    mode: 'sim',
    observers: soakObservers(log),
  });
  // Assert
  expectSoundSoak(result, log);
  expect(result.report.figures.attempts.attemptsWithoutTruth).toBeGreaterThan(0);
});
