/**
 * What every renderer says about a report, computed once from the saved JSON: the outcome in
 * words, the shares the key-figures tables show, the non-empty confusion cells and whether
 * each is right. Markdown, HTML and compare all read these, so they can never disagree on a
 * figure. Pure functions of a ReportV1 (DESIGN rule 5).
 */
import { formatDuration } from '../kernel/index.ts';
import type { Cause, Class } from '../kernel/index.ts';
import { formatDecimal, formatInteger, formatOffset, formatShare } from './format.ts';
import type { ReportV1 } from './schema.ts';
import type { SeriesDecisionKind } from './series.ts';

/** Causes a sender sees as one class, `delivered` (TAXONOMY.md "Classes"). */
const ACCEPTED_CAUSES: ReadonlySet<string> = new Set<Cause>([
  'delivered-inbox',
  'delivered-spam',
  'delivered-trap',
  'discarded',
]);

export function describeOutcome(report: ReportV1): string {
  const outcome = report.outcome;
  switch (outcome.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return `failed: ${outcome.failedChecks.join('; ')}`;
    case 'interrupted':
      return `interrupted: ${outcome.reason}`;
    case 'errored':
      return `errored: ${outcome.error.code} ${outcome.error.message}`;
  }
}

/** `reference (policy reference)`: the engine and the policy it ran, when the report says. */
export function describeEngine(report: ReportV1): string {
  const { name, version, policy } = report.engine;
  return policy === undefined ? `${name} ${version}` : `${name} ${version}, policy ${policy}`;
}

/** Each timeline event the engine could not carry out, in words: `pause at +1 d 9 h for 6 h: why`. */
export function describeNotCarriedOut(report: ReportV1): string[] {
  return (report.engine.notCarriedOut ?? []).map(
    (event) => `${event.event} at ${formatOffset(event.atMs)} for ${formatDuration(event.forMs)}: ${event.why}`,
  );
}

/**
 * Who judged the messages' authentication, in words; in sim mode with how far mailauth checked
 * the receivers' verifier. Reports from before 0.5 say nothing: their receivers judged alone.
 */
export function describeAuthentication(report: ReportV1): string {
  const authentication = report.figures.authentication;
  if (authentication === undefined) return "the receivers' own verifier";
  if (authentication.judgedBy === 'mailauth') return 'mailauth, against the sim DNS';
  const audit = authentication.auditedByMailauth;
  if (audit === undefined) return "the receivers' own verifier";
  const agreement =
    audit.agreed === audit.messages
      ? `agreed on all ${formatInteger(audit.messages)}`
      : `agreed on ${formatInteger(audit.agreed)} of ${formatInteger(audit.messages)}`;
  return `the receivers' own verifier; mailauth judged a sample of the messages too and ${agreement}`;
}

/** Each disagreement between mailauth and the receivers' verifier, as the report keeps it. */
export function authenticationDisagreements(report: ReportV1): readonly string[] {
  return report.figures.authentication?.auditedByMailauth?.disagreements ?? [];
}

/** A class is right for a cause when it names it, or says `delivered` for any accepted cause. */
export function isRightClass(cause: string, cls: string): boolean {
  return cls === cause || (cls === 'delivered' && ACCEPTED_CAUSES.has(cause));
}

export interface ConfusionCell {
  readonly cause: Cause;
  readonly cls: Class;
  readonly count: number;
  readonly isRight: boolean;
}

/** The non-empty cells, largest first (ties by cause, then class, so the order is stable). */
export function confusionCells(report: ReportV1): ConfusionCell[] {
  const cells: ConfusionCell[] = [];
  for (const [cause, row] of Object.entries(report.figures.confusion) as [Cause, Partial<Record<Class, number>>][]) {
    for (const [cls, count] of Object.entries(row) as [Class, number | undefined][]) {
      if (count !== undefined && count > 0) cells.push({ cause, cls, count, isRight: isRightClass(cause, cls) });
    }
  }
  return cells.sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause) || a.cls.localeCompare(b.cls));
}

