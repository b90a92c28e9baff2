/**
 * `mailbench run <scenario> --engine ./module.ts`, through the package's bin as a user runs it:
 * a module's engine runs and the report names its policy; a policy that throws ends the run
 * with exit 3 and one line naming the hook and the message; a missing module, a module with no
 * engine and an engine that cannot run in sim mode are exit 2, each naming what is wrong.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const FIXTURES = new URL('../fixtures/engines/', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'mailbench-engine-module-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const runSmoke = (engine: string, extra: readonly string[] = []): ReturnType<typeof runCli> =>
  runCli(['run', 'smoke', '--scale', '0.02', '--seed', '5', '--engine', engine, '--out', out, ...extra]);

test("a module's engine runs, and the report names its policy", async () => {
  const result = await runSmoke(join(FIXTURES, 'believer.ts'));
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { engine: unknown };
  expect(report.engine).toMatchObject({ name: 'reference', policy: 'believer' });
});

test('a policy that throws: exit 3, one line naming the hook, the message and the policy', async () => {
  const result = await runSmoke(join(FIXTURES, 'throwing.ts'));
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(
    /^mailbench: the judge hook of policy "throws" threw on message \S+ to user\d+@gmail\.com \(attempt 1\): no verdict for you\n {2}\(fix the policy's judge hook\)\n$/m,
  );
  expect(result.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
});

test.each([
  [
    'a missing module',
    './no/such-engine.ts',
    /^mailbench: --engine \.\/no\/such-engine\.ts: no such file \(looked for .*no\/such-engine\.ts\)$/m,
  ],
  [
    'a module with no engine',
    join(FIXTURES, 'no-engine.ts'),
    /the module exports no engine as default or as "engine" \(it exports: helper, threshold\)/,
  ],
  [
    'an MTA that runs in wire mode only',
    join(FIXTURES, 'relay-in-sim.ts'),
    /^mailbench: the engine "our-mta" sends real SMTP from outside the bench and runs in wire mode only; this run asked for sim mode$/m,
  ],
  [
    'an unknown engine name',
    'exim',
    /--engine must be one of reference, generic, postfix, reference-process, smtp-relay or a module path/,
  ],
])('%s: exit 2, naming it', async (_what, engine, message) => {
  const result = await runSmoke(engine);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
});
