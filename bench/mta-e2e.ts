/**
 * Any MTA end to end, through the adapter contract every sender in the bench has
 * (`MtaUnderTest`): the MTA takes N messages through its front door (`inject`, which resolves
 * once it has accepted them, durably for a durable MTA) and relays them into the simulated
 * Gmail on loopback, limits off; the figure is the recipients the receiver recorded as
 * delivered (its truth, not the MTA's word) per wall second, from the first injection to the
 * last delivery. Postfix is measured this way (postfix-e2e.ts), and so is a user's engine
 * (`npm run bench -- --engine ./my-engine.ts`).
 *
 * The messages are the scenario's, DKIM-signed by the bench beforehand with the sender's key, so
 * the receiver does the same verification work whichever MTA relays them.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { dkimSign } from '../mta-under-test/index.ts';
import type { LoopbackRoute, MtaMessage, MtaUnderTest } from '../mta-under-test/index.ts';
import { buildMessage, engineBench } from '../runner/index.ts';
import { resolveScenario } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS } from '../kernel/index.ts';
import type { RunClock } from '../runner/index.ts';
import { countDeliveries } from './delivery-count.ts';
import type { EndToEndFigure } from './delivery-count.ts';

const RUN_TIMEOUT_MS = 120_000;
const MAIL_FROM = 'bounces@news.mailbench.test';

export interface MtaEndToEnd extends EndToEndFigure {
  /** The adapter's name and the MTA's own version string. */
  readonly mta: string;
  readonly version: string;
}

/** `create` gets the run's clock (real time, unscaled, here), as a factory passed to `run()` does. */
export async function measureMtaEndToEnd(options: {
  readonly messages: number;
  readonly create: (clock: RunClock) => MtaUnderTest;
}): Promise<MtaEndToEnd> {
  // engineBench builds the world and its listeners; the reference engine's process is never started.
  const input = {
    name: 'bench-mta-e2e',
    population: { recipients: options.messages, domains: ['gmail.com'] },
    receivers: { limitsOff: true },
  };
  const source = resolveScenario(input).sender.sources[0];
  if (source === undefined) throw new Error('the bench scenario has no source address');
  const bench = await engineBench(input, {});
  const count = countDeliveries(bench.world);
  const returnPath = await acceptAllListener();
  const workDir = mkdtempSync(join(tmpdir(), 'mailbench-bench-mta-'));
  chmodSync(workDir, 0o755);
  const mta = options.create({ nowMs: () => Date.now(), toRunTimeMs: (wallMs) => wallMs, scale: 1 });
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
      // The bench counts deliveries at the receiver; the DSNs an MTA returns are not read here.
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
      () => `${mta.name}'s work folder: ${workDir}`,
    );
    return { ...figure, mta: mta.name, version: mta.version() };
  } finally {
    await mta.stop();
    await returnPath.close();
    await bench.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Where an MTA would send its DSNs; none are expected (every recipient exists, limits off). */
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
