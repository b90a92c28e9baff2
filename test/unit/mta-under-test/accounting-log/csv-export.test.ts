/**
 * The accounting CSV: a fixed header, one row per record of every type, reply texts with
 * commas, quotes and line breaks quoted so a CSV reader gets them back exactly, every column
 * used by some record type, and a field without a column refused rather than dropped. Rows are
 * read back with a small RFC 4180 parser written here, independent of csv-stringify.
 */
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { CSV_COLUMNS, csvRow, exportCsv } from '../../../../mta-under-test/reference/accounting-log/index.ts';
import type { AccountingRecord } from '../../../../mta-under-test/accounting.ts';
import { ACCOUNTING_RECORD_TYPES } from '../../../../mta-under-test/accounting.ts';
import { SAMPLES, SAMPLE_LIST } from './sample-records.ts';

/** RFC 4180: fields separated by commas, records by LF (or CRLF); quoted fields double their quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      rows.push([...row, field.replace(/\r$/, '')]);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function exported(records: readonly AccountingRecord[]): Promise<{ text: string; rows: number }> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const { rows } = await exportCsv(records, output);
  return { text: Buffer.concat(chunks).toString('utf8'), rows };
}

const cellOf = (row: readonly string[], column: (typeof CSV_COLUMNS)[number]): string =>
  row[CSV_COLUMNS.indexOf(column)] ?? '';

test('the header is the fixed column list, and every record type gets one row of that width', async () => {
  // Act
  const { text, rows } = await exported(SAMPLE_LIST);
  const parsed = parseCsv(text);
  // Assert
  expect(rows).toBe(ACCOUNTING_RECORD_TYPES.length);
  expect(parsed[0]).toEqual([...CSV_COLUMNS]);
  expect(parsed.slice(1).map((row) => row[0])).toEqual([...ACCOUNTING_RECORD_TYPES]);
  for (const row of parsed.slice(1)) expect(row).toHaveLength(CSV_COLUMNS.length);
});

test('reply texts with commas, quotes and line breaks are quoted and come back exactly', async () => {
  // Arrange
  const tricky: AccountingRecord = {
    ...SAMPLES.Bounce,
    reply: { code: 554, enhanced: null, lines: ['a, "quoted" text', 'second\r\nline'] },
    rule: 'x,"y"',
  };
  // Act
  const { text } = await exported([tricky]);
  const row = parseCsv(text)[1] ?? [];
  // Assert
  expect(text).toContain('"a, ""quoted"" text second\r\nline"');
  expect(cellOf(row, 'reply_code')).toBe('554');
  expect(cellOf(row, 'reply_enhanced')).toBe('');
  expect(cellOf(row, 'reply_text')).toBe('a, "quoted" text second\r\nline');
  expect(cellOf(row, 'rule')).toBe('x,"y"');
});

test('nested fields are flattened, arrays joined, times given twice, null rates empty', () => {
  // Act
  const bounce = csvRow(SAMPLES.Bounce);
  const throttle = csvRow(SAMPLES.Throttle);
  const reception = csvRow(SAMPLES.Reception);
  // Assert
  expect(cellOf(bounce, 'reply_code')).toBe('550');
  expect(cellOf(bounce, 'reply_enhanced')).toBe('5.7.1');
  expect(cellOf(bounce, 'reply_text')).toBe('Our system has detected, "unusual" rate, of mail\nfrom your IP');
  expect(cellOf(bounce, 'evidence')).toBe('matched "unusual rate" | count, 3');
  expect(cellOf(bounce, 'at')).toBe('2025-12-01T00:00:00.000Z');
  expect(cellOf(bounce, 'at_ms')).toBe('1764547200000');
  expect([
    cellOf(throttle, 'scope_source'),
    cellOf(throttle, 'scope_site'),
    cellOf(throttle, 'scope_provider'),
  ]).toEqual(['ip-2', 'gmail-site', 'gmail']);
  expect([cellOf(throttle, 'rate_per_hour_before'), cellOf(throttle, 'rate_per_hour_after')]).toEqual(['', '120']);
  expect(cellOf(reception, 'redelivery')).toBe('true');
});

test('every column is filled by some record type, and every field value of every sample appears', () => {
  // Act
  const rows = SAMPLE_LIST.map((record) => csvRow(record));
  const limited = csvRow({ ...SAMPLES.Throttle, ratePerHourBefore: 60 });
  // Assert
  const unused = CSV_COLUMNS.filter((_column, index) => [...rows, limited].every((row) => row[index] === ''));
  expect(unused).toEqual([]);
  SAMPLE_LIST.forEach((record, index) => {
    const row = rows[index] ?? [];
    const filled = row.filter((cell) => cell !== '').length;
    // Every own field has at least one cell (reply and scope have several, atMs two).
    expect(filled, record.type).toBeGreaterThanOrEqual(
      Object.keys(record).length - ('ratePerHourBefore' in record && record.ratePerHourBefore === null ? 1 : 0),
    );
  });
});

test('a field the CSV has no column for is refused by name, not dropped', () => {
  const newer = { ...SAMPLES.Delivery, tlsCipher: 'TLS_AES_128_GCM_SHA256' } as unknown as AccountingRecord;
  expect(() => csvRow(newer)).toThrow('Delivery record has a field the CSV has no column for: tlsCipher');
});

test('formula escaping is available for spreadsheets and off by default', async () => {
  // Arrange
  const formula: AccountingRecord = {
    ...SAMPLES.Bounce,
    reply: { code: 550, enhanced: null, lines: ['=HYPERLINK("x")'] },
  };
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Act
  await exportCsv([formula], output, { escapeFormulas: true });
  const plain = await exported([formula]);
  // Assert
  expect(cellOf(parseCsv(Buffer.concat(chunks).toString('utf8'))[1] ?? [], 'reply_text')).toBe('\'=HYPERLINK("x")');
  expect(cellOf(parseCsv(plain.text)[1] ?? [], 'reply_text')).toBe('=HYPERLINK("x")');
});
