/**
 * Compares two saved reports, figure by figure: plan A against plan B (a consultant's two
 * setups on one scenario) or a baseline against a new run. Both views compute the same thing:
 * for each figure, which way is better, how far B moved from A, and whether it moved the wrong
 * way by more than the figure's tolerance: a regression. The CLI fails on regressions when
 * asked (`--fail-on-regression`); renderers (compare-render.ts) show the same result.
 *
 * Tolerances are absolute for shares (0.01 = one percentage point) and relative for rates
 * (0.05 = 5 % of A's value), because a share's noise does not grow with the figure but a
 * rate's does. Pure: a function of the two saved reports (DESIGN rule 5).
 */
import { decisionCounts, keyShares, runHours, share } from './report-view.ts';
import type { ReportV1 } from './schema.ts';

export type MetricId =
  | 'deliveredShare'
  | 'bouncedShare'
  | 'expiredShare'
  | 'inboxShare'
  | 'complaintRate'
  | 'macroF1'
  | 'actionAccuracy'
  | 'validWronglySuppressedShare'
  | 'disguisedRecall'
  | 'unknownUserSuppressedShare'
  | 'invalidKept'
  | 'acceptedPerSecond'
  | 'runClockHours'
  | 'decisions';

/** `informational` figures are shown side by side but never flagged: neither way is better. */
export type Direction = 'higher-is-better' | 'lower-is-better' | 'informational';

export interface MetricDefinition {
  readonly id: MetricId;
  readonly label: string;
  readonly direction: Direction;
  /** How much worse B may be before it is a regression, in the metric's own terms. */
  readonly tolerance: number;
  readonly toleranceKind: 'absolute' | 'relative';
  readonly format: 'share' | 'precise' | 'integer' | 'decimal';
  readonly read: (report: ReportV1) => number | null;
}

export type Verdict = 'better' | 'same' | 'within-tolerance' | 'regression' | 'changed' | 'missing';

export interface MetricComparison {
  readonly id: MetricId;
  readonly label: string;
  readonly direction: Direction;
  readonly format: MetricDefinition['format'];
  readonly a: number | null;
  readonly b: number | null;
  /** b − a; null when either is missing. */
  readonly delta: number | null;
  readonly tolerance: number;
  readonly toleranceKind: MetricDefinition['toleranceKind'];
  readonly verdict: Verdict;
}

/** Who a side is: enough to tell the two setups apart in a table header. */
export interface SideIdentity {
  readonly label: string;
  readonly scenario: string;
  readonly seed: string;
  readonly mode: string;
  readonly engine: string;
  readonly outcome: string;
}

export interface ReceiverComparison {
  readonly receiver: string;
  /** Accepted mail (truth) placed in the inbox, of all accepted, per side. */
  readonly inboxShareA: number | null;
  readonly inboxShareB: number | null;
  /** Refusals (truth: every cause but the accepted ones), per side. */
  readonly refusalsA: number;
  readonly refusalsB: number;
}

export interface ComparisonResult {
  /** `plans`: two setups side by side; `baseline`: a run (B) against its baseline (A). */
  readonly kind: 'plans' | 'baseline';
  readonly a: SideIdentity;
  readonly b: SideIdentity;
  /** What differs between the two setups (scenario fields, seed, engine): the reason B differs. */
  readonly setupDifferences: readonly string[];
  /** Things a reader should know first, e.g. that the two scenarios differ. */
  readonly warnings: readonly string[];
  readonly metrics: readonly MetricComparison[];
  readonly receivers: readonly ReceiverComparison[];
  /** The metrics whose verdict is `regression`: B worse than A by more than the tolerance. */
  readonly regressions: readonly MetricComparison[];
}

export interface CompareOptions {
  /** @defaultValue 'baseline' */
  readonly kind?: 'plans' | 'baseline';
  /** Per-metric tolerances overriding METRICS' defaults. */
  readonly tolerances?: Partial<Record<MetricId, number>>;
}

const classification = (report: ReportV1) => report.figures.classification;

