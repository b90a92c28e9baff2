/**
 * The worked examples (examples/), run as their users run them: in a fresh folder that
 * installed the tarball `npm pack` makes (test/support/outside-project.ts), so they reach
 * mailbench only through its published surface. Each example's own vitest run must pass, their
 * TypeScript must check against the package's types, and the CLI installed there must run a
 * sender from a module of the user's (`--engine ./engine.ts`).
 *
 * Postfix (postfix-tuning, relay-command) comes from .ci/system-deps, as for the adapter tests.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleNames, installOutsideProject, runCommand } from '../support/outside-project.ts';

let folder = '';

beforeAll(async () => {
  folder = await installOutsideProject();
}, 300_000);
afterAll(() => {
  if (folder !== '') rmSync(folder, { recursive: true, force: true });
});

async function expectExamplePasses(name: string): Promise<void> {
  const result = await runCommand('npx', ['vitest', 'run'], join(folder, name));
  expect(result.code, `${name}:\n${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout, name).toMatch(/Tests\s+1 passed/);
}

/** The same policy from the CLI installed in the folder, by its module. */
async function expectCliRunsModule(): Promise<void> {
  const result = await runCommand(
    'npx',
    [
      'mailbench',
      'run',
      'b2b-bogus-bounces',
      '--scale',
      '0.1',
      '--seed',
      '11',
      '--engine',
      './custom-judge/engine.ts',
      '--out',
      'out-cli',
    ],
    folder,
  );
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  const report = JSON.parse(readFileSync(join(folder, 'out-cli', 'report.json'), 'utf8')) as {
    engine: { name: string; policy?: string };
    outcome: { status: string };
  };
  expect(report.engine).toMatchObject({ name: 'reference', policy: 'doubt-gateways' });
  expect(report.outcome.status).toBe('passed');
}

describe('the worked examples, from a folder that installed the packed tarball', () => {
  test('there are the four examples the README names', () => {
    expect(exampleNames()).toEqual(['custom-judge', 'postfix-tuning', 'relay-command', 'throttle']);
  });

  // Two chains side by side, each example after the other within its chain: the sim examples
  // and the CLI are CPU-bound, the wire ones mostly wait on Postfix over loopback.
  test.concurrent(
    'their TypeScript checks, then the sim examples pass, then the installed CLI runs a module',
    async () => {
      const typecheck = await runCommand('npx', ['tsc', '--noEmit', '-p', '.'], folder);
      expect(typecheck.stdout + typecheck.stderr).toBe('');
      expect(typecheck.code).toBe(0);
      for (const name of ['custom-judge', 'throttle']) await expectExamplePasses(name);
      await expectCliRunsModule();
    },
  );

  test.concurrent('the wire examples pass (Postfix by adapter, an MTA by relay command)', async () => {
    for (const name of ['relay-command', 'postfix-tuning']) await expectExamplePasses(name);
  });
});
