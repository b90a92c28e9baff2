/**
 * Accounting records as CSV (RFC 4180 quoting by csv-stringify: a cell with a comma, a quote,
 * a CR or an LF is quoted and its quotes doubled), one header line and then one row per record
 * in `CSV_COLUMNS` order. Streams: records are read, turned into rows and written with the
 * output's back-pressure, so a log of any size exports in constant memory.
 */
import { Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { AccountingRecord } from '../../accounting.ts';
import { CSV_COLUMNS, csvRow } from './csv-columns.ts';

export interface CsvExportOptions {
  /**
   * End `output` when done. False for process.stdout, which must stay open.
   * @defaultValue true
   */
  readonly end?: boolean;
  /**
   * Prefix cells that start with `=`, `+`, `-`, `@`, tab or CR with a `'`, so a spreadsheet
   * does not run receiver-supplied reply texts as formulas. Off by default: it changes the data.
   * @defaultValue false
   */
  readonly escapeFormulas?: boolean;
}

export interface CsvExportResult {
  readonly rows: number;
}

/** Writes the header and one row per record to `output`; resolves once all is written. */
export async function exportCsv(
  records: AsyncIterable<AccountingRecord> | Iterable<AccountingRecord>,
  output: Writable,
  options: CsvExportOptions = {},
): Promise<CsvExportResult> {
  let rows = 0;
  async function* toRows(): AsyncGenerator<string[]> {
    for await (const record of records) {
      rows += 1;
      yield csvRow(record);
    }
  }
  const stringifier = stringify({
    header: true,
    columns: [...CSV_COLUMNS],
    escape_formulas: options.escapeFormulas ?? false,
  });
  await pipeline(Readable.from(toRows()), stringifier, output, { end: options.end ?? true });
  return { rows };
}
