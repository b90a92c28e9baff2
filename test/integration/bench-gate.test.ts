/**
 * The bench gate as a team's CI job meets it: `mailbench bench` in a git repository of theirs,
 * `--engine` their module, `--against` their previous commit. Each commit's module is what runs
 * on its side (checked out in a worktree that is gone afterwards), and the exit codes say what
 * happened: 3 when two rounds cannot decide, 2 for a ref or a baseline that cannot be used, 4
 * when the engine cannot be measured. Small on purpose (200 messages, two rounds): this proves
 * the plumbing; the statistics are unit-tested (test/unit/bench) and speed is the bench's.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/mailbench.js', import.meta.url));
const API = fileURLToPath(new URL('../../api/index.ts', import.meta.url));
const repo = mkdtempSync(join(tmpdir(), 'mailbench-gate-repo-'));

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
}

function bench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'bench', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const engineModule = (comment: string): string =>
  `// ${comment}\nimport { referenceProcess } from ${JSON.stringify(API)};\nexport default referenceProcess();\n`;

beforeAll(() => {
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'package.json'), '{ "name": "gate-fixture", "private": true, "type": "module" }\n');
  writeFileSync(join(repo, 'engine.ts'), engineModule('the first version'));
  git('add', '-A');
  git('commit', '-qm', 'first');
  writeFileSync(join(repo, 'engine.ts'), engineModule('the second version'));
  git('commit', '-qam', 'second');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('mailbench bench --against --engine', () => {
  test('measures each commit’s module in interleaved rounds; two rounds cannot decide, so exit 3', async () => {
    const out = join(repo, 'gate.json');
    const run = await bench([
      '--against',
      'HEAD~1',
      '--engine',
      './engine.ts',
      '--messages',
      '200',
      '--warmup-rounds',
      '0',
      '--min-rounds',
      '2',
      '--max-rounds',
      '2',
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(3);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      mode: string;
      sides: { base: string; head: string };
      figures: { name: string; values: { base: number[]; head: number[] }; verdict: string }[];
      decision: string;
    };
    expect(report.mode).toBe('against');
    expect(report.sides.base).toMatch(/^HEAD~1 \([0-9a-f]{10}\)$/);
    expect(report.figures.map((figure) => figure.name)).toEqual(['engine.deliveredPerSecond']);
    const [figure] = report.figures;
    expect(figure?.values.base).toHaveLength(2);
    expect(figure?.values.head).toHaveLength(2);
    for (const value of [...(figure?.values.base ?? []), ...(figure?.values.head ?? [])])
      expect(value).toBeGreaterThan(0);
    expect(figure?.verdict).toBe('inconclusive');
    expect(report.decision).toBe('inconclusive');
    // The rounds interleave: base first in round 1, head first in round 2.
    const steps = run.stderr.match(/bench: (base|head) engine/g) ?? [];
    expect(steps).toEqual(['bench: base engine', 'bench: head engine', 'bench: head engine', 'bench: base engine']);
    expect(run.stdout).toContain('INCONCLUSIVE');
    // The other commit's worktree is gone.
    expect(git('worktree', 'list')).not.toContain('mailbench-against-');
  });

  test('a module that exports no engine on one side fails the measurement (exit 4), naming that tree’s file', async () => {
    writeFileSync(join(repo, 'engine.ts'), 'export const nothing = 1;\n');
    const run = await bench([
      '--against',
      'HEAD',
      '--engine',
      './engine.ts',
      '--messages',
      '200',
      '--min-rounds',
      '1',
      '--max-rounds',
      '1',
    ]);
    git('checkout', '-q', 'engine.ts');
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toMatch(
      new RegExp(
        `--engine ${join(repo, 'engine.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the module exports no engine`,
      ),
    );
  });

  test('a ref that does not exist, and a baseline from another machine, are the caller’s to fix (exit 2)', async () => {
    const noRef = await bench(['--against', 'no-such-branch', '--engine', './engine.ts']);
    expect(noRef.code).toBe(2);
    expect(noRef.stderr).toMatch(/--against no-such-branch: no such commit/);
    const baseline = join(repo, 'baseline.json');
    writeFileSync(
      baseline,
      JSON.stringify({
        machine: { cpuModel: 'elsewhere', cpus: 64, node: 'v0', postfix: 'none' },
        figures: { x: 1 },
        rounds: 5,
      }),
    );
    const elsewhere = await bench(['--gate', '--baseline', baseline]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/was measured on another machine \(cpuModel: "elsewhere" → .*cpus: 64 → /);
  });
});
