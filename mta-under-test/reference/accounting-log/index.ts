/**
 * The reference engine's accounting log: a JSON Lines writer with rotation and back-pressure,
 * a streaming reader of rotated files, and the CSV export. The public surface of this folder.
 */
export { AccountingLogWriter, resolveAccountingLogOptions } from './writer.ts';
export type { AccountingLogOptions, AccountingLogStats, ResolvedAccountingLogOptions } from './writer.ts';
export { AccountingLogError, logFilesAt, readAccountingLog, readLogFile } from './reader.ts';
export type { ReadOptions, TornTail } from './reader.ts';
export { CSV_COLUMNS, UnknownFieldError, csvRow } from './csv-columns.ts';
export type { CsvColumn } from './csv-columns.ts';
export { exportCsv } from './csv-export.ts';
export type { CsvExportOptions, CsvExportResult } from './csv-export.ts';
export { listLogFiles, logFileName, logFileSequence } from './file-names.ts';
