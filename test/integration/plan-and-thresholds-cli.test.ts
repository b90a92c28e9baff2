/**
 * `mailbench plan` prints the expanded plan and runs nothing; a scenario whose expectations the
 * run misses exits 1 and names each miss; `--json` prints the report alone on stdout.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mailbench-plan-cli-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('mailbench plan prints the day-by-day plan with its seed and scale', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'plan', 'warmup-30d', '--seed', '7']);
  expect(stdout).toContain('scenario warmup-30d · seed 7 · scale 0.01 · 10,000 recipients on the list');
  expect(stdout).toMatch(/ {3}1 {2}2026-01-05 {11}20 {2}engaged first 1\/7 \(engaged readers, over 12h\)/);
  expect(stdout).toMatch(/ {2}30 {2}2026-02-03 {7}10,000 {2}whole list 23\/23/);
  const { stdout: json } = await run(process.execPath, [
    BIN,
    'plan',
    'black-friday-spike',
    '--json',
    '--scale',
    '0.05',
  ]);
  const plan = JSON.parse(json) as { scale: number; sends: { campaign: string; volume: number }[] };
  expect(plan.scale).toBe(0.05);
  expect(plan.sends.map((send) => send.volume)).toEqual([1000, 1000, 1000, 1000, 10000, 1000, 1000]);
});

test('a run that misses its expectations exits 1, naming each miss with its value; --json prints the report', async () => {
  const file = join(dir, 'strict.yaml');
  writeFileSync(
    file,
    [
      'name: strict',
      'population: { recipients: 300, domains: [gmail.com], unknownShare: 0.05 }',
      'timeline:',
      '  - { kind: campaign, at: 0h, over: 2h }',
      'expect:',
      '  - { metric: bouncedShare, operator: "<", value: 0.01 }',
      '  - { metric: deliveredShare, provider: gmail, operator: ">=", value: 0.5 }',
    ].join('\n'),
  );
  const failure = await run(process.execPath, [BIN, 'run', file, '--json', '--out', join(dir, 'out')]).then(
    () => undefined,
    (error: unknown) => error as { code: number; stdout: string; stderr: string },
  );
  expect(failure?.code).toBe(1);
  const report = JSON.parse(failure?.stdout ?? '') as { outcome: { status: string; failedChecks: string[] } };
  expect(report.outcome.status).toBe('failed');
  expect(report.outcome.failedChecks).toEqual(['expected bouncedShare < 0.01, got 0.05000']);
});
