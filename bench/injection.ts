/**
 * Injection API: durably accepted messages per second through the HTTP injection endpoint,
 * loaded by autocannon. Each request is a templated batch of `batch` recipients (one message
 * each, composed by MailComposer) answered 202 only after the spool's fsync. Any non-2xx
 * answer fails the figure: a rate of refusals would mean nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Spool, startInjectionApi } from '../mta-under-test/index.ts';

export interface InjectionOptions {
  readonly seconds: number;
  readonly connections: number;
  readonly batch: number;
}

export interface InjectionResult {
  readonly acceptedPerSecond: number;
  readonly accepted: number;
  readonly seconds: number;
  readonly fsyncs: number;
  readonly batch: number;
  readonly connections: number;
  readonly latencyMsP99: number;
}

function requestBody(batch: number): string {
  return JSON.stringify({
    from: 'bounces@news.mailbench.test',
    pool: 'grid',
    content: {
      from: 'News <news@news.mailbench.test>',
      subject: 'Hello {{name}}',
      text: `Dear {{name}},\n\n${'This is the body of a bulk message. '.repeat(40)}\n`,
    },
    recipients: Array.from({ length: batch }, (_, n) => ({
      to: `user${n}@example.com`,
      vars: { name: `Reader ${n}` },
    })),
  });
}

export async function measureInjection(options: InjectionOptions): Promise<InjectionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-bench-inject-'));
  const spool = await Spool.open(dir);
  let accepted = 0;
  const api = await startInjectionApi({
    address: '127.0.0.1',
    pools: new Set(['grid']),
    enqueue: async (messages) => {
      const ids = await spool.enqueue(
        messages.map((message) => ({ ...message, receivedAtMs: 0, meta: { ...message.meta } })),
      );
      accepted += ids.length;
      return ids;
    },
  });
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${api.port}/v1/messages/batch`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: requestBody(options.batch),
      connections: options.connections,
      duration: options.seconds,
    });
    const failed = result.non2xx + result.errors;
    if (failed > 0)
      throw new Error(`${failed} injection requests failed (non-2xx or errors); the figure would mean nothing`);
    return {
      acceptedPerSecond: accepted / options.seconds,
      accepted,
      seconds: options.seconds,
      fsyncs: spool.stats().fsyncs,
      batch: options.batch,
      connections: options.connections,
      latencyMsP99: result.latency.p99,
    };
  } finally {
    await api.close();
    await spool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
