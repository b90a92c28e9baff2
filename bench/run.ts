/**
 * `npm run bench`: the benchmarks, apart from the tests (speed is measured here, never asserted
 * by a timed test).
 *
 * - Plain: every phase once, each in its own process (measure.ts): a table, `--json`, `--md`.
 * - `--against REF`: the gate for pull requests. REF is checked out beside this tree and both
 *   are measured in interleaved rounds until each figure's interval decides (gate-run.ts).
 * - `--gate`: the same judgement against the stored baseline, on the machine it was recorded on.
 * - `--calibrate`: this tree against itself, to learn the spread and propose tolerances.
 * - `--record-baseline`: the stored baseline, recorded here.
 *
 * Exit codes (as k6 gives a failed threshold its own): 0 passed (or measured), 1 a regression
 * (a figure's whole interval beyond the tolerance, a figure missing, a count that varied for one
 * seed), 2 bad options or a baseline that cannot be used here, 3 inconclusive (the budget ended
 * before an interval cleared the line; never called a failure), 4 the measurement itself failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runGate } from './gate-run.ts';
import type { GateReport } from './gate-run.ts';
import { renderGateMarkdown, renderGateTable } from './gate-render.ts';
import { measure } from './measure.ts';
import { BenchInputError, USAGE, parseBenchArgs } from './options.ts';
import type { BenchOptions } from './options.ts';
import { killRunning } from './processes.ts';
import { recordBaseline } from './record-baseline.ts';
import { removeWorktrees } from './trees.ts';
import { renderMarkdown, renderTable } from './render.ts';

export const EXIT = { passed: 0, regression: 1, usage: 2, inconclusive: 3, measurementFailed: 4 } as const;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function emit(options: BenchOptions, json: string, table: string, markdown: () => string): void {
  write(options.out, json);
  process.stdout.write(options.json ? json : table);
  if (options.markdown === '-') process.stdout.write(`\n${markdown()}`);
  else if (options.markdown !== undefined) write(options.markdown, markdown());
}

function exitCodeOf(report: GateReport): number {
  if (report.mode === 'calibrate') return EXIT.passed;
  return report.decision === 'failed'
    ? EXIT.regression
    : report.decision === 'inconclusive'
      ? EXIT.inconclusive
      : EXIT.passed;
}

async function main(options: BenchOptions): Promise<number> {
  if (options.mode === 'measure') {
    const report = await measure(options, log);
    emit(options, `${JSON.stringify(report, null, 2)}\n`, renderTable(report), () => renderMarkdown(report));
    return EXIT.passed;
  }
  if (options.mode === 'record') {
    const baseline = await recordBaseline(options, log);
    process.stdout.write(`${JSON.stringify(baseline, null, 2)}\n`);
    log(`bench: baseline recorded in ${options.baseline}`);
    return EXIT.passed;
  }
  const report = await runGate(options, log);
  emit(options, `${JSON.stringify(report, null, 2)}\n`, renderGateTable(report), () => renderGateMarkdown(report));
  const code = exitCodeOf(report);
  log(
    report.mode === 'calibrate'
      ? `bench calibrate: done after ${report.sampling.rounds} rounds (exit ${code})`
      : `bench ${report.mode}: ${report.decision} (exit ${code})`,
  );
  return code;
}

const HELP = `${USAGE}

Exit codes: 0 passed (or measured) · 1 regression · 2 bad options or an unusable baseline · 3 inconclusive · 4 measurement failed`;

if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
  process.stdout.write(`${HELP}\n`);
  process.exit(EXIT.passed);
}
// Interrupted (Ctrl-C, a CI job cancelled): stop the phases and remove the other commit's worktree.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    killRunning();
    void removeWorktrees().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });

const parsed = parseBenchArgs(process.argv.slice(2));
if ('issues' in parsed) {
  process.stderr.write(`${parsed.issues.join('\n')}\n${USAGE}\n`);
  process.exit(EXIT.usage);
}
try {
  process.exitCode = await main(parsed.options);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bench: ${message}\n`);
  // A baseline or a ref that cannot be used is the caller's to fix; anything else is the measurement's failure.
  process.exitCode = error instanceof BenchInputError ? EXIT.usage : EXIT.measurementFailed;
}
