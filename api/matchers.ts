/**
 * Custom vitest matchers on a mailbench report, read through the metric catalogue
 * (reports/metrics.ts), so `toHaveDeferralRateBelow('gmail', 0.05)` checks exactly what a
 * scenario's `expect: [{ metric: deferralRate, provider: gmail, operator: '<', value: 0.05 }]`
 * checks. A failure says the metric, the receiver, the value found, the bound, and the seed and
 * scenario that replay the run. A figure the report does not have (no mail to that receiver)
 * is an error, not a pass, with or without `.not`.
 *
 * Plain functions of (report, …): vitest is needed only to install them (./vitest.ts).
 */
import { isMetricName, METRICS, readMetric, receiversOf } from '../reports/index.ts';
import type { MetricName, ReportV1 } from '../reports/index.ts';
import { THRESHOLD_OPERATORS, thresholdHolds } from '../scenarios/index.ts';
import type { ThresholdOperator } from '../scenarios/index.ts';

/** The matchers' declared signatures; `R` is what vitest's assertion chain returns. */
export interface MailbenchMatchers<R = unknown> {
  /** The metric, for the whole run or one receiver, compares to the value: `toHaveMetric('macroF1', '>=', 0.9)`. */
  toHaveMetric(metric: MetricName, operator: ThresholdOperator, value: number, receiver?: string): R;
  /** Deferred attempts ÷ attempts at that receiver is below the bound. */
  toHaveDeferralRateBelow(receiver: string, bound: number): R;
  /** Delivered ÷ injected (per receiver: ÷ recipients that ended there) is above the bound. */
  toHaveDeliveredShareAbove(bound: number, receiver?: string): R;
  /** Bounced ÷ (delivered + bounced) is below the bound. */
  toHaveBounceRateBelow(bound: number, receiver?: string): R;
  /** Accepted mail placed in the inbox (the receivers' truth) is above the bound. */
  toHaveInboxPlacementAbove(bound: number, receiver?: string): R;
  /** Valid addresses that ended suppressed ÷ valid addresses refused at least once is below the bound. */
  toHaveWronglySuppressedBelow(bound: number): R;
  /** The run passed: it finished and met every check and every expectation of its scenario. */
  toMeetExpectations(): R;
}

/** What vitest hands a matcher as `this`: only whether it runs under `.not`. */
interface MatcherContext {
  readonly isNot: boolean;
}

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

type MatcherFunctions = {
  [K in keyof MailbenchMatchers]: (
    this: MatcherContext,
    received: unknown,
    ...args: Parameters<MailbenchMatchers[K]>
  ) => MatcherResult;
};

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/** The received value as a report, or a TypeError saying what it was instead. */
function asReport(received: unknown, matcher: string): ReportV1 {
  const candidate = received as Partial<ReportV1> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    candidate.schemaVersion !== 1 ||
    typeof candidate.figures !== 'object'
  ) {
    throw new TypeError(
      `${matcher}: expected a mailbench report (schemaVersion 1, what run() returns), got ${received === null ? 'null' : typeof received}`,
    );
  }
  return candidate as ReportV1;
}

function checkBound(bound: unknown, matcher: string): asserts bound is number {
  if (typeof bound !== 'number' || !Number.isFinite(bound))
    throw new TypeError(`${matcher}: the bound must be a finite number (got ${JSON.stringify(bound)})`);
}

/** `deferralRate for gmail` / `macroF1`. */
function subject(metric: MetricName, receiver: string | undefined): string {
  return receiver === undefined ? metric : `${metric} for ${receiver}`;
}

function replayHint(report: ReportV1): string {
  return `(scenario ${report.scenario.name}, seed ${report.seed}, mode ${report.mode})`;
}

/** The shared body of every threshold matcher. */
function threshold(
  context: MatcherContext,
  matcher: string,
  received: unknown,
  metric: MetricName,
  operator: ThresholdOperator,
  bound: number,
  receiver: string | undefined,
): MatcherResult {
  const report = asReport(received, matcher);
  if (!isMetricName(metric))
    throw new TypeError(
      `${matcher}: unknown metric ${JSON.stringify(metric)} (known: ${Object.keys(METRICS).join(', ')})`,
    );
  if (!THRESHOLD_OPERATORS.includes(operator))
    throw new TypeError(
      `${matcher}: the operator must be one of ${THRESHOLD_OPERATORS.join(' ')} (got ${JSON.stringify(operator)})`,
    );
  checkBound(bound, matcher);
  if (receiver !== undefined && typeof receiver !== 'string')
    throw new TypeError(
      `${matcher}: the receiver must be a receiver id such as "gmail" (got ${JSON.stringify(receiver)})`,
    );
  const value = readMetric(report, metric, receiver);
  if (value === undefined) {
    const met = receiver === undefined ? '' : `; receivers in the report: ${receiversOf(report).join(', ') || 'none'}`;
    throw new Error(`${matcher}: the report has no ${subject(metric, receiver)}${met} ${replayHint(report)}`);
  }
  const pass = thresholdHolds(value, operator, bound);
  return {
    pass,
    message: () =>
      `expected ${subject(metric, receiver)} ${context.isNot ? 'not ' : ''}${operator} ${formatValue(bound)}, got ${formatValue(value)} ${replayHint(report)}`,
  };
}

function describeFailure(report: ReportV1): string {
  const outcome = report.outcome;
  switch (outcome.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return `failed:\n${outcome.failedChecks.map((check) => `  - ${check}`).join('\n')}`;
    case 'interrupted':
      return `was interrupted: ${outcome.reason}`;
    case 'errored':
      return `errored: ${outcome.error.code} ${outcome.error.message}`;
  }
}

export const mailbenchMatchers: MatcherFunctions = {
  toHaveMetric(received, metric, operator, value, receiver) {
    return threshold(this, 'toHaveMetric', received, metric, operator, value, receiver);
  },
  toHaveDeferralRateBelow(received, receiver, bound) {
    if (typeof receiver !== 'string')
      throw new TypeError(
        `toHaveDeferralRateBelow: the first argument is the receiver id, such as "gmail" (got ${JSON.stringify(receiver)})`,
      );
    return threshold(this, 'toHaveDeferralRateBelow', received, 'deferralRate', '<', bound, receiver);
  },
  toHaveDeliveredShareAbove(received, bound, receiver) {
    return threshold(this, 'toHaveDeliveredShareAbove', received, 'deliveredShare', '>', bound, receiver);
  },
  toHaveBounceRateBelow(received, bound, receiver) {
    return threshold(this, 'toHaveBounceRateBelow', received, 'bounceRate', '<', bound, receiver);
  },
  toHaveInboxPlacementAbove(received, bound, receiver) {
    return threshold(this, 'toHaveInboxPlacementAbove', received, 'inboxPlacement', '>', bound, receiver);
  },
  toHaveWronglySuppressedBelow(received, bound) {
    return threshold(
      this,
      'toHaveWronglySuppressedBelow',
      received,
      'validWronglySuppressedShare',
      '<',
      bound,
      undefined,
    );
  },
  toMeetExpectations(received) {
    const report = asReport(received, 'toMeetExpectations');
    return {
      pass: report.outcome.status === 'passed',
      message: () =>
        this.isNot
          ? `expected the run not to meet its expectations, but it passed ${replayHint(report)}`
          : `expected the run to meet its expectations, but it ${describeFailure(report)}\n${replayHint(report)}`,
    };
  },
};
