/**
 * The metric catalogue read two ways: on a hand-built report whose every figure was worked out
 * on paper, and on a real sim run, where the metrics must agree with the report's own figures
 * and with each other (per-receiver counts add up to the whole run's).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { METRICS, METRIC_NAMES, MetricError, readMetric, receiversOf } from '../../../reports/metrics.ts';
import type { MetricName } from '../../../reports/metrics.ts';
import type { ReportV1 } from '../../../reports/schema.ts';
import { handBuiltReport } from '../api/_support/hand-built-report.ts';
import { smallRunReport } from './_support/small-run.ts';

describe('on a hand-built report', () => {
  const report = handBuiltReport();

  test.each<[MetricName, number | undefined]>([
    ['injected', 130],
    ['attempts', 150],
    ['delivered', 100],
    ['bounced', 15],
    ['expired', 5],
    ['inFlight', 10],
    ['deliveredShare', 100 / 130],
    ['bouncedShare', 15 / 130],
    ['expiredShare', 5 / 130],
    ['bounceRate', 15 / 115],
    ['deferralRate', 35 / 150],
    ['blockRate', 25 / 150],
    ['inboxPlacement', 70 / 100],
    ['spamFolderShare', 25 / 100],
    ['trapHits', 1],
    ['complaints', 1],
    ['complaintRate', 1 / 100],
    ['macroF1', 0.8],
    ['actionAccuracy', 0.9],
    ['validWronglySuppressed', 2],
    ['validWronglySuppressedShare', 0.04],
    ['invalidKept', 3],
    ['disguisedRecall', undefined],
    ['unknownUserSuppressedShare', undefined],
    ['acceptedPerSecond', 0.5],
    ['runClockHours', 36],
  ])('the whole run: %s is %s', (metric, expected) => {
    if (expected === undefined) expect(readMetric(report, metric)).toBeUndefined();
    else expect(readMetric(report, metric)).toBeCloseTo(expected, 12);
  });

  test.each<[MetricName, number, number]>([
    ['attempts', 100, 50],
    ['delivered', 80, 20],
    ['bounced', 10, 5],
    ['expired', 0, 5],
    ['deliveredShare', 80 / 90, 20 / 30],
    ['bouncedShare', 10 / 90, 5 / 30],
    ['expiredShare', 0, 5 / 30],
    ['bounceRate', 10 / 90, 5 / 25],
    ['deferralRate', 10 / 100, 25 / 50],
    ['blockRate', 0, 25 / 50],
    ['inboxPlacement', 60 / 80, 10 / 20],
    ['spamFolderShare', 15 / 80, 10 / 20],
    ['trapHits', 1, 0],
  ])('per receiver: %s is %s at gmail and %s at orange', (metric, gmail, orange) => {
    expect(readMetric(report, metric, 'gmail')).toBeCloseTo(gmail, 12);
    expect(readMetric(report, metric, 'orange')).toBeCloseTo(orange, 12);
  });

  test('the catalogue covers every metric named, each with a description of one line', () => {
    expect(METRIC_NAMES).toEqual(Object.keys(METRICS));
    for (const name of METRIC_NAMES) expect(METRICS[name].description).toMatch(/^[^\n]{10,200}$/);
  });

  test('a receiver the report never met has no figures: undefined, not 0', () => {
    for (const name of METRIC_NAMES.filter((metric) => METRICS[metric].perReceiver))
      expect(readMetric(report, name, 'yahoo')).toBeUndefined();
    expect(receiversOf(report)).toEqual(['gmail', 'orange']);
  });

  test('a report saved before the series (0.3) has no deferral rate and no per-receiver outcomes, but still its truth figures', () => {
    const { series: _series, ...old } = report;
    const before: ReportV1 = old;
    expect(readMetric(before, 'deferralRate')).toBeUndefined();
    expect(readMetric(before, 'deliveredShare', 'gmail')).toBeUndefined();
    expect(readMetric(before, 'deliveredShare')).toBeCloseTo(100 / 130, 12);
    expect(readMetric(before, 'inboxPlacement', 'orange')).toBe(0.5);
  });

  test('nothing to divide by is undefined: a run with nothing injected has no delivered share', () => {
    const empty = structuredClone(report);
    const emptied: ReportV1 = {
      ...empty,
      figures: { ...empty.figures, messages: { injected: 0, delivered: 0, bounced: 0, expired: 0, inFlight: 0 } },
    };
    expect(readMetric(emptied, 'deliveredShare')).toBeUndefined();
    expect(readMetric(emptied, 'complaintRate')).toBeUndefined();
  });

  test('a whole-run metric asked per receiver, or an unknown metric, is a MetricError that says so', () => {
    expect(() => readMetric(report, 'macroF1', 'gmail')).toThrow(MetricError);
    expect(() => readMetric(report, 'macroF1', 'gmail')).toThrow(
      'macroF1 is a figure of the whole run, not per receiver (asked for "gmail")',
    );
    expect(() => readMetric(report, 'deferalRate' as MetricName)).toThrow(
      /unknown metric "deferalRate" \(known: injected, attempts, .*deferralRate/,
    );
  });
});

describe('on a real sim run (b2b-bogus-bounces, 600 recipients)', () => {
  let report: ReportV1;
  beforeAll(async () => {
    report = await smallRunReport();
  });

  test('the whole-run metrics are the report figures they name', () => {
    const { messages, attempts, classification } = report.figures;
    expect(readMetric(report, 'injected')).toBe(messages.injected);
    expect(readMetric(report, 'delivered')).toBe(messages.delivered);
    expect(readMetric(report, 'deliveredShare')).toBe(messages.delivered / messages.injected);
    expect(readMetric(report, 'attempts')).toBe(attempts.total);
    expect(readMetric(report, 'macroF1')).toBe(classification?.macroF1);
    expect(readMetric(report, 'disguisedRecall')).toBe(classification?.disguisedRecall ?? undefined);
  });

  test('per-receiver counts add up to the whole run, and the deferral rate is their weighted mean', () => {
    const receivers = Object.keys(report.series?.receivers ?? {});
    expect(receivers.length).toBeGreaterThan(1);
    const total = (metric: MetricName): number =>
      receivers.reduce((sum, receiver) => sum + (readMetric(report, metric, receiver) ?? 0), 0);
    for (const metric of ['attempts', 'delivered', 'bounced', 'expired', 'trapHits'] as const)
      expect(total(metric), metric).toBe(readMetric(report, metric));
    const deferred = receivers.reduce(
      (sum, receiver) =>
        sum + (readMetric(report, 'deferralRate', receiver) ?? 0) * (readMetric(report, 'attempts', receiver) ?? 0),
      0,
    );
    expect(readMetric(report, 'deferralRate')).toBeCloseTo(deferred / report.figures.attempts.total, 12);
  });

  test('every share is in [0, 1] for the run and for every receiver it met', () => {
    const shares = METRIC_NAMES.filter(
      (metric) => METRICS[metric].unit === 'share' || METRICS[metric].unit === 'score',
    );
    for (const receiver of [undefined, ...receiversOf(report)]) {
      for (const metric of shares.filter((name) => receiver === undefined || METRICS[name].perReceiver)) {
        const value = readMetric(report, metric, receiver);
        if (value !== undefined) expect(value, `${metric} ${receiver ?? ''}`).toBeGreaterThanOrEqual(0);
        if (value !== undefined) expect(value, `${metric} ${receiver ?? ''}`).toBeLessThanOrEqual(1);
      }
    }
    // The story is about a gateway's disguised refusals: the run must have met one that deferred.
    expect(receiversOf(report).some((receiver) => (readMetric(report, 'deferralRate', receiver) ?? 0) > 0)).toBe(true);
  });
});
