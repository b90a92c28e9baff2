/**
 * `mailbench report <report.json> --html|--md [--out FILE]`: renders a saved report again, as
 * the self-contained HTML page or the Markdown summary (for a CI step summary or a PR comment).
 * The report is the only input (DESIGN rule 5), so any saved run re-renders with today's tool.
 *
 * Exit codes: 0 rendered; 2 bad command line, or the file is missing or not a v1 report (the
 * message names the file and every problem).
 */
import { parseArgs } from 'node:util';
import { loadReport, loadUplotAssets, renderHtml, renderMarkdown } from '../reports/index.ts';
import { UsageError, checkOutput, isBadInput, writeOutput } from './command-io.ts';
import type { OutputStreams } from './command-io.ts';

export const REPORT_USAGE = 'mailbench report <report.json> --html|--md [--out FILE]';

const EXIT_OK = 0;
const EXIT_BAD_INPUT = 2;

export function reportCommand(args: readonly string[], streams: OutputStreams = process): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        html: { type: 'boolean', default: false },
        md: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
    });
    if (positionals.length !== 1)
      throw new UsageError(`report takes exactly one report.json (got ${positionals.length})`);
    if (values.html === values.md) throw new UsageError('report needs exactly one of --html or --md');
    checkOutput(values.out);
    const report = loadReport(positionals[0] as string);
    writeOutput(values.html ? renderHtml(report, loadUplotAssets()) : renderMarkdown(report), values.out, streams);
    return EXIT_OK;
  } catch (error) {
    if (isBadInput(error)) {
      streams.stderr.write(`mailbench report: ${error.message}\nusage: ${REPORT_USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
