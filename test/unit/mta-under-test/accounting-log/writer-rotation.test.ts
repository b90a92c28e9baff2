/**
 * The accounting log writer in a temp folder: files rotate at the byte limit and at the record
 * count, a record is never split, names follow the sequence and a new writer continues after
 * the last file; every record comes back in order; back-pressure is signalled and drains; a
 * closed writer refuses more.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { AccountingLogWriter, readAccountingLog } from '../../../../mta-under-test/reference/accounting-log/index.ts';
import type { AccountingRecord } from '../../../../mta-under-test/accounting.ts';
import { numbered } from './sample-records.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-acct-'));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function readAll(path: string): Promise<AccountingRecord[]> {
  const records: AccountingRecord[] = [];
  for await (const record of readAccountingLog(path)) records.push(record);
  return records;
}

const lineBytes = (record: AccountingRecord): number => Buffer.byteLength(`${JSON.stringify(record)}\n`);

test('files rotate before they would pass the byte limit, never splitting a record, named in sequence', async () => {
  // Arrange
  const dir = tempDir();
  const records = Array.from({ length: 50 }, (_unused, index) => numbered(index));
  const fileBytesMax = lineBytes(records[0] as AccountingRecord) * 4 + 10;
  const writer = AccountingLogWriter.open({ dir, fileBytesMax });
  // Act
  for (const record of records) writer.write(record);
  await writer.close();
  // Assert
  const names = readdirSync(dir).sort();
  expect(names[0]).toBe('accounting-00000001.jsonl');
  expect(names).toEqual(names.map((_name, index) => `accounting-${String(index + 1).padStart(8, '0')}.jsonl`));
  for (const name of names) {
    const content = readFileSync(join(dir, name), 'utf8');
    expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(fileBytesMax);
    expect(content.endsWith('\n')).toBe(true);
  }
  expect(names.length).toBe(Math.ceil(50 / 4));
  expect(await readAll(dir)).toEqual(records);
  expect(writer.stats()).toMatchObject({ recordsWritten: 50, pendingBytes: 0, files: names });
});

test('files rotate at the record count; a record bigger than the byte limit gets a file alone', async () => {
  // Arrange
  const dir = tempDir();
  const big = { ...numbered(99), rule: 'x'.repeat(20_000) };
  const writer = AccountingLogWriter.open({ dir, fileRecordsMax: 3, fileBytesMax: 10_000 });
  // Act
  for (let index = 0; index < 7; index++) writer.write(numbered(index));
  writer.write(big);
  writer.write(numbered(7));
  await writer.close();
  // Assert: 3 + 3 + 1 records, then the big one alone, then the last.
  const perFile = readdirSync(dir)
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).length);
  expect(perFile).toEqual([3, 3, 1, 1, 1]);
  expect((await readAll(dir)).map((record) => ('messageId' in record ? record.messageId : ''))).toEqual([
    'm.0',
    'm.1',
    'm.2',
    'm.3',
    'm.4',
    'm.5',
    'm.6',
    'm.99',
    'm.7',
  ]);
});

test('a new writer starts after the last file in the folder and never appends to it', async () => {
  // Arrange: a log from before, whose last line a crash tore.
  const dir = tempDir();
  writeFileSync(join(dir, 'accounting-00000007.jsonl'), `${JSON.stringify(numbered(0))}\n{"type":"Deliv`);
  writeFileSync(join(dir, 'notes.txt'), 'not a log file');
  // Act
  const writer = AccountingLogWriter.open({ dir });
  writer.write(numbered(1));
  await writer.close();
  // Assert
  expect(readdirSync(dir).sort()).toEqual(['accounting-00000007.jsonl', 'accounting-00000008.jsonl', 'notes.txt']);
  expect((await readAll(dir)).map((record) => ('messageId' in record ? record.messageId : ''))).toEqual(['m.0', 'm.1']);
});

test('write reports back-pressure past the high-water mark, and drain resolves once written', async () => {
  // Arrange
  const dir = tempDir();
  const record = numbered(0);
  const writer = AccountingLogWriter.open({
    dir,
    pendingBytesHighWater: lineBytes(record) * 3,
    bufferBytesMax: 1024 * 1024,
    flushIntervalMs: 60_000,
  });
  // Act
  const answers = [writer.write(record), writer.write(record), writer.write(record), writer.write(record)];
  const pendingBefore = writer.stats().pendingBytes;
  await writer.drain();
  // Assert
  expect(answers).toEqual([true, true, false, false]);
  expect(pendingBefore).toBe(lineBytes(record) * 4);
  expect(writer.stats().pendingBytes).toBe(0);
  await writer.close();
});

test('records wait in the buffer until flush (or the interval); a closed writer refuses more', async () => {
  // Arrange
  const dir = tempDir();
  const writer = AccountingLogWriter.open({ dir, flushIntervalMs: 60_000 });
  // Act
  writer.write(numbered(0));
  const beforeFlush = readdirSync(dir);
  await writer.flush();
  const afterFlush = await readAll(dir);
  await writer.close();
  // Assert
  expect(beforeFlush).toEqual([]);
  expect(afterFlush).toHaveLength(1);
  expect(() => writer.write(numbered(1))).toThrow(/is closed/);
});

test('the interval writes a quiet buffer by itself', async () => {
  // Arrange
  const dir = tempDir();
  const writer = AccountingLogWriter.open({ dir, flushIntervalMs: 20 });
  // Act
  writer.write(numbered(0));
  await new Promise((resolve) => setTimeout(resolve, 200));
  // Assert
  expect(await readAll(dir)).toHaveLength(1);
  await writer.close();
});

test('options out of range are refused by name', () => {
  expect(() => AccountingLogWriter.open({ dir: tempDir(), fileBytesMax: 0 })).toThrow(
    /fileBytesMax must be more than 0 \(got 0\)/,
  );
});
