/**
 * The named metrics of a report: one catalogue that scenario expectations, the vitest
 * matchers and the CLI all read, so a threshold means the same thing wherever it is written.
 * Every metric is derived from the saved report JSON alone (DESIGN rule 5), so a report saved
 * years ago can still be checked against a new expectation.
 *
 * A metric is either a figure of the whole run or, when `perReceiver`, also readable for one
 * receiver (a provider or gateway id such as `gmail`, `orange`, `mimecast`). `read` returns
 * undefined when the report has no such figure: no mail to that receiver, nothing to divide
 * by, or a section the report's version did not carry yet.
 *
 * Sources: whole-run counts come from `figures.messages`; per-receiver outcomes (attempts,
 * deliveries, deferrals, bounces, expiries) from the series (`series.receivers`, since 0.3);
 * placement and blocks from the receivers' truth (`figures.causes`, `figures.causesByReceiver`).
 */
import { MailbenchError } from '../kernel/index.ts';
import type { Cause } from '../kernel/index.ts';
import type { ReportV1 } from './schema.ts';

export type MetricName =
  | 'injected'
  | 'attempts'
  | 'delivered'
  | 'bounced'
  | 'expired'
  | 'inFlight'
  | 'deliveredShare'
  | 'bouncedShare'
  | 'expiredShare'
  | 'bounceRate'
  | 'deferralRate'
  | 'blockRate'
  | 'inboxPlacement'
  | 'spamFolderShare'
  | 'trapHits'
  | 'complaints'
  | 'complaintRate'
  | 'macroF1'
  | 'actionAccuracy'
  | 'validWronglySuppressed'
  | 'validWronglySuppressedShare'
  | 'invalidKept'
  | 'disguisedRecall'
  | 'unknownUserSuppressedShare'
  | 'acceptedPerSecond'
  | 'runClockHours'
  | 'gridPromotions'
  | 'gridDemotions';

/** `share`: in [0, 1]; `count`: recipients or attempts; `score`: an F1 in [0, 1]. */
export type MetricUnit = 'share' | 'count' | 'score' | 'per-second' | 'hours';

export interface MetricDefinition {
  readonly description: string;
  /** True when the metric can be read for one receiver as well as for the whole run. */
  readonly perReceiver: boolean;
  readonly unit: MetricUnit;
  /** The figure; `receiver` only for per-receiver metrics. Undefined: the report has no such figure. */
  read(report: ReportV1, receiver?: string): number | undefined;
}

/** Asking for a metric the catalogue does not have, or per receiver when it is a whole-run figure. */
export class MetricError extends MailbenchError {
  constructor(message: string) {
    super('E_METRIC', message);
    this.name = 'MetricError';
  }
}

/** Truth causes that mean the receiver accepted the message (a sender sees them all as `delivered`). */
const ACCEPTED_CAUSES: readonly Cause[] = ['delivered-inbox', 'delivered-spam', 'delivered-trap', 'discarded'];
/** Truth causes that refuse the sender (who or what sends), not the address: TAXONOMY.md's blocks. */
const BLOCK_CAUSES: readonly Cause[] = [
  'reputation-block',
  'blocklisted',
  'auth-failure',
  'content-spam',
  'policy-block',
  'disguised-policy-block',
];

type Outcomes = { attempted: number; delivered: number; deferred: number; bounced: number; expired: number };

/** The receiver's attempts and outcomes summed over the series, or the whole run's; undefined without a series or that receiver. */
function outcomesOf(report: ReportV1, receiver: string | undefined): Outcomes | undefined {
  const receivers = report.series?.receivers;
  if (receivers === undefined) return undefined;
  const rows =
    receiver === undefined
      ? Object.values(receivers)
      : Object.hasOwn(receivers, receiver)
        ? [receivers[receiver]!]
        : [];
  if (rows.length === 0) return undefined;
  const total: Outcomes = { attempted: 0, delivered: 0, deferred: 0, bounced: 0, expired: 0 };
  for (const row of rows) {
    for (const key of ['attempted', 'delivered', 'deferred', 'bounced', 'expired'] as const)
      total[key] += sum(row[key]);
  }
  return total;
}

