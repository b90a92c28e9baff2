/**
 * `GET /metrics`: the engine's counters and gauges in the Prometheus text exposition format
 * (version 0.0.4), built with prom-client, as KumoMTA's `metrics` endpoint offers them
 * (research/engines.md §3.7).
 *
 * A scrape is a pure function of one reading of the engine (`EngineMetrics`, one
 * `EngineSnapshot`, the extra numbers): a fresh Registry per scrape, so every series describes
 * the same instant, a ready queue that went away leaves no stale series behind, and nothing is
 * registered globally. No default process metrics: they start event-loop and GC monitors that
 * outlive the API, and the bench measures the engine, not Node.
 */
import { Counter, Gauge, Registry, validateMetricName } from 'prom-client';
import { ACCOUNTING_RECORD_TYPES } from '../../accounting.ts';
import { CLASSES } from '../../../kernel/index.ts';
import type { EngineMetrics, EngineSnapshot, ReadyQueueView } from '../core/admin-view.ts';

/** What a scrape answers with: Prometheus text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

export interface MetricsReading {
  readonly metrics: EngineMetrics;
  readonly snapshot: EngineSnapshot;
  /** Extra series by full metric name (`mailbench_spool_fsyncs_total`); `_total` makes a counter, anything else a gauge. */
  readonly extra: Readonly<Record<string, number>>;
}

const READY_LABELS = ['source', 'site', 'provider'] as const;
type ReadyLabel = (typeof READY_LABELS)[number];

/** Known keys first, so every record type and class has a series (0 until it happens) and a rate() never starts from nothing. */
function countsWithKnownKeys(counts: Readonly<Record<string, number>>, known: readonly string[]): [string, number][] {
  return [...new Set([...known, ...Object.keys(counts)])].map((key) => [key, counts[key] ?? 0]);
}

function addEngineTotals(registry: Registry, metrics: EngineMetrics): void {
  const registers = [registry];
  const records = new Counter({
    name: 'mailbench_engine_records_total',
    help: 'Accounting records the engine emitted, by record type.',
    labelNames: ['type'],
    registers,
  });
  for (const [type, count] of countsWithKnownKeys(metrics.records, ACCOUNTING_RECORD_TYPES))
    records.inc({ type }, count);
  const attempts = new Counter({
    name: 'mailbench_engine_attempts_total',
    help: 'Delivery attempts, by the class the engine concluded.',
    labelNames: ['class'],
    registers,
  });
  for (const [klass, count] of countsWithKnownKeys(metrics.classes, CLASSES)) attempts.inc({ class: klass }, count);
  const gauges: readonly [string, string, number][] = [
    [
      'mailbench_engine_recipients_queued',
      'Recipients the engine holds, scheduled or ready.',
      metrics.recipientsQueued,
    ],
    ['mailbench_engine_recipients_in_flight', 'Recipients in an SMTP transaction now.', metrics.recipientsInFlight],
    ['mailbench_engine_connections_open', 'Outbound SMTP connections open now.', metrics.connectionsOpen],
    ['mailbench_engine_suppressed_addresses', 'Addresses on the suppression list now.', metrics.suppressedAddresses],
  ];
  for (const [name, help, value] of gauges) new Gauge({ name, help, registers }).set(value);
}

/** One gauge per ready-queue fact, labelled by path; the provider label is '' when no provider block matched. */
function addReadyQueues(registry: Registry, queues: readonly ReadyQueueView[]): void {
  const gauge = (name: string, help: string): Gauge<ReadyLabel> =>
    new Gauge({ name, help, labelNames: READY_LABELS, registers: [registry] });
  const ready = gauge('mailbench_engine_ready_queue_deliveries', 'Deliveries ready to go on the egress path.');
  const open = gauge('mailbench_engine_ready_queue_connections_open', 'Connections open on the egress path.');
  const limit = gauge('mailbench_engine_ready_queue_connection_limit', 'Connections the egress path may open.');
  const rate = gauge(
    'mailbench_engine_ready_queue_rate_per_hour',
    'Message rate allowed on the egress path now, messages per hour; absent when unlimited.',
  );
  const suspended = gauge('mailbench_engine_ready_queue_suspended', '1 while the egress path is suspended, else 0.');
  for (const queue of queues) {
    const labels = { source: queue.source, site: queue.site, provider: queue.provider ?? '' };
    ready.set(labels, queue.ready);
    open.set(labels, queue.connectionsOpen);
    limit.set(labels, queue.connectionLimit);
    if (queue.ratePerHour !== null) rate.set(labels, queue.ratePerHour);
    suspended.set(labels, queue.suspendedUntilMs === null ? 0 : 1);
  }
}

/** Throws, naming the key, when an extra metric has a bad name, collides with an engine metric or is not a finite number: a programmer error. */
function addExtra(registry: Registry, extra: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(extra)) {
    if (!validateMetricName(name))
      throw new RangeError(`extraMetrics: "${name}" is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`);
    if (registry.getSingleMetric(name) !== undefined)
      throw new RangeError(`extraMetrics: "${name}" is already an engine metric`);
    if (!Number.isFinite(value)) throw new RangeError(`extraMetrics: "${name}" is ${value}, not a finite number`);
    const help = `${name}, supplied by the engine service.`;
    if (name.endsWith('_total')) new Counter({ name, help, registers: [registry] }).inc(value);
    else new Gauge({ name, help, registers: [registry] }).set(value);
  }
}

/** The exposition text of one reading. */
export async function renderMetrics(reading: MetricsReading): Promise<string> {
  const registry = new Registry();
  addEngineTotals(registry, reading.metrics);
  addReadyQueues(registry, reading.snapshot.ready);
  addExtra(registry, reading.extra);
  return registry.metrics();
}
