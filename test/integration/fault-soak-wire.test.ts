/**
 * fault-soak over real SMTP at a tenth of its volume: the same receivers behind smtp-server
 * listeners cut sockets mid-DATA, reset them after DATA, hang until nodemailer's timeout and
 * answer 421 at the banner. The reference engine must end every recipient exactly once, and no
 * receiver takes a message twice.
 */
import { test } from 'vitest';
import { scenarioSeed } from '../support/test-seed.ts';
import { runScenario } from '../../runner/run.ts';
import faultSoak from '../../scenarios/fault-soak.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import { expectSoundSoak, soakObservers } from '../support/fault-soak-checks.ts';
import type { SoakLog } from '../support/fault-soak-checks.ts';

const SEED = scenarioSeed('7');

test(
  `fault-soak in wire mode at scale 0.1 (seed ${SEED}): every recipient final exactly once, nothing taken twice`,
  { timeout: 300_000 },
  async () => {
    // Arrange
    const log: SoakLog = { accounting: [], truth: [] };
    // Act
    const result = await runScenario({
      scenario: resolveScenario(faultSoak, { scale: 0.1 }),
      seed: SEED,
      mode: 'wire',
      observers: soakObservers(log),
    });
    // Assert
    expectSoundSoak(result, log);
  },
);
