/**
 * A user's policy in wire mode, over real SMTP on loopback: its judgement runs on the answers
 * the receivers really sent, and when it throws or hangs the run ends with the hook's error, the
 * listeners and the engine stopped, as in sim mode (never an errored or silent report).
 */
import { describe, expect, test } from 'vitest';
import { basicJudgement, defineScenario, PolicyHookError, reference, run, SCENARIO_LIBRARY } from 'mailbench';
import type { SendPolicy } from 'mailbench';
import { rejectionOf } from '../support/rejection.ts';

const smoke = SCENARIO_LIBRARY['smoke'];
if (smoke === undefined) throw new Error('no smoke scenario');
const FORTY = defineScenario({ ...smoke, population: { ...smoke.population, recipients: 40 } });
const WIRE = { mode: 'wire', seed: '11' } as const;

describe("a user's policy over real SMTP", () => {
  test('judges every answer the receivers sent, and the report names it', async () => {
    let judged = 0;
    const counting = (): SendPolicy => ({
      judge: (outcome, context) => {
        judged += 1;
        return basicJudgement(outcome, context);
      },
    });
    const report = await run(FORTY, { ...WIRE, engine: reference({ name: 'counting', policy: counting }) });
    expect(report.engine.policy).toBe('counting');
    expect(report.outcome).toEqual({ status: 'passed' });
    expect(judged).toBe(report.figures.attempts.total);
  });

  test('a judge that throws ends the run with its error', async () => {
    const failing = (): SendPolicy => ({
      judge: () => {
        throw new Error('our table is empty');
      },
    });
    const error = await rejectionOf(run(FORTY, { ...WIRE, engine: reference({ name: 'ours', policy: failing }) }));
    expect(error).toBeInstanceOf(PolicyHookError);
    expect(error.message).toMatch(
      /^the judge hook of policy "ours" threw on message \S+ to \S+@gmail\.com \(attempt 1\): our table is empty$/,
    );
  });

  test('a judge that never returns is stopped at its deadline', async () => {
    const hanging = (): SendPolicy => ({
      judge: () => {
        for (;;) {
          // A policy bug: an endless loop.
        }
      },
    });
    const error = await rejectionOf(
      run(FORTY, { ...WIRE, engine: reference({ name: 'ours', policy: hanging, hookDeadlineMs: 300 }) }),
    );
    expect(error).toBeInstanceOf(PolicyHookError);
    expect(error.message).toMatch(/^the judge hook of policy "ours" ran past its deadline of 300 ms on message /);
  });
});
