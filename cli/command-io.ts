/**
 * What the report-reading commands (`report`, `compare`) share: the streams they write to, the
 * usage error, which errors are the user's (exit 2) rather than the bench's, and writing the
 * rendered text to `--out` or stdout.
 */
import { writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { prepareOutputFile } from './output-path.ts';
import { isUsersToFix, MailbenchError } from '../kernel/index.ts';

/** The streams a command writes to (the process's own, or a test's). */
export interface OutputStreams {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** A bad command line: printed with the usage, exit 2. The one UsageError of the CLI. */
export class UsageError extends MailbenchError {
  constructor(message: string) {
    super('E_USAGE', message);
    this.name = 'UsageError';
  }
}

/** The user's to fix (a bad option, an unreadable report, a taken spool), not the bench's: exit 2. */
export function isBadInput(error: unknown): error is Error {
  return (
    isUsersToFix(error) ||
    (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  );
}

/** Checks `--out` before the work (a folder to write in, not a folder itself); throws OutputPathError. */
export function checkOutput(out: string | undefined): void {
  if (out !== undefined) prepareOutputFile(out);
}

/** Writes the rendered text to `--out` when given, else to stdout. */
export function writeOutput(text: string, out: string | undefined, streams: OutputStreams): void {
  if (out === undefined) streams.stdout.write(text);
  else writeFileSync(out, text);
}
