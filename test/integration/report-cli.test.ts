/**
 * The report commands as a user types them, through the package's bin as child processes:
 * `mailbench run` writes report.html and report.md beside report.json; `mailbench report`
 * re-renders a saved report; `mailbench compare` exits 1 on a regression only when asked
 * (`--fail-on-regression`); a missing or invalid report exits 2 and says which file and why.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ReportV1 } from '../../reports/schema.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const OLD_REPORT = new URL('../fixtures/reports/v1-before-series.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mailbench-report-cli-'));
const runDir = join(dir, 'run');
let report: ReportV1;

beforeAll(async () => {
  await run(process.execPath, [BIN, 'run', 'smoke', '--seed', '3', '--out', runDir]);
  report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as ReportV1;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('mailbench run writes report.html and report.md beside report.json', () => {
  // Assert
  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  const markdown = readFileSync(join(runDir, 'report.md'), 'utf8');
  expect(html).toContain('<h1>mailbench report: smoke</h1>');
  expect(html).toContain('<dt>Seed</dt><dd>3</dd>');
  expect(markdown).toMatch(/^## mailbench · smoke · ✅ passed/);
  expect(report.series?.receivers.gmail).toBeDefined();
});

test('mailbench report re-renders a saved report, to stdout or to --out', async () => {
  // Act
  const { stdout } = await run(process.execPath, [BIN, 'report', join(runDir, 'report.json'), '--md']);
  await run(process.execPath, [BIN, 'report', join(runDir, 'report.json'), '--html', '--out', join(dir, 'again.html')]);
  // Assert
  expect(stdout).toBe(readFileSync(join(runDir, 'report.md'), 'utf8'));
  expect(readFileSync(join(dir, 'again.html'), 'utf8')).toBe(readFileSync(join(runDir, 'report.html'), 'utf8'));
});

test('mailbench report renders a report saved before the series', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'report', OLD_REPORT, '--html']);
  expect(stdout).toContain('No series in this report');
});

test('mailbench compare exits 1 on a regression only with --fail-on-regression', async () => {
  // Arrange: the same run with a tenth of its deliveries gone.
  const worse = {
    ...report,
    figures: {
      ...report.figures,
      messages: { ...report.figures.messages, delivered: Math.round(report.figures.messages.delivered * 0.9) },
    },
  };
  const worsePath = join(dir, 'worse.json');
  writeFileSync(worsePath, JSON.stringify(worse));
  const baseline = join(runDir, 'report.json');
  // Act and assert
  const same = await run(process.execPath, [BIN, 'compare', baseline, baseline, '--fail-on-regression']);
  expect(same.stdout).toContain('✅ no regressions');
  const flagged = await run(process.execPath, [BIN, 'compare', baseline, worsePath, '--md']);
  expect(flagged.stdout).toContain('❌ 1 regression: delivered share');
  await expect(
    run(process.execPath, [BIN, 'compare', baseline, worsePath, '--fail-on-regression']),
  ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/1 regression\(s\): delivered share/) as unknown });
  await run(process.execPath, [
    BIN,
    'compare',
    baseline,
    worsePath,
    '--html',
    '--plans',
    '--out',
    join(dir, 'compare.html'),
  ]);
  expect(readFileSync(join(dir, 'compare.html'), 'utf8')).toContain('<h1>mailbench comparison: plan A vs plan B</h1>');
});

test('a missing or invalid report exits 2 and names the file and the reason', async () => {
  // Arrange
  const invalid = join(dir, 'invalid.json');
  writeFileSync(invalid, JSON.stringify({ schemaVersion: 2 }));
  // Act and assert, one child at a time.
  await expect(run(process.execPath, [BIN, 'report', join(dir, 'nosuch.json'), '--md'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/nosuch\.json: no such file/) as unknown,
  });
  await expect(run(process.execPath, [BIN, 'compare', invalid, join(runDir, 'report.json')])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(
      /invalid\.json is not a mailbench v1 report: schemaVersion: expected 1, got number 2/,
    ) as unknown,
  });
  await expect(run(process.execPath, [BIN, 'report', join(runDir, 'report.json')])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/exactly one of --html or --md/) as unknown,
  });
});