/** Rows (causes) and columns (classes) that have at least one paired attempt, in schema order. */
export function confusionAxes(report: ReportV1): { causes: Cause[]; classes: Class[] } {
  const cells = confusionCells(report);
  const causes = (Object.keys(report.figures.confusion) as Cause[]).filter((cause) =>
    cells.some((cell) => cell.cause === cause),
  );
  // The saved `classes` record lists every class in the taxonomy's order; keep that order.
  const classes = (Object.keys(report.figures.classes) as Class[]).filter((cls) =>
    cells.some((cell) => cell.cls === cls),
  );
  return { causes, classes };
}

/** The headline shares of a run. Shares are in [0, 1]; null when there is nothing to divide by. */
export interface KeyShares {
  readonly deliveredShare: number | null;
  readonly bouncedShare: number | null;
  readonly expiredShare: number | null;
  /** Accepted mail the receivers put in the inbox (truth), of all accepted mail. */
  readonly inboxShare: number | null;
  /** Paired attempts whose class was right, of all paired attempts. */
  readonly classAccuracy: number | null;
}

export function keyShares(report: ReportV1): KeyShares {
  const { messages, causes } = report.figures;
  const accepted = causes['delivered-inbox'] + causes['delivered-spam'] + causes['delivered-trap'] + causes.discarded;
  const cells = confusionCells(report);
  const paired = cells.reduce((sum, cell) => sum + cell.count, 0);
  const right = cells.reduce((sum, cell) => sum + (cell.isRight ? cell.count : 0), 0);
  return {
    deliveredShare: share(messages.delivered, messages.injected),
    bouncedShare: share(messages.bounced, messages.injected),
    expiredShare: share(messages.expired, messages.injected),
    inboxShare: share(causes['delivered-inbox'], accepted),
    classAccuracy: share(right, paired),
  };
}

/** The messages table both the HTML and the Markdown report open with: counts, each with its share (plain text). */
export function messageFigureRows(report: ReportV1): [name: string, value: string][] {
  const { messages } = report.figures;
  const shares = keyShares(report);
  return [
    ['injected', formatInteger(messages.injected)],
    ['delivered', `${formatInteger(messages.delivered)} (${formatShare(shares.deliveredShare)})`],
    ['bounced', `${formatInteger(messages.bounced)} (${formatShare(shares.bouncedShare)})`],
    ['expired', `${formatInteger(messages.expired)} (${formatShare(shares.expiredShare)})`],
    ['in flight at the end', formatInteger(messages.inFlight)],
    ['inbox share of accepted mail (truth)', formatShare(shares.inboxShare)],
  ];
}

/**
 * Decisions the sender logged, by kind, all of them (the per-bucket counts include those past
 * the list's limit); null when the report has no series (saved before 0.3).
 */
export function decisionCounts(report: ReportV1): Record<SeriesDecisionKind, number> | null {
  if (report.series === undefined) return null;
  const perBucket = report.series.decisionsPerBucket;
  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  return {
    Throttle: sum(perBucket.Throttle),
    Suspend: sum(perBucket.Suspend),
    Resume: sum(perBucket.Resume),
    Policy: sum(perBucket.Policy),
  };
}

/** Run clock length in hours. */
export function runHours(report: ReportV1): number {
  return (report.clock.endMs - report.clock.startMs) / 3_600_000;
}

export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export const CAMPAIGN_COLUMNS = [
  'campaign',
  'tenant',
  'injected',
  'delivered',
  'bounced',
  'expired',
  'hours to half',
  'hours to finish',
] as const;

/** One row per campaign, in the order the run met them; empty for a report without campaigns. */
export function campaignRows(report: ReportV1): string[][] {
  const hours = (value: number | null): string => (value === null ? 'not finished' : formatDecimal(value));
  return (report.figures.campaigns ?? []).map((campaign) => [
    campaign.campaign,
    campaign.tenant ?? '—',
    formatInteger(campaign.injected),
    `${formatInteger(campaign.delivered)} (${formatShare(share(campaign.delivered, campaign.injected))})`,
    formatInteger(campaign.bounced),
    formatInteger(campaign.expired),
    hours(campaign.hoursToHalf),
    hours(campaign.hoursToFinish),
  ]);
}