/** The receivers' truth records by cause: the whole run's, or one receiver's; undefined when that receiver never answered. */
function causesOf(report: ReportV1, receiver: string | undefined): Partial<Record<Cause, number>> | undefined {
  if (receiver === undefined) return report.figures.causes;
  const byReceiver = report.figures.causesByReceiver;
  return byReceiver !== undefined && Object.hasOwn(byReceiver, receiver) ? byReceiver[receiver] : undefined;
}

function countOf(causes: Partial<Record<Cause, number>>, wanted: readonly Cause[]): number {
  return wanted.reduce((total, cause) => total + (causes[cause] ?? 0), 0);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function ratio(part: number, whole: number): number | undefined {
  return whole > 0 ? part / whole : undefined;
}

function nullable(value: number | null | undefined): number | undefined {
  return value ?? undefined;
}

/**
 * Recipients that ended at this receiver (delivered, bounced or expired): the per-receiver
 * denominator of the outcome shares, since the series counts no injections per receiver.
 */
function finalAt(outcomes: Outcomes): number {
  return outcomes.delivered + outcomes.bounced + outcomes.expired;
}

/** An outcome share: of injected for the whole run, of the recipients final there for a receiver. */
function outcomeShare(key: 'delivered' | 'bounced' | 'expired'): MetricDefinition['read'] {
  return (report, receiver) => {
    if (receiver === undefined) return ratio(report.figures.messages[key], report.figures.messages.injected);
    const outcomes = outcomesOf(report, receiver);
    return outcomes === undefined ? undefined : ratio(outcomes[key], finalAt(outcomes));
  };
}

/** An outcome count: from the messages for the whole run, from the series for a receiver. */
function outcomeCount(key: 'delivered' | 'bounced' | 'expired'): MetricDefinition['read'] {
  return (report, receiver) =>
    receiver === undefined ? report.figures.messages[key] : outcomesOf(report, receiver)?.[key];
}

/** A share of the accepted mail (truth) that went to these causes. */
function placementShare(wanted: readonly Cause[]): MetricDefinition['read'] {
  return (report, receiver) => {
    const causes = causesOf(report, receiver);
    return causes === undefined ? undefined : ratio(countOf(causes, wanted), countOf(causes, ACCEPTED_CAUSES));
  };
}

const classification = (report: ReportV1) => report.figures.classification;

export const METRICS: Readonly<Record<MetricName, MetricDefinition>> = {
  injected: {
    description: 'recipients handed to the sender',
    perReceiver: false,
    unit: 'count',
    read: (report) => report.figures.messages.injected,
  },
  attempts: {
    description: 'recipient attempts the sender reported (deliveries, deferrals, bounces)',
    perReceiver: true,
    unit: 'count',
    read: (report, receiver) =>
      receiver === undefined ? report.figures.attempts.total : outcomesOf(report, receiver)?.attempted,
  },
  delivered: {
    description: 'recipients delivered (accepted with a 2xx)',
    perReceiver: true,
    unit: 'count',
    read: outcomeCount('delivered'),
  },
  bounced: {
    description: 'recipients bounced (refused with a 5xx, or failed by the sender without an attempt)',
    perReceiver: true,
    unit: 'count',
    read: outcomeCount('bounced'),
  },
  expired: {
    description: 'recipients the sender gave up on when their time in the queue ran out',
    perReceiver: true,
    unit: 'count',
    read: outcomeCount('expired'),
  },
  inFlight: {
    description: 'recipients neither delivered, bounced nor expired when the run ended',
    perReceiver: false,
    unit: 'count',
    read: (report) => report.figures.messages.inFlight,
  },
  deliveredShare: {
    description: 'delivered ÷ injected (per receiver: ÷ recipients that ended there)',
    perReceiver: true,
    unit: 'share',
    read: outcomeShare('delivered'),
  },
  bouncedShare: {
    description: 'bounced ÷ injected (per receiver: ÷ recipients that ended there)',
    perReceiver: true,
    unit: 'share',
    read: outcomeShare('bounced'),
  },
  expiredShare: {
    description: 'expired ÷ injected (per receiver: ÷ recipients that ended there)',
    perReceiver: true,
    unit: 'share',
    read: outcomeShare('expired'),
  },
  bounceRate: {
    description:
      'bounced ÷ (delivered + bounced): the bounce rate as senders quote it, expired and in-flight mail left out',
    perReceiver: true,
    unit: 'share',
    read: (report, receiver) => {
      const counts = receiver === undefined ? report.figures.messages : outcomesOf(report, receiver);
      return counts === undefined ? undefined : ratio(counts.bounced, counts.delivered + counts.bounced);
    },
  },
  deferralRate: {
    description: 'deferred attempts (4xx, network errors) ÷ attempts',
    perReceiver: true,
    unit: 'share',
    read: (report, receiver) => {
      const outcomes = outcomesOf(report, receiver);
      return outcomes === undefined ? undefined : ratio(outcomes.deferred, outcomes.attempted);
    },
  },
  blockRate: {
    description:
      'receiver answers (truth) that refused the sender rather than the address (reputation, blocklist, auth, content, policy, disguised policy) ÷ all answers',
    perReceiver: true,
    unit: 'share',
    read: (report, receiver) => {
      const causes = causesOf(report, receiver);
      return causes === undefined ? undefined : ratio(countOf(causes, BLOCK_CAUSES), sum(Object.values(causes)));
    },
  },
  inboxPlacement: {
    description: 'accepted mail (truth) placed in the inbox ÷ all accepted mail',
    perReceiver: true,
    unit: 'share',
    read: placementShare(['delivered-inbox']),
  },
  spamFolderShare: {
    description: 'accepted mail (truth) placed in the spam folder ÷ all accepted mail',
    perReceiver: true,
    unit: 'share',
    read: placementShare(['delivered-spam']),
  },
  trapHits: {
    description: 'messages a spam trap accepted (truth; the sender never hears of them)',
    perReceiver: true,
    unit: 'count',
    read: (report, receiver) => {
      const causes = causesOf(report, receiver);
      return causes === undefined ? undefined : (causes['delivered-trap'] ?? 0);
    },
  },
  complaints: {
    description: 'complaints the receivers reported or counted (feedback loops)',
    perReceiver: false,
    unit: 'count',
    read: (report) => report.figures.later?.complaints,
  },
  complaintRate: {
    description: 'complaints ÷ delivered (Gmail and Yahoo draw the line at 0.001 recommended, 0.003 enforced)',
    perReceiver: false,
    unit: 'share',
    read: (report) => {
      const later = report.figures.later;
      return later === undefined ? undefined : ratio(later.complaints, report.figures.messages.delivered);
    },
  },
  macroF1: {
    description: "mean F1 of the sender's classification over the refusal classes met",
    perReceiver: false,
    unit: 'score',
    read: (report) => classification(report)?.macroF1,
  },
  actionAccuracy: {
    description: "refused attempts whose action was the cause's right action ÷ refused attempts",
    perReceiver: false,
    unit: 'share',
    read: (report) => nullable(classification(report)?.actionAccuracy),
  },
  validWronglySuppressed: {
    description: 'valid addresses that ended suppressed',
    perReceiver: false,
    unit: 'count',
    read: (report) => classification(report)?.validWronglySuppressed,
  },
  validWronglySuppressedShare: {
    description: 'valid addresses that ended suppressed ÷ valid addresses refused at least once',
    perReceiver: false,
    unit: 'share',
    read: (report) => classification(report)?.validWronglySuppressedShare,
  },
  invalidKept: {
    description: 'addresses mailed again after an unknown-user or bad-domain answer',
    perReceiver: false,
    unit: 'count',
    read: (report) => classification(report)?.invalidKept,
  },
  disguisedRecall: {
    description: 'disguised-policy-block answers the sender classified as such ÷ all of them',
    perReceiver: false,
    unit: 'share',
    read: (report) => nullable(classification(report)?.disguisedRecall),
  },
  unknownUserSuppressedShare: {
    description: 'addresses a B2B gateway truly did not know that ended suppressed ÷ all of them',
    perReceiver: false,
    unit: 'share',
    read: (report) => nullable(classification(report)?.unknownUserSuppressedShare),
  },
  acceptedPerSecond: {
    description: "recipients accepted per second of the run's clock",
    perReceiver: false,
    unit: 'per-second',
    read: (report) => report.figures.throughput.acceptedPerSecond,
  },
  runClockHours: {
    description: "the run's length on its own clock, in hours (simulated in sim mode)",
    perReceiver: false,
    unit: 'hours',
    read: (report) => (report.clock.endMs - report.clock.startMs) / 3_600_000,
  },
  gridPromotions: {
    description: 'tenants the sender moved onto the shared grid (Policy decisions grid.promote…)',
    perReceiver: false,
    unit: 'count',
    read: (report) => policyDecisions(report, 'grid.promote'),
  },
  gridDemotions: {
    description: 'tenants the sender moved off the grid back to their dedicated IPs (grid.demote…)',
    perReceiver: false,
    unit: 'count',
    read: (report) => policyDecisions(report, 'grid.demote'),
  },
};

/** Policy decisions whose rule starts with `prefix`; undefined when the report has no decision log or dropped some of it. */
function policyDecisions(report: ReportV1, prefix: string): number | undefined {
  const series = report.series;
  if (series === undefined || series.decisionsDropped > 0) return undefined;
  return series.decisions.filter((decision) => decision.kind === 'Policy' && decision.rule.startsWith(prefix)).length;
}

export const METRIC_NAMES: readonly MetricName[] = Object.keys(METRICS) as MetricName[];

export function isMetricName(name: unknown): name is MetricName {
  return typeof name === 'string' && Object.hasOwn(METRICS, name);
}

/**
 * The metric's value in the report, for one receiver when given. Undefined: the report has no
 * such figure (e.g. no mail to that receiver). Throws a MetricError for an unknown metric, or a
 * receiver given for a whole-run metric: those are mistakes in the question, not the report.
 */
export function readMetric(report: ReportV1, metric: MetricName, receiver?: string): number | undefined {
  if (!isMetricName(metric))
    throw new MetricError(`unknown metric ${JSON.stringify(metric)} (known: ${METRIC_NAMES.join(', ')})`);
  const definition = METRICS[metric];
  if (receiver !== undefined && !definition.perReceiver)
    throw new MetricError(
      `${metric} is a figure of the whole run, not per receiver (asked for ${JSON.stringify(receiver)})`,
    );
  return definition.read(report, receiver);
}

/**
 * The metric's value, for comparing two reports in a test (`metricValue(a, 'attempts') <
 * metricValue(b, 'attempts')`): as `readMetric`, but a figure the report does not have is a
 * MetricError naming the metric and the receiver, not an undefined that compares as false.
 */
export function metricValue(report: ReportV1, metric: MetricName, receiver?: string): number {
  const value = readMetric(report, metric, receiver);
  if (value === undefined)
    throw new MetricError(
      `the report has no ${metric}${receiver === undefined ? '' : ` for ${receiver}`} (receivers with figures: ${receiversOf(report).join(', ') || 'none'})`,
    );
  return value;
}

/** The receivers a report has figures for (series and truth), sorted: what `receiver` may name. */
export function receiversOf(report: ReportV1): string[] {
  return [
    ...new Set([...Object.keys(report.series?.receivers ?? {}), ...Object.keys(report.figures.causesByReceiver ?? {})]),
  ].sort();
}
