/**
 * `npx tsx bench/engine-e2e.ts`: the reference engine end to end, as a user runs it — its own
 * process (`mailbench engine start`), HTTP injection (templated batches of 100, each answered
 * 202 after the spool's group-commit fsync), delivery by nodemailer's connection layer with
 * STARTTLS (Gmail's preset requires it) into the simulated Gmail on loopback with its limits
 * off. The figure is recipients delivered per wall second, from the first injection to the
 * last acceptance the receiver recorded; both cases keep the spool's durability (fsync before
 * 202, final marks made durable with the next fsync).
 *
 * Cases: Gmail's preset shaping (5 connections, 50 messages each: every connection pays
 * smtp-server's 100 ms greeting wait), and the same with connections kept for 10,000
 * messages, which shows the engine's own ceiling. Engine rates are off in both. Median of RUNS
 * runs after a warm-up. Prints JSON.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { engineBench, exited, injectBatch } from '../runner/engine-process.ts';
import { isDeliveredCause } from '../sim/taxonomy.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const RECIPIENTS = Number(process.env.RECIPIENTS ?? 10_000);
const BATCH = 100;
/** Batches in flight at once, as in bench/injection.ts: the spool's group commit shares each fsync among them. */
const IN_FLIGHT = 16;
const RUN_DEADLINE_MS = 120_000;

const RATES_OFF = { maxMessageRate: null, maxConnectionRate: null };
const CASES = {
  'gmail-preset': { default: RATES_OFF, providers: { gmail: RATES_OFF } },
  'long-connections': { default: RATES_OFF, providers: { gmail: { ...RATES_OFF, maxDeliveriesPerConnection: 10_000 } } },
} as const;

async function measureOnce(shaping: Record<string, unknown>): Promise<number> {
  const bench = await engineBench({ name: 'engine-e2e', population: { recipients: RECIPIENTS, domains: ['gmail.com'] }, receivers: { limitsOff: true } }, shaping);
  let delivered = 0;
  bench.world.truth.subscribe((truth) => {
    if (isDeliveredCause(truth.cause)) delivered++;
  });
  const engine = await bench.start();
  try {
    const recipients = bench.world.population.recipients;
    const batches: string[][] = [];
    for (let start = 0; start < recipients.length; start += BATCH) batches.push(recipients.slice(start, start + BATCH));
    const startMs = performance.now();
    const workers = Array.from({ length: IN_FLIGHT }, async () => {
      for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) await injectBatch(engine, bench.world.sender.from, batch);
    });
    await Promise.all(workers);
    while (delivered < recipients.length) {
      if (performance.now() - startMs > RUN_DEADLINE_MS) throw new Error(`only ${delivered} of ${recipients.length} delivered within ${RUN_DEADLINE_MS} ms; engine stderr:\n${engine.stderr()}`);
      await sleep(20);
    }
    return Math.round(recipients.length / ((performance.now() - startMs) / 1000));
  } finally {
    engine.child.kill('SIGTERM');
    await exited(engine);
    await bench.close();
  }
}

const results: Record<string, unknown> = {};
for (const [name, shaping] of Object.entries(CASES)) {
  const samples: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const perSecond = await measureOnce(shaping);
    if (run > 0) samples.push(perSecond);
    process.stderr.write(`engine-e2e ${name} run ${run === 0 ? 'warm-up' : run}: ${perSecond} delivered/s\n`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  results[name] = { deliveredPerSecond: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), samples, recipients: RECIPIENTS, durability: 'spool fsync before 202 (group commit); final marks durable with the next fsync' };
}
console.log(JSON.stringify({ engineEndToEnd: results }, null, 2));
