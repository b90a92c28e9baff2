/**
 * The admin API over real HTTP on loopback, against a fake engine that records what it is
 * asked: the snapshot is served (and filtered), suspend and resume are validated and forwarded
 * as SuspendTargets, the engine's refusals come back as 409 with its message, the token and
 * the routes are enforced, and /metrics parses back as Prometheus text with the right names,
 * labels and values.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startAdminApi } from '../../mta-under-test/reference/admin/admin-api.ts';
import type { AdminApi } from '../../mta-under-test/reference/admin/admin-api.ts';
import { FakeEngineAdmin, GMAIL_SITE, SAMPLE_SNAPSHOT } from '../support/fake-engine-admin.ts';

const TOKEN = 'admin-s3cret';
const admin = new FakeEngineAdmin();
let api: AdminApi;

beforeAll(async () => {
  api = await startAdminApi({
    address: '127.0.0.1',
    admin,
    bearerToken: TOKEN,
    extraMetrics: () => ({ mailbench_spool_fsyncs_total: 42 }),
  });
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  admin.calls.length = 0;
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: { error?: string; problems?: { path: string; message: string }[]; [key: string]: unknown };
}

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`http://${api.address}:${api.port}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json')
    ? (JSON.parse(text) as Reply['json'])
    : {};
  return { status: response.status, headers: response.headers, text, json };
}

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses Prometheus text format 0.0.4 (prom-client has no parser): `# TYPE` lines and samples with escaped label values. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) types.set(type[1] ?? '', type[2] ?? '');
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (sample === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name = '', value = ''] of (sample[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)",?/g)) {
      labels[name] = value.replace(/\\(.)/g, (_all, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    }
    samples.push({ name: sample[1] ?? '', labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

test('GET /v1/queues serves the snapshot, narrowed by ?source=, and names a bad filter', async () => {
  // Act
  const all = await call('GET', '/v1/queues');
  const ip2 = await call('GET', '/v1/queues?source=ip-2');
  const bad = await call('GET', '/v1/queues?sight=gmail&site=');
  // Assert
  expect(all).toMatchObject({ status: 200, json: { ...SAMPLE_SNAPSHOT, filter: {} } });
  expect(ip2.status).toBe(200);
  expect((ip2.json.ready as { name: string }[]).map((queue) => queue.name)).toEqual([`ip-2->${GMAIL_SITE}`]);
  expect(ip2.json.filter).toEqual({ source: 'ip-2' });
  expect(bad.status).toBe(400);
  expect(bad.json.problems?.map((problem) => problem.path)).toEqual(['query.sight', 'query.site']);
});

test('POST /v1/suspend forwards a valid target with its duration in ms and echoes it', async () => {
  // Act
  const reply = await call('POST', '/v1/suspend', {
    source: 'ip-1',
    provider: 'gmail',
    duration: '2h',
    reason: 'complaint spike',
  });
  const bySite = await call('POST', '/v1/suspend', {
    site: GMAIL_SITE,
    duration: 600_000,
    reason: 'greylisting storm',
  });
  // Assert
  expect(reply).toMatchObject({
    status: 200,
    json: {
      ok: true,
      detail: expect.stringMatching(/^suspended/) as unknown,
      target: { source: 'ip-1', provider: 'gmail' },
      durationMs: 7_200_000,
      reason: 'complaint spike',
    },
  });
  expect(bySite.status).toBe(200);
  expect(admin.calls).toEqual([
    {
      method: 'suspend',
      target: { source: 'ip-1', provider: 'gmail' },
      durationMs: 7_200_000,
      reason: 'complaint spike',
    },
    { method: 'suspend', target: { site: GMAIL_SITE }, durationMs: 600_000, reason: 'greylisting storm' },
  ]);
});

test('a bad suspend body gets 400 with every problem named, and nothing reaches the engine', async () => {
  // Act
  const reply = await call('POST', '/v1/suspend', {
    site: GMAIL_SITE,
    provider: 'gmail',
    duration: '2 weeks',
    colour: 'red',
  });
  const noTarget = await call('POST', '/v1/suspend', { duration: '1h', reason: 'r' });
  const malformed = await call('POST', '/v1/suspend', '{"source": ');
  const notJson = await fetch(`http://${api.address}:${api.port}/v1/suspend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: 'source=ip-1',
  });
  // Assert
  expect(reply.status).toBe(400);
  expect(reply.json.error).toBe('4 problems; nothing was suspended');
  expect(reply.json.problems?.map((problem) => problem.path)).toEqual(['colour', 'provider', 'duration', 'reason']);
  expect(noTarget.json.problems).toEqual([
    {
      path: '',
      message: expect.stringMatching(
        /names no target: give \{ source, site \}.*\{ site \}.*\{ source, provider \}.*\{ source \}/,
      ) as unknown,
    },
  ]);
  expect(malformed).toMatchObject({ status: 400, json: { error: expect.stringMatching(/not valid JSON/) as unknown } });
  expect(notJson.status).toBe(415);
  expect(admin.calls).toEqual([]);
});

test('the engine refusing (an unknown source) is 409 with its message', async () => {
  // Act
  const suspend = await call('POST', '/v1/suspend', { source: 'ip-9', duration: '1h', reason: 'r' });
  const resume = await call('POST', '/v1/resume', { source: 'ip-9', site: GMAIL_SITE });
  // Assert
  expect(suspend).toMatchObject({ status: 409, json: { error: 'unknown source "ip-9" (known: ip-1, ip-2)' } });
  expect(resume.status).toBe(409);
  expect(admin.calls.map((entry) => entry.method)).toEqual(['suspend', 'resume']);
});

test('POST /v1/resume forwards a valid target and refuses an invalid one', async () => {
  // Act
  const reply = await call('POST', '/v1/resume', { source: 'ip-2', site: GMAIL_SITE });
  const bad = await call('POST', '/v1/resume', { provider: 'gmail' });
  // Assert
  expect(reply).toMatchObject({ status: 200, json: { ok: true, target: { source: 'ip-2', site: GMAIL_SITE } } });
  expect(bad).toMatchObject({
    status: 400,
    json: { problems: [{ path: 'source', message: expect.stringMatching(/is required with provider/) as unknown }] },
  });
  expect(admin.calls).toEqual([{ method: 'resume', target: { source: 'ip-2', site: GMAIL_SITE } }]);
});

test('GET /metrics is Prometheus text with the engine counters, gauges per path and the extra metrics', async () => {
  // Act
  const reply = await call('GET', '/metrics');
  const { types, samples } = parseExposition(reply.text);
  // Assert: the content type, then names, types, labels and values.
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(types.get('mailbench_engine_records_total')).toBe('counter');
  expect(types.get('mailbench_engine_attempts_total')).toBe('counter');
  expect(types.get('mailbench_engine_recipients_queued')).toBe('gauge');
  expect(valueOf(samples, 'mailbench_engine_records_total', { type: 'Delivery' })).toBe(60);
  expect(valueOf(samples, 'mailbench_engine_records_total', { type: 'Suspend' })).toBe(0);
  expect(valueOf(samples, 'mailbench_engine_attempts_total', { class: 'unknown-user' })).toBe(3);
  expect(valueOf(samples, 'mailbench_engine_recipients_queued')).toBe(62);
  expect(valueOf(samples, 'mailbench_engine_recipients_in_flight')).toBe(3);
  expect(valueOf(samples, 'mailbench_engine_connections_open')).toBe(3);
  expect(valueOf(samples, 'mailbench_engine_suppressed_addresses')).toBe(17);
  const ip2Gmail = { source: 'ip-2', site: GMAIL_SITE, provider: 'gmail' };
  expect(valueOf(samples, 'mailbench_engine_ready_queue_deliveries', ip2Gmail)).toBe(7);
  expect(valueOf(samples, 'mailbench_engine_ready_queue_connections_open', { source: 'ip-1', site: GMAIL_SITE })).toBe(
    2,
  );
  expect(valueOf(samples, 'mailbench_engine_ready_queue_rate_per_hour', ip2Gmail)).toBe(600);
  expect(valueOf(samples, 'mailbench_engine_ready_queue_suspended', ip2Gmail)).toBe(1);
  expect(valueOf(samples, 'mailbench_engine_ready_queue_suspended', { source: 'ip-1', site: GMAIL_SITE })).toBe(0);
  expect(samples.filter((sample) => sample.name === 'mailbench_engine_ready_queue_deliveries')).toHaveLength(3);
  expect(types.get('mailbench_spool_fsyncs_total')).toBe('counter');
  expect(valueOf(samples, 'mailbench_spool_fsyncs_total')).toBe(42);
});

test('without the token every route but /healthz is 401; unknown routes are 404 listing the routes, wrong methods 405', async () => {
  // Act
  const noToken = await Promise.all(['/v1/queues', '/metrics'].map((path) => call('GET', path, undefined, null)));
  const wrongToken = await call('POST', '/v1/suspend', { source: 'ip-1', duration: '1h', reason: 'r' }, 'guess');
  const health = await call('GET', '/healthz', undefined, null);
  const unknown = await call('GET', '/v1/nothing');
  const wrongMethod = await call('GET', '/v1/suspend');
  // Assert
  for (const reply of [...noToken, wrongToken])
    expect(reply).toMatchObject({ status: 401, json: { error: 'missing or wrong bearer token' } });
  expect(health).toMatchObject({ status: 200, json: { ok: true } });
  expect(unknown.status).toBe(404);
  expect(unknown.json.error).toBe(
    'no such endpoint: GET /v1/nothing (GET /v1/queues, POST /v1/suspend, POST /v1/resume, GET /metrics, GET /healthz)',
  );
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.get('allow')).toBe('POST');
  expect(admin.calls).toEqual([]);
});

test('the admin API refuses to bind outside loopback', async () => {
  await expect(startAdminApi({ address: '0.0.0.0', admin })).rejects.toThrow(
    'the admin API binds loopback only (127.0.0.0/8); refusing 0.0.0.0',
  );
  await expect(startAdminApi({ address: '192.168.1.10', admin })).rejects.toThrow(/loopback only/);
});
