/**
 * `mailbench accounting` through the package's bin, as a child process: a log written by the
 * real writer (rotated into several files, the last one torn as a crash leaves it) exports as
 * CSV with every record in order, counts by type without --csv, and a missing path exits 2
 * naming it.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AccountingLogWriter, CSV_COLUMNS } from '../../mta-under-test/reference/accounting-log/index.ts';
import { SAMPLE_LIST } from '../unit/mta-under-test/accounting-log/sample-records.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mailbench-acct-cli-'));
const logDir = join(dir, 'log');

beforeAll(async () => {
  const writer = AccountingLogWriter.open({ dir: logDir, fileRecordsMax: 5 });
  for (const record of SAMPLE_LIST) writer.write(record);
  await writer.close();
  const files = readdirSync(logDir).sort();
  appendFileSync(join(logDir, files.at(-1) ?? ''), '{"type":"Delivery","atMs":');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('--csv --out writes every record of every type in order, after a note on the torn tail', async () => {
  // Act
  const out = join(dir, 'accounting.csv');
  const { stderr } = await run(process.execPath, [BIN, 'accounting', logDir, '--csv', '--out', out]);
  // Assert
  expect(readdirSync(logDir)).toHaveLength(3);
  expect(stderr).toMatch(
    /skipped a torn last line \(26 bytes, what a crash leaves\) at .*accounting-00000003\.jsonl:4/,
  );
  expect(stderr).toMatch(/13 records written to /);
  const csv = readFileSync(out, 'utf8');
  expect(csv.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
  // A row starts with its type, at_ms and ISO time (quoted reply texts may span lines).
  const rowTypes = [...csv.matchAll(/^([A-Za-z]+),\d+,\d{4}-\d\d-\d\dT/gm)].map((match) => match[1]);
  expect(rowTypes).toEqual(SAMPLE_LIST.map((record) => record.type));
});

test('--csv without --out writes to stdout; without --csv the records are counted by type', async () => {
  // Act
  const csv = await run(process.execPath, [BIN, 'accounting', join(logDir, 'accounting-00000001.jsonl'), '--csv']);
  const counts = await run(process.execPath, [BIN, 'accounting', logDir]);
  // Assert
  expect(csv.stdout.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
  expect(csv.stdout).toMatch(
    /^Reception,1764547200000,2025-12-01T00:00:00\.000Z,1\.a,bea@example\.com,bounces@news\.example,/m,
  );
  expect(counts.stdout).toMatch(/^13 records in 3 files at /);
  expect(counts.stdout).toMatch(/^ {2}TransientFailure +1$/m);
});

test('a missing path or a wrong command line exits 2 and says what is wrong', async () => {
  await expect(run(process.execPath, [BIN, 'accounting', join(dir, 'nosuch'), '--csv'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/no such file or folder: .*nosuch/) as unknown,
  });
  await expect(run(process.execPath, [BIN, 'accounting', '--csv'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/exactly one path/) as unknown,
  });
  await expect(run(process.execPath, [BIN, 'accounting', dir])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/no accounting log files/) as unknown,
  });
  // An --out whose folder cannot be made is named before anything is read (a missing folder is made, as for every --out).
  await expect(
    run(process.execPath, [BIN, 'accounting', logDir, '--csv', '--out', '/dev/null/no/dir.csv']),
  ).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--out \/dev\/null\/no\/dir\.csv: cannot create its folder .*ENOTDIR/) as unknown,
  });
});
