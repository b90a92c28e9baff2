/**
 * `run(scenario, { engine })` with a sender of the user's, in sim mode (real runs, nothing
 * stubbed): the reference engine with a user's policy, named in the report, replayable from its
 * seed, composed with the scenario's warm-up plan; and every way of getting it wrong refused
 * with an error that names what is wrong: a hook that throws or hangs, an MTA that cannot run
 * in sim mode, something that is not an engine, a stateful policy object run twice.
 */
import { describe, expect, test } from 'vitest';
import {
  basicJudgement,
  MailbenchError,
  metricValue,
  PolicyHookError,
  readMetric,
  reference,
  referencePolicy,
  run,
  smtpRelay,
} from 'mailbench';
import type { MtaUnderTest, SendPolicy } from 'mailbench';
import { rejectionOf } from '../../support/rejection.ts';

const SMOKE = { seed: '5', scale: 0.02 } as const;

describe("the reference engine with a policy of the user's", () => {
  test("runs under its name and gives the built-in policy's report for the built-in judgement", async () => {
    // Arrange: the generic policy written by hand, as a user would.
    const believer = (): SendPolicy => ({ judge: basicJudgement });
    // Act
    const ours = await run('smoke', { ...SMOKE, engine: reference({ name: 'believer', policy: believer }) });
    const builtIn = await run('smoke', { ...SMOKE, engine: 'generic' });
    // Assert
    expect(ours.engine).toMatchObject({ name: 'reference', policy: 'believer' });
    expect({ ...ours, engine: builtIn.engine }).toEqual(builtIn);
  });

  test('the policy factory is told nothing of the world: no scenario, no seed (no back channel)', async () => {
    const given: unknown[][] = [];
    const factory = (...args: unknown[]): SendPolicy => {
      given.push(args);
      return { judge: basicJudgement };
    };
    await run('smoke', { ...SMOKE, engine: reference({ policy: factory }) });
    expect(given).toEqual([[]]);
  });

  test('the same seed gives the same report', async () => {
    const engine = reference({ name: 'ours', policy: () => referencePolicy() });
    const first = await run('smoke', { ...SMOKE, engine });
    const second = await run('smoke', { ...SMOKE, engine });
    expect(second).toEqual(first);
    expect(readMetric(first, 'injected')).toBe(200);
  });

  test("sees every record through observe, and the scenario's warm-up plan still places the mail", async () => {
    const seen = new Set<string>();
    const watcher = (): SendPolicy => ({ judge: basicJudgement, observe: (record) => void seen.add(record.type) });
    const report = await run('warmup-30d', { seed: '3', scale: 0.0005, engine: reference({ policy: watcher }) });
    expect(report.engine.policy).toBe('custom');
    expect([...seen]).toEqual(expect.arrayContaining(['Reception', 'Delivery']));
    // The plan's caps and stage decisions come from the placement composed with the user's policy.
    expect(seen.has('Throttle')).toBe(true);
    expect(seen.has('Policy')).toBe(true);
  });
});

describe("a user's policy that goes wrong ends the run with an error naming the hook", () => {
  test('a judge that throws', async () => {
    const failing = (): SendPolicy => ({
      judge: () => {
        throw new Error('our table is empty');
      },
    });
    const error = await rejectionOf(run('smoke', { ...SMOKE, engine: reference({ name: 'ours', policy: failing }) }));
    expect(error).toBeInstanceOf(PolicyHookError);
    expect(error.message).toMatch(
      /^the judge hook of policy "ours" threw on message \S+ to user\d+@gmail\.com \(attempt 1\): our table is empty$/,
    );
  });

  test('a judge that never returns is stopped at the deadline', async () => {
    const hanging = (): SendPolicy => ({
      judge: () => {
        for (;;) {
          // A policy bug: an endless loop.
        }
      },
    });
    const error = await rejectionOf(
      run('smoke', { ...SMOKE, engine: reference({ name: 'ours', policy: hanging, hookDeadlineMs: 300 }) }),
    );
    expect(error).toBeInstanceOf(PolicyHookError);
    expect(error.message).toMatch(
      /^the judge hook of policy "ours" ran past its deadline of 300 ms on message \S+ to /,
    );
  });

  test('a rate hook that answers nonsense', async () => {
    const nonsense = (): SendPolicy => ({ judge: basicJudgement, pathRatePerHour: () => -1 });
    const error = await rejectionOf(run('smoke', { ...SMOKE, engine: reference({ policy: nonsense }) }));
    expect(error.message).toMatch(
      /^the pathRatePerHour hook of policy "custom" returned a malformed value on the path /,
    );
  });
});

describe('senders that cannot run, refused before anything starts', () => {
  const relay = smtpRelay({ prepare: () => Promise.reject(new Error('never started')) });

  test('an MTA in sim mode: the error names the mode', async () => {
    const error = await rejectionOf(run('smoke', { ...SMOKE, engine: relay }));
    expect(error).toBeInstanceOf(MailbenchError);
    expect(error.message).toBe(
      'the engine "smtp-relay" sends real SMTP from outside the bench and runs in wire mode only; this run asked for sim mode',
    );
    expect((error as MailbenchError).code).toBe('E_ENGINE_MODE');
  });

  test('an object that is not an MtaUnderTest, and an unknown name', async () => {
    const notAnMta = { name: 'half', start: () => Promise.resolve() } as unknown as MtaUnderTest;
    expect((await rejectionOf(run('smoke', { ...SMOKE, engine: notAnMta }))).message).toBe(
      'the engine is not an MtaUnderTest: version(), inject(), onDecision(), stop() missing',
    );
    expect((await rejectionOf(run('smoke', { ...SMOKE, engine: 'exim' as never }))).message).toMatch(
      /^unknown engine "exim" \(built in: reference, generic, postfix, reference-process;/,
    );
  });

  test('a policy object used for a second run: its state belongs to the first', async () => {
    const engine = reference({ name: 'once', policy: { judge: basicJudgement } });
    await run('smoke', { ...SMOKE, engine });
    expect((await rejectionOf(run('smoke', { ...SMOKE, engine }))).message).toMatch(
      /^the policy "once" was already used for a run/,
    );
  });
});

describe("the reference engine with shaping of the user's", () => {
  test("a slower Gmail rate than the scenario's takes longer on the run clock", async () => {
    const slow = reference({ name: 'slow-gmail', shaping: { providers: { gmail: { maxMessageRate: '20/h' } } } });
    const own = await run('smoke', { ...SMOKE, engine: 'reference' });
    const shaped = await run('smoke', { ...SMOKE, engine: slow });
    expect(shaped.figures.messages.delivered).toBe(own.figures.messages.delivered);
    expect(metricValue(shaped, 'runClockHours')).toBeGreaterThan(metricValue(own, 'runClockHours') * 2);
  });

  test('a bad shaping block is refused when reference() is called, every problem named', () => {
    expect(() =>
      reference({ shaping: { providers: { gmail: { connectionLimit: -1, maxMessageRate: 'fast' } } } }),
    ).toThrow(
      /^reference\(\{ shaping \}\): shaping\.providers\.gmail\.connectionLimit: .*; shaping\.providers\.gmail\.maxMessageRate: /,
    );
  });
});
