/**
 * `npx tsx bench/injection.ts`: durably accepted messages per second through the HTTP
 * injection API, loaded by autocannon. Each request is a templated batch of BATCH recipients
 * (one message each, composed by MailComposer) answered 202 only after the spool's fsync.
 * CONNECTIONS requests in flight, RUN_SECONDS per run, median of RUNS runs after a warm-up.
 * Prints JSON; `injection.acceptedPerSecond` is the figure issue 7's benchmark gate reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startInjectionApi } from '../mta-under-test/reference/inject/http-api.ts';
import { Spool } from '../mta-under-test/reference/spool/spool.ts';

const RUNS = 5;
const RUN_SECONDS = 4;
const CONNECTIONS = 16;
const BATCH = Number(process.env.BATCH ?? 100);

const body = JSON.stringify({
  from: 'bounces@news.mailbench.test',
  pool: 'grid',
  content: { from: 'News <news@news.mailbench.test>', subject: 'Hello {{name}}', text: `Dear {{name}},\n\n${'This is the body of a bulk message. '.repeat(40)}\n` },
  recipients: Array.from({ length: BATCH }, (_, n) => ({ to: `user${n}@example.com`, vars: { name: `Reader ${n}` } })),
});

async function measureOnce(): Promise<{ perSecond: number; fsyncs: number; errors: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-bench-inject-'));
  const spool = await Spool.open(dir);
  let enqueued = 0;
  const api = await startInjectionApi({
    address: '127.0.0.1',
    pools: new Set(['grid']),
    enqueue: async (messages) => {
      const ids = await spool.enqueue(messages.map((message) => ({ ...message, receivedAtMs: 0, meta: { ...message.meta } })));
      enqueued += ids.length;
      return ids;
    },
  });
  const result = await autocannon({ url: `http://127.0.0.1:${api.port}/v1/messages/batch`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration: RUN_SECONDS });
  const { fsyncs } = spool.stats();
  await api.close();
  await spool.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: Math.round(enqueued / RUN_SECONDS), fsyncs, errors: result.non2xx + result.errors };
}

const samples: number[] = [];
for (let run = 0; run <= RUNS; run++) {
  const { perSecond, fsyncs, errors } = await measureOnce();
  if (errors > 0) throw new Error(`run ${run}: ${errors} requests failed; the figure would mean nothing`);
  if (run > 0) samples.push(perSecond);
  process.stderr.write(`injection run ${run === 0 ? 'warm-up' : run}: ${perSecond} messages/s durably accepted, ${fsyncs} fsyncs\n`);
}
const sorted = [...samples].sort((a, b) => a - b);
console.log(JSON.stringify({ injection: { acceptedPerSecond: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), samples, batch: BATCH, connections: CONNECTIONS } }, null, 2));