/** The figures compared, in the order tables show them, with their default tolerances. */
export const METRICS: readonly MetricDefinition[] = [
  {
    id: 'deliveredShare',
    label: 'delivered share',
    direction: 'higher-is-better',
    tolerance: 0.01,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => keyShares(report).deliveredShare,
  },
  {
    id: 'bouncedShare',
    label: 'bounced share',
    direction: 'lower-is-better',
    tolerance: 0.01,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => keyShares(report).bouncedShare,
  },
  {
    id: 'expiredShare',
    label: 'expired share',
    direction: 'lower-is-better',
    tolerance: 0.005,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => keyShares(report).expiredShare,
  },
  {
    id: 'inboxShare',
    label: 'inbox share of accepted mail',
    direction: 'higher-is-better',
    tolerance: 0.02,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => keyShares(report).inboxShare,
  },
  // Gmail and Yahoo's lines are 0.1 % (recommended) and 0.3 % (enforced): half a line of slack.
  {
    id: 'complaintRate',
    label: 'complaints per delivered',
    direction: 'lower-is-better',
    tolerance: 0.0005,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) =>
      report.figures.later === undefined
        ? null
        : share(report.figures.later.complaints, report.figures.messages.delivered),
  },
  {
    id: 'macroF1',
    label: 'macro-F1',
    direction: 'higher-is-better',
    tolerance: 0.02,
    toleranceKind: 'absolute',
    format: 'precise',
    read: (report) => classification(report)?.macroF1 ?? null,
  },
  {
    id: 'actionAccuracy',
    label: 'action accuracy',
    direction: 'higher-is-better',
    tolerance: 0.02,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => classification(report)?.actionAccuracy ?? null,
  },
  {
    id: 'validWronglySuppressedShare',
    label: 'valid wrongly suppressed',
    direction: 'lower-is-better',
    tolerance: 0.005,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => classification(report)?.validWronglySuppressedShare ?? null,
  },
  {
    id: 'disguisedRecall',
    label: 'disguised-policy-block recall',
    direction: 'higher-is-better',
    tolerance: 0.02,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => classification(report)?.disguisedRecall ?? null,
  },
  {
    id: 'unknownUserSuppressedShare',
    label: 'gateway unknown users suppressed',
    direction: 'higher-is-better',
    tolerance: 0.02,
    toleranceKind: 'absolute',
    format: 'share',
    read: (report) => classification(report)?.unknownUserSuppressedShare ?? null,
  },
  {
    id: 'invalidKept',
    label: 'invalid addresses kept',
    direction: 'lower-is-better',
    tolerance: 0.1,
    toleranceKind: 'relative',
    format: 'integer',
    read: (report) => classification(report)?.invalidKept ?? null,
  },
  {
    id: 'acceptedPerSecond',
    label: 'accepted per second (run clock)',
    direction: 'higher-is-better',
    tolerance: 0.05,
    toleranceKind: 'relative',
    format: 'precise',
    read: (report) => report.figures.throughput.acceptedPerSecond,
  },
  {
    id: 'runClockHours',
    label: 'run clock (hours)',
    direction: 'informational',
    tolerance: 0,
    toleranceKind: 'absolute',
    format: 'decimal',
    read: runHours,
  },
  {
    id: 'decisions',
    label: 'sender decisions logged',
    direction: 'informational',
    tolerance: 0,
    toleranceKind: 'absolute',
    format: 'integer',
    read: (report) => totalDecisions(report),
  },
];

export function compareReports(a: ReportV1, b: ReportV1, options: CompareOptions = {}): ComparisonResult {
  const kind = options.kind ?? 'baseline';
  const metrics = METRICS.map((metric) =>
    compareMetric(metric, a, b, options.tolerances?.[metric.id] ?? metric.tolerance),
  );
  const setupDifferences = setupDifferencesOf(a, b);
  const warnings: string[] = [];
  if (a.scenario.name !== b.scenario.name)
    warnings.push(
      `the reports ran different scenarios (${a.scenario.name} and ${b.scenario.name}): figures may not be comparable`,
    );
  if (a.mode !== b.mode) warnings.push(`the reports ran in different modes (${a.mode} and ${b.mode})`);
  for (const [side, report] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (report.outcome.status !== 'passed') warnings.push(`${side} did not pass (${report.outcome.status})`);
  }
  return {
    kind,
    a: identityOf(a, kind === 'plans' ? 'plan A' : 'baseline'),
    b: identityOf(b, kind === 'plans' ? 'plan B' : 'run'),
    setupDifferences,
    warnings,
    metrics,
    receivers: compareReceivers(a, b),
    regressions: metrics.filter((metric) => metric.verdict === 'regression'),
  };
}

