/**
 * The metrics renderer is a pure function of one reading: every record type and class has a
 * series even at zero, an unlimited path has no rate series, and a bad extra metric is a
 * programmer error that names the key.
 */
import { expect, test } from 'vitest';
import { renderMetrics } from '../../../../mta-under-test/reference/admin/metrics.ts';
import { SAMPLE_METRICS, SAMPLE_SNAPSHOT } from '../../../support/fake-engine-admin.ts';

const reading = { metrics: SAMPLE_METRICS, snapshot: SAMPLE_SNAPSHOT, extra: {} };

test('record types and classes the engine has not counted yet are exported at 0', async () => {
  const text = await renderMetrics(reading);
  expect(text).toContain('mailbench_engine_records_total{type="Expiration"} 0');
  expect(text).toContain('mailbench_engine_records_total{type="Delivery"} 60');
  expect(text).toContain('mailbench_engine_attempts_total{class="delivered"} 60');
  expect(text).toMatch(/^mailbench_engine_attempts_total\{class="[a-z-]+"\} 0$/m);
});

test('a path without a rate limit has no rate series; one without a provider has provider=""', async () => {
  const text = await renderMetrics(reading);
  expect(text).toContain('mailbench_engine_ready_queue_deliveries{source="ip-1",site="mx.example.net",provider=""} 3');
  expect(text).not.toMatch(/^mailbench_engine_ready_queue_rate_per_hour\{[^}]*site="mx\.example\.net"/m);
});

test('extra metrics: _total is a counter, anything else a gauge', async () => {
  const text = await renderMetrics({
    ...reading,
    extra: { mailbench_spool_fsyncs_total: 12, mailbench_spool_bytes: 4096 },
  });
  expect(text).toContain('# TYPE mailbench_spool_fsyncs_total counter\nmailbench_spool_fsyncs_total 12');
  expect(text).toContain('# TYPE mailbench_spool_bytes gauge\nmailbench_spool_bytes 4096');
});

test.each([
  [{ 'spool fsyncs': 1 }, /"spool fsyncs" is not a Prometheus metric name/],
  [{ mailbench_engine_connections_open: 1 }, /"mailbench_engine_connections_open" is already an engine metric/],
  [{ mailbench_spool_lag: Number.NaN }, /"mailbench_spool_lag" is NaN, not a finite number/],
])('a bad extra metric %j is refused by name', async (extra, message) => {
  await expect(renderMetrics({ ...reading, extra })).rejects.toThrow(message);
});
