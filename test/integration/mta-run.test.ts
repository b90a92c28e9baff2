/**
 * runScenarioWithMta end to end in wire mode: the smoke scenario at 40 recipients (3 % unknown
 * users at Gmail, a new IP) against a private Postfix instance and against the reference engine
 * as its own process. Each run must end with every message final, the report must name the
 * adapter and its version, and the figures must match what the fleet really answered: every
 * unknown user bounced, everyone else delivered.
 *
 * Postfix missing is a failure, not a skip: CI installs it (.ci/run).
 */
import { expect, test } from 'vitest';
import { PostfixMta, postfixCommand } from '../../mta-under-test/adapters/postfix/index.ts';
import { referenceChildProcess } from '../../mta-under-test/adapters/reference/index.ts';
import { runScenarioWithMta } from '../../runner/mta-run.ts';
import smoke from '../../scenarios/smoke.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';

const scenario = resolveScenario({ ...smoke, population: { ...smoke.population, recipients: 40 } });

/**
 * About 7 s (Postfix) and 22 s (the child engine) on a quiet machine; more than 60 s for the
 * child engine when both cores are busy. The run itself is bounded by the scenario's real-time
 * limit (10 minutes by default); the timeout leaves a loaded machine room below that.
 */
const WIRE_RUN_TIMEOUT_MS = 300_000;

test(
  'smoke at 40 recipients through a private Postfix instance',
  async () => {
    postfixCommand('postfix');
    const result = await runScenarioWithMta({
      scenario,
      seed: '11',
      mta: (clock) => new PostfixMta({ toRunTimeMs: clock.toRunTimeMs }),
    });
    const { report } = result;
    expect(report.outcome).toEqual({ status: 'passed' });
    expect(report.engine.name).toBe('postfix');
    expect(report.engine.version).toMatch(/^3\.\d+\.\d+/);
    expect(report.mode).toBe('wire');
    expect(report.figures.authentication).toEqual({ judgedBy: 'mailauth' });
    const messages = report.figures.messages;
    expect(messages.injected).toBe(40);
    expect(messages.inFlight).toBe(0);
    expect(messages.delivered + messages.bounced + messages.expired).toBe(40);
    expect(messages.bounced).toBeGreaterThan(0);
    expect(report.figures.attempts.truthWithoutAttempt).toBe(0);
    expect(result.timing.acceptedPerWallSecond).toBeGreaterThan(0);
  },
  WIRE_RUN_TIMEOUT_MS,
);

test(
  'smoke at 40 recipients through the reference engine as a child process',
  async () => {
    const result = await runScenarioWithMta({
      scenario,
      seed: '11',
      mta: (clock) => referenceChildProcess({ toRunTimeMs: clock.toRunTimeMs }),
    });
    const { report } = result;
    expect(report.engine.name).toBe('reference-process');
    expect(report.outcome).toEqual({ status: 'passed' });
    const messages = report.figures.messages;
    expect(messages.injected).toBe(40);
    expect(messages.inFlight).toBe(0);
    expect(messages.delivered + messages.bounced).toBe(40);
    expect(messages.bounced).toBeGreaterThan(0);
    expect(report.figures.attempts.truthWithoutAttempt).toBe(0);
    // The child's clock is mapped onto the run's: every figure lies inside the run.
    expect(report.clock.endMs).toBeGreaterThan(report.clock.startMs);
  },
  WIRE_RUN_TIMEOUT_MS,
);
