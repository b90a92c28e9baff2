/**
 * `mailbench run <file>` as a user types it: the example YAML scenario runs and passes; a file
 * with mistakes exits 2 and names each problem by path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const EXAMPLE = new URL('../../scenarios/examples/b2b-small.yaml', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mailbench-scenario-cli-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('the example scenario file runs and passes', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'run', EXAMPLE, '--seed', '3', '--out', join(dir, 'out')]);
  expect(stdout).toMatch(/scenario b2b-small · mode sim · seed 3/);
  expect(stdout).toMatch(/outcome: passed/);
});

test('a scenario file with mistakes exits 2 and names every one', async () => {
  const path = join(dir, 'bad.yaml');
  writeFileSync(path, 'name: bad\npopulation:\n  recipients: -5\n  domain: gmail.com\n');
  let failure: { code: number; stderr: string } | undefined;
  try {
    await run(process.execPath, [BIN, 'run', path]);
  } catch (error) {
    failure = error as { code: number; stderr: string };
  }
  expect(failure?.code).toBe(2);
  expect(failure?.stderr).toMatch(/population\.domain: unknown key 'domain'/);
  expect(failure?.stderr).toMatch(/population\.recipients: must be a whole number/);
});
