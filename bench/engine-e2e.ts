/**
 * The reference engine end to end, as a user runs it: its own process (`mailbench engine
 * start`), HTTP injection (templated batches of 100, each answered 202 only after the spool's
 * group-commit fsync), delivery by nodemailer's connection layer into the simulated Gmail on
 * loopback, limits off. The engine composes and DKIM-signs every message itself.
 *
 * Shaping is set to what Postfix does by default, so the comparison with bench/postfix-e2e.ts
 * is like for like: built-in provider presets off, rates off, 20 connections to the
 * destination (Postfix's default_destination_concurrency_limit), connections reused without a
 * count limit (smtp_connection_reuse_count_limit = 0), no TLS (Postfix's
 * smtp_tls_security_level is empty by default).
 */
import { performance } from 'node:perf_hooks';
import { engineBench, exited, injectBatch } from '../runner/index.ts';
import { countDeliveries } from './delivery-count.ts';
import type { EndToEndFigure } from './delivery-count.ts';

const BATCH = 100;
/**
 * Batches in flight at once: the spool's group commit shares each fsync among them. No more
 * than the engine's default admission budget (8 requests in flight): past it the engine answers
 * 503, as it should, and the phase would measure refusals.
 */
const IN_FLIGHT = 8;
const RUN_TIMEOUT_MS = 120_000;
/** One batch's answer, and the engine's exit after SIGTERM: bounded, so a stuck engine fails the phase instead of holding it. */
const BATCH_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;

export const POSTFIX_LIKE_SHAPING = {
  builtInProviders: false,
  default: {
    maxMessageRate: null,
    maxConnectionRate: null,
    connectionLimit: 20,
    maxDeliveriesPerConnection: 1_000_000,
    enableTls: 'disabled',
  },
};

export async function measureEngineEndToEnd(options: { readonly messages: number }): Promise<EndToEndFigure> {
  const bench = await engineBench(
    {
      name: 'bench-engine-e2e',
      population: { recipients: options.messages, domains: ['gmail.com'] },
      receivers: { limitsOff: true },
    },
    POSTFIX_LIKE_SHAPING,
  );
  const count = countDeliveries(bench.world);
  const engine = await bench.start();
  try {
    const recipients = bench.world.population.recipients;
    const batches: string[][] = [];
    for (let start = 0; start < recipients.length; start += BATCH) batches.push(recipients.slice(start, start + BATCH));
    const startedAtMs = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let batch = batches.shift(); batch !== undefined; batch = batches.shift())
          await within(
            injectBatch(engine, bench.world.sender.from, batch),
            BATCH_TIMEOUT_MS,
            () => `a batch got no answer within ${BATCH_TIMEOUT_MS} ms; engine stderr:\n${engine.stderr()}`,
          );
      }),
    );
    return await count.waitFor(
      recipients.length,
      startedAtMs,
      RUN_TIMEOUT_MS,
      () => `engine stderr:\n${engine.stderr()}`,
    );
  } finally {
    engine.child.kill('SIGTERM');
    await within(exited(engine), EXIT_TIMEOUT_MS, () => 'the engine did not exit after SIGTERM').catch(() =>
      engine.child.kill('SIGKILL'),
    );
    await bench.close();
  }
}

function within<T>(promise: Promise<T>, timeoutMs: number, reason: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
