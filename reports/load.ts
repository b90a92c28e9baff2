/**
 * Reads a saved report from disk for the CLI: the file's text through parseReport, with one
 * error type that names the file and says what is wrong (missing, unreadable, not JSON, not a
 * v1 report and why). Like uplot-assets.ts it is a loader beside the pure renderers.
 */
import { readFileSync } from 'node:fs';
import { ReportParseError, parseReport } from './parse.ts';
import type { ReportV1 } from './schema.ts';
import { MailbenchError } from '../kernel/index.ts';

/** A report file that could not be read or is not a v1 report. */
export class ReportLoadError extends MailbenchError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super('E_REPORT_LOAD', message, { context: { path } });
    this.name = 'ReportLoadError';
  }
}

export function loadReport(path: string): ReportV1 {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new ReportLoadError(
      code === 'ENOENT'
        ? `${path}: no such file`
        : `${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
      path,
    );
  }
  try {
    return parseReport(text, path);
  } catch (error) {
    if (error instanceof ReportParseError) throw new ReportLoadError(error.message, path);
    throw error;
  }
}
