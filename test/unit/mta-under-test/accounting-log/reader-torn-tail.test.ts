/**
 * Reading an accounting log back: a folder's files in sequence order (not name order of other
 * files), a single file, a torn last line skipped and reported in whichever file a crash left
 * it, a whole record that only lost its newline kept, and damage in the middle of a file
 * refused with the file and line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { AccountingLogError, readAccountingLog } from '../../../../mta-under-test/reference/accounting-log/index.ts';
import type { ReadOptions, TornTail } from '../../../../mta-under-test/reference/accounting-log/index.ts';
import type { AccountingRecord } from '../../../../mta-under-test/accounting.ts';
import { SAMPLE_LIST, numbered } from './sample-records.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-acct-read-'));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const lines = (records: readonly AccountingRecord[]): string =>
  records.map((record) => `${JSON.stringify(record)}\n`).join('');
const ids = (records: readonly AccountingRecord[]): string[] =>
  records.map((record) => ('messageId' in record ? record.messageId : record.type));

async function readAll(path: string, options: ReadOptions = {}): Promise<AccountingRecord[]> {
  const records: AccountingRecord[] = [];
  for await (const record of readAccountingLog(path, options)) records.push(record);
  return records;
}

test('a folder is read in sequence order, other files ignored; a single file reads alone', async () => {
  // Arrange
  const dir = tempDir();
  writeFileSync(join(dir, 'accounting-00000010.jsonl'), lines([numbered(3)]));
  writeFileSync(join(dir, 'accounting-00000002.jsonl'), lines([numbered(0), numbered(1)]));
  writeFileSync(join(dir, 'accounting-00000009.jsonl'), lines([numbered(2)]));
  writeFileSync(join(dir, 'accounting-latest.jsonl'), 'not part of the log');
  // Act
  const all = await readAll(dir);
  const one = await readAll(join(dir, 'accounting-00000009.jsonl'));
  // Assert
  expect(ids(all)).toEqual(['m.0', 'm.1', 'm.2', 'm.3']);
  expect(ids(one)).toEqual(['m.2']);
});

test('every record type survives the round trip unchanged', async () => {
  // Arrange
  const dir = tempDir();
  writeFileSync(join(dir, 'accounting-00000001.jsonl'), lines(SAMPLE_LIST));
  // Act and assert
  expect(await readAll(dir)).toEqual(SAMPLE_LIST);
});

test('a torn last line is skipped and reported, in the newest file and in an older one', async () => {
  // Arrange: file 1 torn by a crash, file 2 written after the restart and torn again.
  const dir = tempDir();
  writeFileSync(join(dir, 'accounting-00000001.jsonl'), `${lines([numbered(0)])}{"type":"Delivery","atMs":17`);
  // Cut in the middle of a two-byte character.
  writeFileSync(
    join(dir, 'accounting-00000002.jsonl'),
    Buffer.concat([Buffer.from(lines([numbered(1)])), Buffer.from('{"type":"Bounc\u00e9').subarray(0, -1)]),
  );
  const torn: TornTail[] = [];
  // Act
  const records = await readAll(dir, { onTornTail: (tail) => torn.push(tail) });
  // Assert
  expect(ids(records)).toEqual(['m.0', 'm.1']);
  expect(torn).toEqual([
    { file: join(dir, 'accounting-00000001.jsonl'), line: 2, bytes: 28 },
    { file: join(dir, 'accounting-00000002.jsonl'), line: 2, bytes: 15 },
  ]);
});

test('a whole record that lost only its newline is kept', async () => {
  // Arrange
  const dir = tempDir();
  writeFileSync(join(dir, 'accounting-00000001.jsonl'), `${lines([numbered(0)])}${JSON.stringify(numbered(1))}`);
  // Act and assert
  expect(ids(await readAll(dir))).toEqual(['m.0', 'm.1']);
});

test('damage inside a file stops the reading with the file and line named', async () => {
  // Arrange
  const dir = tempDir();
  const file = join(dir, 'accounting-00000001.jsonl');
  writeFileSync(file, `${lines([numbered(0)])}garbage\n${lines([numbered(1)])}`);
  writeFileSync(join(dir, 'accounting-00000002.jsonl'), `${lines([numbered(2)])}{"type":"Nonsense"}\n`);
  // Act and assert
  await expect(readAll(file)).rejects.toThrow(
    new AccountingLogError(file, 2, 'not JSON (Unexpected token \'g\', "garbage" is not valid JSON)'),
  );
  await expect(readAll(join(dir, 'accounting-00000002.jsonl'))).rejects.toThrow(
    /accounting-00000002\.jsonl:2: unknown record type "Nonsense"/,
  );
});

test('records are streamed across chunk boundaries (a file larger than one read)', async () => {
  // Arrange: about 400 KiB, several 64 KiB reads.
  const dir = tempDir();
  const many = Array.from({ length: 600 }, (_unused, index) => numbered(index));
  writeFileSync(join(dir, 'accounting-00000001.jsonl'), lines(many));
  // Act and assert
  expect(await readAll(dir)).toEqual(many);
});
