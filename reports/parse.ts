/**
 * Reads a saved report back: JSON text → ReportV1, or every reason it is not one. The renderers
 * trust the types, so this is the one place a hand-edited, truncated or foreign file is caught,
 * with each problem named by its path (STYLE §0 item 6). Fields added after v1 (`series`,
 * `figures.classification`, `figures.later`, `figures.causesByReceiver`) are optional: a report
 * saved before they existed still parses.
 */
import { REPORT_SCHEMA_VERSION } from './schema.ts';
import type { ReportV1 } from './schema.ts';
import { MailbenchError } from '../kernel/index.ts';

/** A saved report that cannot be read, with every problem found. */
export class ReportParseError extends MailbenchError {
  constructor(
    readonly issues: readonly { readonly path: string; readonly message: string }[],
    source = 'report',
  ) {
    super(
      'E_REPORT_INVALID',
      `${source} is not a mailbench v1 report: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'ReportParseError';
  }
}

type Issue = { path: string; message: string };
type Kind = 'object' | 'string' | 'number' | 'array';

/** Parses report JSON text; `source` names the file in the error. */
export function parseReport(text: string, source = 'report'): ReportV1 {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportParseError(
      [{ path: '(file)', message: `not JSON (${error instanceof Error ? error.message : String(error)})` }],
      source,
    );
  }
  return checkReport(value, source);
}

/** Checks an already-parsed value; throws ReportParseError listing every problem. */
export function checkReport(value: unknown, source = 'report'): ReportV1 {
  const issues: Issue[] = [];
  const at = (path: string): unknown =>
    path.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), value);
  const expect = (path: string, kind: Kind, optional = false): void => {
    const node = at(path);
    if (node === undefined && optional) return;
    if (!hasKind(node, kind))
      issues.push({
        path,
        message: node === undefined ? `missing (expected ${kind})` : `expected ${kind}, got ${describe(node)}`,
      });
  };
  if (!isObject(value))
    throw new ReportParseError([{ path: '(root)', message: `expected an object, got ${describe(value)}` }], source);
  if (value.schemaVersion !== REPORT_SCHEMA_VERSION) {
    issues.push({
      path: 'schemaVersion',
      message: `expected ${REPORT_SCHEMA_VERSION}, got ${describe(value.schemaVersion)}`,
    });
  }
  for (const path of [
    'tool',
    'engine',
    'scenario',
    'scenario.population',
    'scenario.sender',
    'outcome',
    'clock',
    'figures',
    'figures.throughput',
    'figures.messages',
    'figures.attempts',
    'figures.causes',
    'figures.classes',
    'figures.confusion',
  ]) {
    expect(path, 'object');
  }
  for (const path of ['tool.version', 'seed', 'engine.name', 'engine.version', 'scenario.name', 'outcome.status'])
    expect(path, 'string');
  for (const path of [
    'scenario.population.recipients',
    'clock.startMs',
    'clock.endMs',
    'figures.throughput.acceptedPerSecond',
    'figures.throughput.simulatedPerSecond',
  ])
    expect(path, 'number');
  for (const name of ['injected', 'delivered', 'bounced', 'expired', 'inFlight'])
    expect(`figures.messages.${name}`, 'number');
  for (const name of ['total', 'truthWithoutAttempt', 'attemptsWithoutTruth'])
    expect(`figures.attempts.${name}`, 'number');
  if (value.mode !== 'sim' && value.mode !== 'wire')
    issues.push({ path: 'mode', message: `expected "sim" or "wire", got ${describe(value.mode)}` });
  const status = at('outcome.status');
  if (typeof status === 'string' && !['passed', 'failed', 'interrupted', 'errored'].includes(status)) {
    issues.push({
      path: 'outcome.status',
      message: `expected passed, failed, interrupted or errored, got "${status}"`,
    });
  }
  expect('figures.classification', 'object', true);
  expect('figures.later', 'object', true);
  expect('figures.causesByReceiver', 'object', true);
  if (at('series') !== undefined) checkSeries(at, expect, issues);
  if (issues.length > 0) throw new ReportParseError(issues, source);
  return value as unknown as ReportV1;
}

/** The series' shape: its bucket arrays must all have `bucketCount` entries. */
function checkSeries(at: (path: string) => unknown, expect: (path: string, kind: Kind) => void, issues: Issue[]): void {
  expect('series', 'object');
  for (const path of ['series.bucketWidthMs', 'series.firstBucketStartMs', 'series.bucketCount'])
    expect(path, 'number');
  expect('series.receivers', 'object');
  expect('series.decisionsPerBucket', 'object');
  for (const path of ['series.reputation', 'series.decisions', 'series.bandFloors']) expect(path, 'array');
  const count = at('series.bucketCount');
  const receivers = at('series.receivers');
  if (typeof count !== 'number' || !isObject(receivers)) return;
  for (const [id, row] of Object.entries(receivers)) {
    for (const name of [
      'attempted',
      'delivered',
      'deferred',
      'bounced',
      'expired',
      'placement.inbox',
      'placement.spam',
      'placement.discarded',
      'placement.trap',
    ]) {
      const values = name.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), row);
      if (!Array.isArray(values) || values.length !== count) {
        issues.push({
          path: `series.receivers.${id}.${name}`,
          message: `expected ${count} numbers (one per bucket), got ${describe(values)}`,
        });
      }
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasKind(value: unknown, kind: Kind): boolean {
  if (kind === 'object') return isObject(value);
  if (kind === 'array') return Array.isArray(value);
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === kind;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
