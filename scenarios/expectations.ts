/**
 * A scenario's expectations: typed thresholds on the report's named metrics (reports/metrics.ts),
 * optionally for one provider. A run that finishes but misses one fails (exit 1), and the
 * failed check says the metric, the provider, the value and the bound.
 */
import { METRIC_NAMES, METRICS, readMetric } from '../reports/index.ts';
import type { MetricName, ReportV1 } from '../reports/index.ts';
import type { ScenarioIssue } from './scenario.ts';

export type ThresholdOperator = '<' | '<=' | '>' | '>=';
export const THRESHOLD_OPERATORS: readonly ThresholdOperator[] = ['<', '<=', '>', '>='];

export interface ExpectationInput {
  readonly metric: MetricName;
  /** A provider or gateway family id, for a per-receiver metric. @defaultValue the whole run */
  readonly provider?: string;
  readonly operator: ThresholdOperator;
  readonly value: number;
}

export interface ResolvedExpectation {
  readonly metric: MetricName;
  readonly provider: string | null;
  readonly operator: ThresholdOperator;
  readonly value: number;
}

const KEYS = ['metric', 'provider', 'operator', 'value'];

export function resolveExpectations(
  input: readonly ExpectationInput[] | undefined,
  receivers: readonly string[],
  issues: ScenarioIssue[],
): ResolvedExpectation[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    issues.push({ path: 'expect', message: 'must be a list of { metric, provider?, operator, value }' });
    return [];
  }
  const resolved: ResolvedExpectation[] = [];
  input.forEach((raw: unknown, index) => {
    const path = `expect[${index}]`;
    const before = issues.length;
    if (typeof raw !== 'object' || raw === null) {
      issues.push({ path, message: 'must be an object { metric, provider?, operator, value }' });
      return;
    }
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry))
      if (!KEYS.includes(key))
        issues.push({ path: `${path}.${key}`, message: `unknown key '${key}' (known: ${KEYS.join(', ')})` });
    const metric = entry.metric;
    const known = typeof metric === 'string' && (METRIC_NAMES as readonly string[]).includes(metric);
    if (!known)
      issues.push({
        path: `${path}.metric`,
        message: `unknown metric ${JSON.stringify(metric)} (known: ${METRIC_NAMES.join(', ')})`,
      });
    const provider = entry.provider;
    if (provider !== undefined) {
      if (typeof provider !== 'string' || !receivers.includes(provider))
        issues.push({
          path: `${path}.provider`,
          message: `unknown provider ${JSON.stringify(provider)} (known: ${receivers.join(', ')})`,
        });
      else if (known && !METRICS[metric as MetricName].perReceiver)
        issues.push({
          path: `${path}.provider`,
          message: `${String(metric)} is a figure of the whole run, not per provider`,
        });
    }
    if (!(THRESHOLD_OPERATORS as readonly unknown[]).includes(entry.operator))
      issues.push({
        path: `${path}.operator`,
        message: `must be one of ${THRESHOLD_OPERATORS.join(' ')} (got ${JSON.stringify(entry.operator)})`,
      });
    if (typeof entry.value !== 'number' || !Number.isFinite(entry.value))
      issues.push({ path: `${path}.value`, message: `must be a number (got ${JSON.stringify(entry.value)})` });
    if (issues.length === before) {
      resolved.push({
        metric: metric as MetricName,
        provider: (provider as string | undefined) ?? null,
        operator: entry.operator as ThresholdOperator,
        value: entry.value as number,
      });
    }
  });
  return resolved;
}

/** `deferralRate for gmail < 0.05`. */
export function describeExpectation(expectation: ResolvedExpectation): string {
  return `${expectation.metric}${expectation.provider === null ? '' : ` for ${expectation.provider}`} ${expectation.operator} ${expectation.value}`;
}

/** The expectations the report misses, each as a sentence with the value found. */
export function failedExpectations(report: ReportV1, expectations: readonly ResolvedExpectation[]): string[] {
  const failed: string[] = [];
  for (const expectation of expectations) {
    const read = readMetric(report, expectation.metric, expectation.provider ?? undefined);
    // A count at a receiver that got no mail is zero; a share of nothing stays unknown.
    const value = read === undefined && METRICS[expectation.metric].unit === 'count' ? 0 : read;
    if (value === undefined) {
      failed.push(
        `expected ${describeExpectation(expectation)}, but the report has no ${expectation.metric}${expectation.provider === null ? '' : ` for ${expectation.provider}`}`,
      );
    } else if (!thresholdHolds(value, expectation.operator, expectation.value)) {
      failed.push(`expected ${describeExpectation(expectation)}, got ${formatValue(value)}`);
    }
  }
  return failed;
}

/** Whether `value operator bound` holds: the one comparison expectations and the vitest matchers share. */
export function thresholdHolds(value: number, operator: ThresholdOperator, bound: number): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
