/**
 * The command a new user types: `mailbench run smoke` through the package's bin, as a child
 * process. It must print a summary naming the seed, write report.json, and exit 0; a bad
 * command line must exit 2 and say what is wrong.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const outDir = mkdtempSync(join(tmpdir(), 'mailbench-cli-'));

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

test('mailbench run smoke prints a summary with the seed and writes report.json', async () => {
  // Act
  const { stdout } = await run(process.execPath, [BIN, 'run', 'smoke', '--out', outDir]);
  // Assert
  expect(stdout).toMatch(/seed 1\b/);
  expect(stdout).toMatch(/outcome: passed/);
  const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as {
    schemaVersion: number;
    mode: string;
    figures: { messages: { injected: number } };
  };
  expect(report.schemaVersion).toBe(1);
  expect(report.mode).toBe('sim');
  expect(report.figures.messages.injected).toBe(10_000);
});

test('an unknown scenario or mode exits 2 and names the mistake', async () => {
  // Act and assert, one child at a time so neither rejection goes unobserved.
  await expect(run(process.execPath, [BIN, 'run', 'nosuch'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/unknown scenario "nosuch"/) as unknown,
  });
  await expect(run(process.execPath, [BIN, 'run', 'smoke', '--mode', 'fast'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--mode must be sim or wire/) as unknown,
  });
});

test('mailbench receivers --json lists every receiver with its kind, MX, limits and sources', async () => {
  // Act
  const { stdout } = await run(process.execPath, [BIN, 'receivers', '--json']);
  // Assert
  type Listed = {
    id: string;
    name: string;
    kind: string;
    mx: string[];
    limits: { source: string }[];
    sources: string[];
    decidedIn: string[];
    reputationJudgedAt: { stage: string; source: string };
  };
  const receivers = JSON.parse(stdout) as Listed[];
  expect(receivers.map((receiver) => receiver.name)).toContain('Gmail');
  for (const receiver of receivers) {
    expect(['provider', 'gateway', 'trap-network']).toContain(receiver.kind);
    expect(receiver.mx.length).toBeGreaterThan(0);
    expect(receiver.sources.length).toBeGreaterThan(0);
    expect(receiver.limits.every((limit) => limit.source.length > 0)).toBe(true);
    // Each receiver says where its decisions live; gateways add their own recipient policy.
    expect(receiver.decidedIn.some((module) => module.startsWith('sim/receivers/decisions/decide-rcpt.ts'))).toBe(true);
    expect(receiver.decidedIn.some((module) => module.startsWith('sim/receivers/gateways/gateway.ts'))).toBe(
      receiver.kind === 'gateway',
    );
    expect(receiver.reputationJudgedAt.source.length).toBeGreaterThan(0);
  }
  // Only Cisco's host access table judges reputation as the connection opens.
  expect(
    receivers.filter((receiver) => receiver.reputationJudgedAt.stage === 'connect').map((receiver) => receiver.id),
  ).toEqual(['cisco-secure-email']);
});
