/**
 * A gate run for people: one line per figure (the change with its interval, the rounds it took,
 * the verdict), the decision, and for `--calibrate` the tolerances the spread supports. Pure
 * functions of the saved JSON.
 */
import type { GateReport } from './gate-run.ts';
import type { FigureOutcome } from './sampler.ts';
import { alignColumns } from './columns.ts';
import { relative } from './stats.ts';

const percent = (logChange: number): string => {
  if (!Number.isFinite(logChange)) return logChange > 0 ? '+∞' : '−∞';
  const value = relative(logChange) * 100;
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} %`;
};

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const amount = (value: number | undefined): string =>
  value === undefined ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);

const VERDICT_WORDS: Readonly<Record<FigureOutcome['verdict'], string>> = {
  regression: 'REGRESSION',
  improvement: 'improvement',
  unchanged: 'unchanged',
  'no-regression': 'no regression (an improvement is not shown)',
  inconclusive: 'INCONCLUSIVE',
  missing: 'MISSING from this tree',
  'not-compared': 'not compared (the base has no such figure)',
  'not-deterministic': 'NOT DETERMINISTIC (a count varied for one seed)',
};

export interface FigureLine {
  readonly figure: string;
  readonly head: string;
  readonly base: string;
  readonly change: string;
  readonly verdict: string;
}

/**
 * A saved gate JSON holds an unbounded interval's bounds as null (JSON has no Infinity), so the
 * line reads null as the open end on its side.
 */
export function figureLine(figure: FigureOutcome): FigureLine {
  const interval = figure.interval;
  const tolerance = `±${(figure.tolerance * 100).toFixed(0)} %`;
  const change =
    interval === undefined
      ? ''
      : figure.kind === 'count'
        ? `${percent(interval.estimate)} exact`
        : `${percent(interval.estimate)} [${percent(interval.low ?? Number.NEGATIVE_INFINITY)}, ${percent(interval.high ?? Number.POSITIVE_INFINITY)}] ${Math.round(interval.confidence * 100)} %, ${interval.samples} rounds`;
  return {
    figure: figure.name,
    head: `${amount(median(figure.values.head ?? []))} ${figure.unit}`,
    base: figure.values.base === undefined ? '' : `${amount(median(figure.values.base))} ${figure.unit}`,
    change,
    verdict: `${VERDICT_WORDS[figure.verdict]} (${tolerance})`,
  };
}

const DECISION_WORDS: Readonly<Record<GateReport['decision'], string>> = {
  passed: 'passed',
  failed: 'FAILED',
  inconclusive: 'INCONCLUSIVE (the run could not tell within its budget; not a failure)',
};

function headline(report: GateReport): string {
  const loads = (values: readonly number[]): string => values.map((value) => value.toFixed(2)).join(' ');
  return [
    `bench ${report.mode}: ${report.sides.head} against ${report.sides.base}`,
    `${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}, Postfix ${report.machine.postfix}, load ${loads(report.machine.loadAverageStart)} → ${loads(report.machine.loadAverageEnd)}`,
    `${report.sampling.rounds} rounds after ${report.sampling.warmupRounds} warm-up, stopped: ${report.sampling.stoppedBecause}, sampling ${report.sampling.wallSeconds.toFixed(0)} s, whole run ${report.wallSeconds.toFixed(0)} s`,
  ].join('\n');
}

export function renderGateTable(report: GateReport): string {
  const lines = report.figures.map(figureLine);
  const header: FigureLine = {
    figure: 'figure',
    head: 'head (median)',
    base: 'base (median)',
    change: 'change',
    verdict: 'verdict',
  };
  const table = alignColumns(['figure', 'head', 'base', 'change', 'verdict'] as const, [header, ...lines]);
  const calibration = report.mode === 'calibrate' ? ['', renderProposals(proposeTolerances(report.figures))] : [];
  return (
    [
      headline(report),
      '',
      ...table,
      '',
      report.mode === 'calibrate'
        ? 'calibration: this tree against itself; the verdicts show what a gate would have said'
        : `decision: ${DECISION_WORDS[report.decision]}`,
      ...calibration,
    ].join('\n') + '\n'
  );
}

export function renderGateMarkdown(report: GateReport): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    `## mailbench gate: ${DECISION_WORDS[report.decision]}`,
    '',
    ...headline(report)
      .split('\n')
      .map((line) => `${line}  `),
    '',
    '| figure | head (median) | base (median) | change, interval | verdict |',
    '|---|---|---|---|---|',
    ...report.figures
      .map(figureLine)
      .map((line) => `| ${[line.figure, line.head, line.base, line.change, line.verdict].map(escape).join(' | ')} |`),
    '',
  ].join('\n');
}

export interface ToleranceProposal {
  readonly figure: string;
  readonly rounds: number;
  /** The widest side of the A/A interval, as a relative change. */
  readonly intervalHalfWidth: number;
  /** The median absolute deviation of the A/A changes, relative. */
  readonly spread: number;
  readonly proposed: number;
  readonly note: string;
}

const STEP = 0.05;

/**
 * The tolerance this machine supports for each timed figure: twice the half-width of the A/A
 * interval after the calibration's rounds (so an unchanged tree settles as unchanged within as
 * many rounds), rounded up to 5 %, at least 5 %.
 */
export function proposeTolerances(figures: readonly FigureOutcome[]): ToleranceProposal[] {
  return figures
    .filter((figure) => figure.kind === 'timed' && figure.interval !== undefined)
    .map((figure) => {
      const interval = figure.interval as NonNullable<FigureOutcome['interval']>;
      const halfWidth = Math.max(Math.abs(relative(interval.low)), Math.abs(relative(interval.high)));
      const centre = median(figure.changes) ?? 0;
      const spread = relative(median(figure.changes.map((change) => Math.abs(change - centre))) ?? 0);
      const proposed = Number.isFinite(halfWidth)
        ? Math.max(STEP, Math.ceil((2 * halfWidth) / STEP - 1e-9) * STEP)
        : Number.NaN;
      const note = !Number.isFinite(halfWidth)
        ? 'too few rounds for an interval: calibrate with --rounds 6 or more'
        : proposed >= 0.3
          ? 'too noisy here to tell a 30 % change: larger phases (--messages) or a quieter machine'
          : '';
      return { figure: figure.name, rounds: interval.samples, intervalHalfWidth: halfWidth, spread, proposed, note };
    });
}

function renderProposals(proposals: readonly ToleranceProposal[]): string {
  const flags = proposals
    .filter((proposal) => Number.isFinite(proposal.proposed))
    .map((proposal) => `--tolerance ${proposal.figure}=${proposal.proposed.toFixed(2)}`);
  return [
    'proposed tolerances (twice the A/A interval half-width, rounded up to 5 %):',
    ...proposals.map(
      (proposal) =>
        `  ${proposal.figure}: spread ${(proposal.spread * 100).toFixed(1)} %, interval ±${(proposal.intervalHalfWidth * 100).toFixed(1)} % after ${proposal.rounds} rounds → ${Number.isFinite(proposal.proposed) ? `${(proposal.proposed * 100).toFixed(0)} %` : '—'}${proposal.note === '' ? '' : ` (${proposal.note})`}`,
    ),
    ...(flags.length === 0 ? [] : ['', `gate with: npm run bench -- --against <ref> ${flags.join(' ')}`]),
  ].join('\n');
}
