/**
 * How accounting log files are named: `accounting-<sequence>.jsonl`, the sequence zero-padded
 * to eight digits, so that a plain sort of the names (`ls`, a shell glob) is also the order
 * in which they were written. A writer never appends to a file it did not create: a new
 * writer starts at the next sequence, so a line torn by a crash stays at the end of its file.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const LOG_FILE = /^accounting-(\d{8})\.jsonl$/;

/** The file name for a sequence number, e.g. 1 → `accounting-00000001.jsonl`. */
export function logFileName(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 99_999_999)
    throw new RangeError(`accounting log sequence must be an integer from 1 to 99999999 (got ${sequence})`);
  return `accounting-${String(sequence).padStart(8, '0')}.jsonl`;
}

/** The sequence number in a log file name, or undefined for any other file. */
export function logFileSequence(name: string): number | undefined {
  const match = LOG_FILE.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/** The log files in `dir`, oldest first, as full paths; other files are ignored. */
export function listLogFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => ({ name, sequence: logFileSequence(name) }))
    .filter((entry): entry is { name: string; sequence: number } => entry.sequence !== undefined)
    .sort((a, b) => a.sequence - b.sequence)
    .map((entry) => join(dir, entry.name));
}
