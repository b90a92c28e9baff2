/**
 * `mailbench audit` through the package's bin, as a child process: it audits a list against
 * the fleet-tour world's simulated DNS, writes audit.json and cleaned.txt, prints the report
 * with --json, and exits 0; a missing file or a bad option exits 2 and names the problem.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import type { AuditReport } from '../../mta-under-test/reference/audit/index.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/audit/', import.meta.url).pathname;
const outDir = mkdtempSync(join(tmpdir(), 'mailbench-audit-'));

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

test('mailbench audit writes audit.json and cleaned.txt and prints the report as JSON', async () => {
  // Act
  const { stdout } = await run(process.execPath, [
    BIN,
    'audit',
    join(FIXTURES, 'list.txt'),
    '--suppressions',
    join(FIXTURES, 'suppressions.txt'),
    '--accounting',
    join(FIXTURES, 'accounting.jsonl'),
    '--out',
    outDir,
    '--json',
  ]);
  // Assert
  const printed = JSON.parse(stdout) as AuditReport;
  const saved = JSON.parse(readFileSync(join(outDir, 'audit.json'), 'utf8')) as AuditReport;
  expect(saved).toEqual(printed);
  expect(saved.config).toMatchObject({
    roles: 'drop',
    mxChecked: true,
    suppressions: 1,
    knownUnknowns: 1,
    source: { scenario: 'fleet-tour', seed: '1', format: 'lines' },
  });
  expect(saved.totals).toEqual({ entries: 9, unique: 8, duplicatesRemoved: 1, kept: 2, dropped: 6 });
  expect(
    Object.fromEntries(
      saved.addresses.map((audit) => [
        audit.address ?? audit.input,
        audit.verdict.kind === 'keep' ? 'keep' : audit.verdict.code,
      ]),
    ),
  ).toEqual({
    'alice@gmail.com': 'keep',
    'bob@gmial.com': 'typo-domain.suggestion',
    'carol@nowhere.test': 'mx.nxdomain',
    'dave@orange.fr': 'keep',
    'postmaster@wanadoo.fr': 'role.account',
    'gone@laposte.net': 'known-unknown.unknown-user',
    'erin@free.fr': 'suppression.address',
    'not an address': 'syntax.invalid',
  });
  expect(saved.addresses[0]?.lines).toEqual([2, 3]);
  expect(readFileSync(join(outDir, 'cleaned.txt'), 'utf8')).toBe('alice@gmail.com\ndave@orange.fr\n');
});

test('a CSV list with an email column is read from that column', async () => {
  // Act
  const csvOut = join(outDir, 'csv');
  const { stdout } = await run(process.execPath, [BIN, 'audit', join(FIXTURES, 'list.csv'), '--out', csvOut]);
  // Assert
  expect(stdout).toMatch(/2 entries, 2 distinct/);
  expect(stdout).toMatch(/bob@gmial\.com → bob@gmail\.com/);
  expect(readFileSync(join(csvOut, 'cleaned.txt'), 'utf8')).toBe('alice@gmail.com\n');
});

test('a missing list file or a bad option exits 2 and names the problem', async () => {
  // Act and assert, one child at a time so neither rejection goes unobserved.
  await expect(
    run(process.execPath, [BIN, 'audit', join(FIXTURES, 'no-such-list.txt'), '--out', outDir]),
  ).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/list file .*no-such-list\.txt does not exist/) as unknown,
  });
  await expect(
    run(process.execPath, [BIN, 'audit', join(FIXTURES, 'list.txt'), '--roles', 'sometimes', '--out', outDir]),
  ).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--roles must be keep or drop \(got "sometimes"\)/) as unknown,
  });
  await expect(
    run(process.execPath, [
      BIN,
      'audit',
      join(FIXTURES, 'list.txt'),
      '--accounting',
      join(FIXTURES, 'list.txt'),
      '--out',
      outDir,
    ]),
  ).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--accounting .*list\.txt:1: not JSON/) as unknown,
  });
  await expect(
    run(process.execPath, [
      BIN,
      'audit',
      join(FIXTURES, 'list.txt'),
      '--accounting',
      join(FIXTURES, 'no-such-log.jsonl'),
      '--out',
      outDir,
    ]),
  ).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--accounting file .*no-such-log\.jsonl does not exist/) as unknown,
  });
});
