/**
 * Injection latency under a large batch: is a small client still answered while another one
 * hands the engine 10,000 messages at once? The whole engine service runs here (spool, HTTP
 * API, engine core with its sliced injection), its mail routed to a port nobody listens on so
 * nothing leaves and delivery costs nothing. autocannon sends one-message requests for a few
 * seconds, first alone (the reference), then while a second client posts 10,000-recipient
 * template batches back to back; the figure is the p99 latency of the small requests in each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { defaultServiceConfigInput, resolveServiceConfig, startEngineService } from '../mta-under-test/index.ts';

export interface InjectionLatencyOptions {
  readonly seconds: number;
  readonly connections: number;
  readonly batch: number;
}

export interface InjectionLatencyResult {
  /** p99 of one-message requests with nothing else going on, ms. */
  readonly smallAloneP99Ms: number;
  /** p99 of one-message requests while large batches are being accepted, ms. */
  readonly smallDuringBatchP99Ms: number;
  readonly smallDuringBatchMaxMs: number;
  /** Large batches accepted (202) during the measurement, and how long each took on average. */
  readonly batchesAccepted: number;
  readonly batchMeanMs: number;
  readonly batch: number;
  readonly connections: number;
  readonly seconds: number;
}

const DOMAIN = 'unreachable.test';

function small(): string {
  return JSON.stringify({
    from: `bounces@news.mailbench.test`,
    to: `someone@${DOMAIN}`,
    content: { from: 'News <news@news.mailbench.test>', subject: 'One', text: 'A small message.' },
  });
}

function large(batch: number): string {
  return JSON.stringify({
    from: 'bounces@news.mailbench.test',
    content: {
      from: 'News <news@news.mailbench.test>',
      subject: 'Hello {{name}}',
      text: `Dear {{name}},\n\n${'This is the body of a bulk message. '.repeat(20)}\n`,
    },
    recipients: Array.from({ length: batch }, (_, n) => ({ to: `user${n}@${DOMAIN}`, vars: { name: `Reader ${n}` } })),
  });
}

async function smallRequests(url: string, options: InjectionLatencyOptions): Promise<autocannon.Result> {
  const result = await autocannon({
    url: `${url}/v1/messages`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: small(),
    connections: options.connections,
    duration: options.seconds,
  });
  if (result.non2xx + result.errors > 0)
    throw new Error(`${result.non2xx + result.errors} small injection requests failed; the latency would mean nothing`);
  return result;
}

export async function measureInjectionLatency(options: InjectionLatencyOptions): Promise<InjectionLatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-bench-latency-'));
  const input = defaultServiceConfigInput(join(dir, 'spool'));
  const config = resolveServiceConfig(
    { ...input, dns: { mx: { [DOMAIN]: [`mx.${DOMAIN}`] }, hosts: { [`mx.${DOMAIN}`]: '127.0.0.1:9' } }, dsn: false },
    dir,
    'the bench engine',
  );
  const service = await startEngineService(config, { seed: 'bench' });
  const url = `http://${service.http.address}:${service.http.port}`;
  try {
    const alone = await smallRequests(url, options);
    let stop = false;
    const durations: number[] = [];
    const body = large(options.batch);
    const batches = (async () => {
      while (!stop) {
        const start = performance.now();
        const response = await fetch(`${url}/v1/messages/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.text();
        if (response.status !== 202)
          throw new Error(`a ${options.batch}-message batch was answered ${response.status}`);
        durations.push(performance.now() - start);
      }
    })();
    // The batches start first, so the small requests meet them from their first second.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await smallRequests(url, options);
    stop = true;
    await batches;
    return {
      smallAloneP99Ms: alone.latency.p99,
      smallDuringBatchP99Ms: during.latency.p99,
      smallDuringBatchMaxMs: during.latency.max,
      batchesAccepted: durations.length,
      batchMeanMs: Math.round(durations.reduce((sum, ms) => sum + ms, 0) / Math.max(1, durations.length)),
      batch: options.batch,
      connections: options.connections,
      seconds: options.seconds,
    };
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
