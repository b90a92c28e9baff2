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

describe('the worked examples, from a folder that installed the packed tarball', () => {
  test('there are the four examples the README names', () => {
    expect(exampleNames()).toEqual(['custom-judge', 'postfix-tuning', 'relay-command', 'throttle']);
  });

  test('their TypeScript checks against the installed package', async () => {
    const result = await runCommand('npx', ['tsc', '--noEmit', '-p', '.'], folder);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 300_000);

  test.each(['custom-judge', 'throttle', 'relay-command', 'postfix-tuning'])(
    '%s passes its own tests',
    async (name) => {
      const result = await runCommand('npx', ['vitest', 'run'], join(folder, name));
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/Tests\s+1 passed/);
    },
    600_000,
  );

  test('the installed CLI runs the same policy from its module', async () => {
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
  }, 300_000);
});