/** The verdict on one figure: how far B moved from A, and whether that is worse than tolerated. */
export function compareMetric(metric: MetricDefinition, a: ReportV1, b: ReportV1, tolerance: number): MetricComparison {
  const valueA = metric.read(a);
  const valueB = metric.read(b);
  const base = {
    id: metric.id,
    label: metric.label,
    direction: metric.direction,
    format: metric.format,
    a: valueA,
    b: valueB,
    tolerance,
    toleranceKind: metric.toleranceKind,
  };
  if (valueA === null || valueB === null) return { ...base, delta: null, verdict: 'missing' };
  const delta = valueB - valueA;
  if (metric.direction === 'informational') return { ...base, delta, verdict: delta === 0 ? 'same' : 'changed' };
  const worseBy = metric.direction === 'higher-is-better' ? -delta : delta;
  const allowed = metric.toleranceKind === 'absolute' ? tolerance : tolerance * Math.abs(valueA);
  // A hair of float noise (1e-9) is not a change: shares computed two ways must compare equal.
  const verdict: Verdict =
    Math.abs(delta) <= 1e-9
      ? 'same'
      : worseBy < 0
        ? 'better'
        : worseBy > allowed + 1e-9
          ? 'regression'
          : 'within-tolerance';
  return { ...base, delta, verdict };
}

function identityOf(report: ReportV1, label: string): SideIdentity {
  const policy = report.engine.policy === undefined ? '' : ` (${report.engine.policy})`;
  return {
    label,
    scenario: report.scenario.name,
    seed: report.seed,
    mode: report.mode,
    engine: `${report.engine.name} ${report.engine.version}${policy}`,
    outcome: report.outcome.status,
  };
}

function totalDecisions(report: ReportV1): number | null {
  const counts = decisionCounts(report);
  return counts === null ? null : counts.Throttle + counts.Suspend + counts.Resume + counts.Policy;
}

const ACCEPTED = ['delivered-inbox', 'delivered-spam', 'delivered-trap', 'discarded'] as const;

function compareReceivers(a: ReportV1, b: ReportV1): ReceiverComparison[] {
  const rowsA = a.figures.causesByReceiver ?? {};
  const rowsB = b.figures.causesByReceiver ?? {};
  const ids = [...new Set([...Object.keys(rowsA), ...Object.keys(rowsB)])].sort();
  return ids.map((receiver) => {
    const sideOf = (row: Partial<Record<string, number>> | undefined): { inbox: number | null; refusals: number } => {
      const counts = Object.entries(row ?? {});
      const accepted = counts
        .filter(([cause]) => (ACCEPTED as readonly string[]).includes(cause))
        .reduce((sum, [, count]) => sum + (count ?? 0), 0);
      const refusals = counts
        .filter(([cause]) => !(ACCEPTED as readonly string[]).includes(cause))
        .reduce((sum, [, count]) => sum + (count ?? 0), 0);
      return { inbox: share(row?.['delivered-inbox'] ?? 0, accepted), refusals };
    };
    const sideA = sideOf(rowsA[receiver]);
    const sideB = sideOf(rowsB[receiver]);
    return {
      receiver,
      inboxShareA: sideA.inbox,
      inboxShareB: sideB.inbox,
      refusalsA: sideA.refusals,
      refusalsB: sideB.refusals,
    };
  });
}

/** Setup differences at most listed; a scenario rewritten wholesale is summed up, not dumped. */
const SETUP_DIFFERENCES_MAX = 20;

/** The run-identity fields and scenario leaves that differ, as `path: A → B` lines. */
export function setupDifferencesOf(a: ReportV1, b: ReportV1): string[] {
  const lines: string[] = [];
  const note = (path: string, valueA: unknown, valueB: unknown): void => {
    lines.push(`${path}: ${brief(valueA)} → ${brief(valueB)}`);
  };
  if (a.seed !== b.seed) note('seed', a.seed, b.seed);
  if (a.mode !== b.mode) note('mode', a.mode, b.mode);
  // Field by field: a policy, a capability or a timeline event one engine could not carry out.
  diffLeaves('engine', a.engine, b.engine, note);
  diffLeaves('scenario', a.scenario, b.scenario, note);
  return lines.length > SETUP_DIFFERENCES_MAX
    ? [...lines.slice(0, SETUP_DIFFERENCES_MAX), `… and ${lines.length - SETUP_DIFFERENCES_MAX} more`]
    : lines;
}

function diffLeaves(path: string, a: unknown, b: unknown, note: (path: string, a: unknown, b: unknown) => void): void {
  const isPlain = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isPlain(a) && isPlain(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diffLeaves(`${path}.${key}`, a[key], b[key], note);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) note(path, a, b);
}

function brief(value: unknown): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
