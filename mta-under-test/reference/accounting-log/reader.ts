/**
 * Reads an accounting log back, record by record, without holding it in memory: a single
 * `.jsonl` file, or a folder of rotated files read in sequence order (file-names.ts).
 *
 * A crash can leave the last line of a file torn (the writer was cut mid-write, writer.ts).
 * Such a line has no newline at its end and is skipped and reported through `onTornTail`. Any
 * other line that is not an accounting record is damage, not a crash, and stops the reading
 * with an `AccountingLogError` naming the file and line.
 */
import { createReadStream, statSync } from 'node:fs';
import type { AccountingRecord } from '../../accounting.ts';
import { ACCOUNTING_RECORD_TYPES } from '../../accounting.ts';
import { listLogFiles } from './file-names.ts';
import { MailbenchError } from '../../../kernel/index.ts';

/** A line of a log that is not an accounting record, by file and line number (1-based). */
export class AccountingLogError extends MailbenchError {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super('E_ACCOUNTING_LOG', `${file}:${line}: ${reason}`, { context: { file, line } });
    this.name = 'AccountingLogError';
  }
}

export interface TornTail {
  readonly file: string;
  readonly line: number;
  /** Bytes of the torn line that were skipped. */
  readonly bytes: number;
}

export interface ReadOptions {
  /** Called for each file that ends in a torn line (skipped). */
  readonly onTornTail?: (tail: TornTail) => void;
}

/** The log files at `path`: the file itself, or the folder's log files oldest first. Throws if the path does not exist. */
export function logFilesAt(path: string): string[] {
  return statSync(path).isDirectory() ? listLogFiles(path) : [path];
}

/** Every record at `path` (a log file or a folder of them), in the order it was written. */
export async function* readAccountingLog(path: string, options: ReadOptions = {}): AsyncGenerator<AccountingRecord> {
  for (const file of logFilesAt(path)) yield* readLogFile(file, options);
}

/** The records of one file; a last line without a newline that does not parse is a torn tail. */
export async function* readLogFile(file: string, options: ReadOptions = {}): AsyncGenerator<AccountingRecord> {
  let rest: Buffer = Buffer.alloc(0);
  let line = 0;
  for await (const chunk of createReadStream(file)) {
    let data: Buffer = Buffer.concat([rest, chunk as Buffer]);
    for (let end = data.indexOf(0x0a); end >= 0; end = data.indexOf(0x0a)) {
      line += 1;
      const record = parseLine(data.subarray(0, end), file, line);
      if (record !== null) yield record;
      data = data.subarray(end + 1);
    }
    rest = data;
  }
  if (rest.byteLength === 0) return;
  line += 1;
  let record: AccountingRecord | null;
  try {
    record = parseLine(rest, file, line);
  } catch {
    options.onTornTail?.({ file, line, bytes: rest.byteLength });
    return;
  }
  // Complete JSON cut just before its newline: the record is whole.
  if (record !== null) yield record;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(ACCOUNTING_RECORD_TYPES);

/** The record on one line; null for an empty line; throws for anything else. */
function parseLine(bytes: Buffer, file: string, line: number): AccountingRecord | null {
  const text = bytes.toString('utf8').replace(/\r$/, '');
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AccountingLogError(file, line, `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AccountingLogError(file, line, 'not a JSON object');
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type))
    throw new AccountingLogError(
      file,
      line,
      `unknown record type ${JSON.stringify(type)} (known: ${ACCOUNTING_RECORD_TYPES.join(', ')})`,
    );
  return value as AccountingRecord;
}
