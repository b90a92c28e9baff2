/**
 * `mailbench compare A.json B.json [--md|--html] [--out FILE] [--plans] [--fail-on-regression]`:
 * B against A, figure by figure. By default A is the baseline and B the run; `--plans` labels
 * them plan A and plan B (two setups of one scenario, side by side). A regression is B worse
 * than A by more than the figure's tolerance (reports/compare.ts).
 *
 * Exit codes: 0 compared (regressions or not, unless asked to fail); 1 regressions and
 * `--fail-on-regression`; 2 bad command line, or a file missing or not a v1 report.
 */
import { parseArgs } from 'node:util';
import {
  compareReports,
  loadReport,
  renderComparisonHtml,
  renderComparisonMarkdown,
  ReportLoadError,
} from '../reports/index.ts';
import { UsageError, checkOutput, isBadInput, writeOutput } from './command-io.ts';
import type { OutputStreams } from './command-io.ts';

export const COMPARE_USAGE =
  'mailbench compare A.json B.json [--md|--html] [--out FILE] [--plans] [--fail-on-regression]';

const EXIT_OK = 0;
const EXIT_REGRESSION = 1;
const EXIT_BAD_INPUT = 2;

export function compareCommand(args: readonly string[], streams: OutputStreams = process): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        html: { type: 'boolean', default: false },
        md: { type: 'boolean', default: false },
        out: { type: 'string' },
        plans: { type: 'boolean', default: false },
        'fail-on-regression': { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 2)
      throw new UsageError(`compare takes two reports, A then B (got ${positionals.length})`);
    if (values.html && values.md) throw new UsageError('compare takes at most one of --html or --md');
    checkOutput(values.out);
    // Read both before failing, so one run names every bad file.
    const problems: string[] = [];
    const reports = positionals.map((path) => {
      try {
        return loadReport(path);
      } catch (error) {
        if (!(error instanceof ReportLoadError)) throw error;
        problems.push(error.message);
        return undefined;
      }
    });
    const [a, b] = reports;
    if (a === undefined || b === undefined) throw new UsageError(problems.join('\n'));
    const result = compareReports(a, b, { kind: values.plans ? 'plans' : 'baseline' });
    writeOutput(values.html ? renderComparisonHtml(result) : renderComparisonMarkdown(result), values.out, streams);
    if (result.regressions.length > 0) {
      streams.stderr.write(
        `mailbench compare: ${result.regressions.length} regression(s): ${result.regressions.map((metric) => metric.label).join(', ')}\n`,
      );
      if (values['fail-on-regression']) return EXIT_REGRESSION;
    }
    return EXIT_OK;
  } catch (error) {
    if (isBadInput(error)) {
      streams.stderr.write(`mailbench compare: ${error.message}\nusage: ${COMPARE_USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
