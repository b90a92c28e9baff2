/**
 * Postfix end to end, the reference the engine is measured against: a private instance of
 * Debian's Postfix (mta-under-test/adapters/postfix, its defaults untouched) takes the same N
 * messages over SMTP (16 connections; 250 only once the queue file is fsynced: Postfix's
 * durable enqueue) and relays them into the same simulated Gmail, limits off. The messages are
 * the scenario's, DKIM-signed by the bench beforehand with the sender's key, so the receiver
 * does the same verification work as for the engine's mail; the signing is the engine's own
 * cost in its figure and not in Postfix's, which favours Postfix.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { dkimSign, PostfixMta } from '../mta-under-test/index.ts';
import type { LoopbackRoute, MtaMessage } from '../mta-under-test/index.ts';
import { buildMessage, engineBench } from '../runner/index.ts';
import { resolveScenario } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS } from '../kernel/index.ts';
import { countDeliveries } from './delivery-count.ts';
import type { EndToEndFigure } from './delivery-count.ts';

const INJECT_CONNECTIONS = 16;
const RUN_TIMEOUT_MS = 120_000;
const MAIL_FROM = 'bounces@news.mailbench.test';

export interface PostfixEndToEnd extends EndToEndFigure {
  readonly version: string;
}

export async function measurePostfixEndToEnd(options: { readonly messages: number }): Promise<PostfixEndToEnd> {
  // engineBench builds the world and its listeners; the engine process itself is never started.
  const input = {
    name: 'bench-postfix-e2e',
    population: { recipients: options.messages, domains: ['gmail.com'] },
    receivers: { limitsOff: true },
  };
  const source = resolveScenario(input).sender.sources[0];
  if (source === undefined) throw new Error('the bench scenario has no source address');
  const bench = await engineBench(input, {});
  const count = countDeliveries(bench.world);
  const returnPath = await acceptAllListener();
  const workDir = mkdtempSync(join(tmpdir(), 'mailbench-bench-postfix-'));
  chmodSync(workDir, 0o755);
  const mta = new PostfixMta({ injectConnections: INJECT_CONNECTIONS });
  try {
    const world = bench.world;
    const mxHost = world.dns.mx('gmail.com');
    const route =
      mxHost.kind === 'records'
        ? bench.listeners.routes.get(mxHost.records[0]?.exchange.toLowerCase() ?? '')
        : undefined;
    if (route === undefined) throw new Error('the bench world has no listener for gmail.com');
    await mta.start({
      routes: new Map([['gmail.com', route]]),
      egress: [{ name: 'mta1', sourceIp: source.sourceIp, heloName: source.heloName }],
      returnPath,
      workDir,
      clockScale: 1,
      // The bench counts deliveries from the log; the DSNs Postfix returns are not read here.
      onReturnMail: () => undefined,
    });
    const messages: MtaMessage[] = world.population.recipients.map((to, index) => ({
      mailFrom: MAIL_FROM,
      recipients: [to],
      data: dkimSign(
        buildMessage({ from: world.sender.from, to, dateMs: DEFAULT_EPOCH_MS, sequence: index + 1, seed: 'bench' }),
        world.sender.dkim,
      ),
    }));
    const startedAtMs = performance.now();
    await mta.inject(messages);
    const figure = await count.waitFor(
      messages.length,
      startedAtMs,
      RUN_TIMEOUT_MS,
      () => `see ${join(workDir, 'postfix', 'log', 'maillog')}`,
    );
    return { ...figure, version: mta.version() };
  } finally {
    await mta.stop();
    await returnPath.close();
    await bench.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Where Postfix would send its DSNs; none are expected (every recipient exists, limits off). */
async function acceptAllListener(): Promise<LoopbackRoute & { close(): Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1_000,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const bound = server.server.address();
  if (bound === null || typeof bound === 'string') throw new Error('the return-path listener has no port');
  return {
    address: '127.0.0.1',
    port: bound.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
