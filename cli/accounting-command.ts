/**
 * `mailbench accounting <dir|file.jsonl> [--csv [--out FILE]]`: reads an accounting log (a
 * folder of rotated `accounting-NNNNNNNN.jsonl` files, or one file) and either exports it as
 * CSV (to FILE, or to stdout) or, without `--csv`, prints how many records of each type it
 * holds. A thin wrapper over mta-under-test/reference/accounting-log (STYLE §2.10).
 *
 * Exit codes, as for the rest of the CLI: 0 done; 2 the command line is wrong, the path does
 * not exist or holds no log, or the log is damaged (the message names the file and line).
 * A torn last line, which a crash leaves, is skipped with a note on stderr.
 */
import { OutputPathError, prepareOutputFile } from './output-path.ts';
import { existsSync, rmSync, statSync, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  ACCOUNTING_RECORD_TYPES,
  AccountingLogError,
  exportCsv,
  logFilesAt,
  readAccountingLog,
  UnknownFieldError,
} from '../mta-under-test/index.ts';
import type { AccountingRecordType, TornTail } from '../mta-under-test/index.ts';
import { MailbenchError } from '../kernel/index.ts';

const EXIT_DONE = 0;
const EXIT_USAGE = 2;

/** The usage line main.ts lists. */
export const ACCOUNTING_USAGE = 'mailbench accounting <dir|file.jsonl> [--csv [--out FILE]]';

const HELP = `Reads an accounting log: a folder of rotated accounting-NNNNNNNN.jsonl files (read in
sequence order) or one .jsonl file. A torn last line, which a crash leaves, is skipped.

  --csv        write the records as CSV (one fixed column set for every record type)
  --out FILE   with --csv: write to FILE instead of stdout

Without --csv, prints how many records of each type the log holds.
Exit codes: 0 done · 2 bad command line, missing path, no log there, or a damaged log`;

/** Where the command writes; the process's streams unless a test passes its own. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** A problem the user can fix, printed as `mailbench accounting: …` with exit code 2. */
/** A bad accounting command line or path: exit 2. */
class AccountingCommandError extends MailbenchError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** Runs the command on `args` (everything after `accounting`); resolves with the exit code. */
export async function accountingCommand(
  args: readonly string[],
  io: CommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  try {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(`Usage: ${ACCOUNTING_USAGE}\n\n${HELP}\n`);
      return EXIT_DONE;
    }
    const { path, csv, out } = readArgs(args);
    if (out !== undefined) prepareOutputFile(out);
    const onTornTail = (tail: TornTail): void => {
      io.stderr.write(
        `mailbench accounting: skipped a torn last line (${tail.bytes} bytes, what a crash leaves) at ${tail.file}:${tail.line}\n`,
      );
    };
    if (csv) await writeCsv(path, out, io, onTornTail);
    else await printCounts(path, io, onTornTail);
    return EXIT_DONE;
  } catch (error) {
    if (
      error instanceof AccountingCommandError ||
      error instanceof AccountingLogError ||
      error instanceof OutputPathError
    ) {
      io.stderr.write(`mailbench accounting: ${error.message}\n\nUsage: ${ACCOUNTING_USAGE}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UnknownFieldError) {
      // A record the CSV cannot hold without losing a field (from a newer engine).
      io.stderr.write(`mailbench accounting: ${error.message}; nothing more was exported\n`);
      return EXIT_USAGE;
    }
    if (isFileSystemError(error)) {
      // A log that cannot be read, an --out that cannot be written: the user can fix either.
      io.stderr.write(`mailbench accounting: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function readArgs(args: readonly string[]): { path: string; csv: boolean; out: string | undefined } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { csv: { type: 'boolean', default: false }, out: { type: 'string' } },
    });
  } catch (error) {
    throw new AccountingCommandError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new AccountingCommandError(
      `accounting takes exactly one path, a folder of accounting-*.jsonl files or one .jsonl file (got ${positionals.length}${positionals.length > 0 ? `: ${positionals.join(' ')}` : ''})`,
    );
  const path = positionals[0] as string;
  if (!existsSync(path)) throw new AccountingCommandError(`no such file or folder: ${path}`);
  if (values.out !== undefined && !values.csv)
    throw new AccountingCommandError('--out goes with --csv (the CSV is what it writes)');
  if (statSync(path).isDirectory() && logFilesAt(path).length === 0)
    throw new AccountingCommandError(`no accounting log files (accounting-NNNNNNNN.jsonl) in ${path}`);
  return { path, csv: values.csv, out: values.out };
}

async function writeCsv(
  path: string,
  out: string | undefined,
  io: CommandIo,
  onTornTail: (tail: TornTail) => void,
): Promise<void> {
  const records = readAccountingLog(path, { onTornTail });
  if (out === undefined) {
    await exportCsv(records, io.stdout, { end: false });
    return;
  }
  try {
    const { rows } = await exportCsv(records, createWriteStream(out));
    io.stderr.write(`mailbench accounting: ${rows} record${rows === 1 ? '' : 's'} written to ${out}\n`);
  } catch (error) {
    // No half-written export left behind to be mistaken for a whole one.
    rmSync(out, { force: true });
    throw error;
  }
}

async function printCounts(path: string, io: CommandIo, onTornTail: (tail: TornTail) => void): Promise<void> {
  const counts = new Map<AccountingRecordType, number>(ACCOUNTING_RECORD_TYPES.map((type) => [type, 0]));
  let total = 0;
  for await (const record of readAccountingLog(path, { onTornTail })) {
    counts.set(record.type, (counts.get(record.type) ?? 0) + 1);
    total += 1;
  }
  const files = logFilesAt(path).length;
  io.stdout.write(`${total} record${total === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} at ${path}\n`);
  for (const [type, count] of counts) if (count > 0) io.stdout.write(`  ${type.padEnd(17)} ${count}\n`);
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}
