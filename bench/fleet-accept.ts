/**
 * Fleet accept rate: Postfix's smtp-source (C, no pipelining, one recipient per message) loads
 * the simulated fleet on loopback, limits off, and then, with the same sessions and the same
 * message, Postfix's smtp-sink, which accepts and throws away. The ratio fleet ÷ smtp-sink says
 * how close the receivers (smtp-server, the receiver policy, DKIM/SPF/DMARC checks) come to a
 * sink that does nothing, measured in the same run on the same machine.
 *
 * The message is the scenario's own, DKIM-signed by the sender's key (written with LF line ends:
 * smtp-source sends every line with CRLF, which is what was signed), so the receivers accept it
 * and do their authentication work. smtp-source cannot choose its source address, so SPF sees
 * 127.0.0.1, which the bench's world publishes as the sender's address (PTR, SPF). Each smtp-source process targets one receiver with an address
 * the receiver accepted in a probe of a few messages (receivers that require TLS, greylist or
 * defer a new sender are left out); without `-A`, any refusal during the run ends smtp-source
 * with an error, so the count is of accepted messages only. `-d` keeps each session open for
 * many messages, so smtp-server's 100 ms greeting wait is paid once per session.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { dkimSign, freePort } from '../mta-under-test/index.ts';
import { buildMessage, buildWorld } from '../runner/index.ts';
import type { World } from '../runner/index.ts';
import { SCENARIO_LIBRARY, resolveScenario } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS, RealScheduler } from '../kernel/index.ts';
import { startFleetListeners } from '../sim/index.ts';
import type { Route } from '../sim/index.ts';
import { finished, postfixTool, runToEnd } from './processes.ts';

export interface FleetAcceptOptions {
  /** SMTP sessions at once, in total, split over the targeted receivers. */
  readonly sessions: number;
  /** Receivers loaded at once (one smtp-source process each). */
  readonly receivers: number;
  readonly messagesToFleet: number;
  readonly messagesToSink: number;
}

export interface LoadFigure {
  readonly messages: number;
  readonly seconds: number;
  readonly acceptedPerSecond: number;
}

export interface FleetAcceptResult {
  readonly fleet: LoadFigure & { readonly receivers: readonly string[] };
  readonly smtpSink: LoadFigure;
  /** fleet ÷ smtp-sink accepted per second. */
  readonly ratio: number;
  readonly sessions: number;
  readonly messageBytes: number;
}

interface Target {
  readonly receiverId: string;
  readonly route: Route;
  readonly recipient: string;
}

const RUN_TIMEOUT_MS = 120_000;
const PROBE_CANDIDATES_PER_RECEIVER = 3;
const PROBE_MESSAGES = 20;
/**
 * smtp-source cannot bind a source address, so it connects from 127.0.0.1: the world is built
 * with that as the sender's address, so the sim DNS publishes its PTR, A and SPF and the
 * receivers' FCrDNS and SPF checks pass, as they do for the scenario's own sender.
 */
const SMTP_SOURCE_ADDRESS = '127.0.0.1';
const SMTP_SOURCE_HELO = 'mta1.mailbench.test';

export async function measureFleetAccept(options: FleetAcceptOptions): Promise<FleetAcceptResult> {
  const fleetTour = SCENARIO_LIBRARY['fleet-tour'];
  if (fleetTour === undefined) throw new Error('the scenario library has no fleet-tour');
  const scenario = resolveScenario({
    ...fleetTour,
    sender: { ...fleetTour.sender, sourceIp: SMTP_SOURCE_ADDRESS, heloName: SMTP_SOURCE_HELO },
    receivers: { limitsOff: true },
  });
  const world = buildWorld(scenario, 'bench', new RealScheduler({ startMs: DEFAULT_EPOCH_MS }));
  const listeners = await startFleetListeners(world.fleet);
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-bench-fleet-'));
  try {
    const signed = dkimSign(
      buildMessage({
        from: world.sender.from,
        to: world.population.recipients[0] ?? '',
        dateMs: DEFAULT_EPOCH_MS,
        sequence: 1,
        seed: 'bench',
      }),
      world.sender.dkim,
    );
    const messageFile = join(dir, 'message.eml');
    writeFileSync(messageFile, signed.replace(/\r\n/g, '\n'));
    const load = { messageFile, mailFrom: scenario.sender.mailFrom, sessions: options.sessions };
    const targets = await probeTargets(world, listeners.routes, load, options.receivers);
    const fleet = await loadTargets(targets, { ...load, messages: options.messagesToFleet });
    const smtpSink = await withSmtpSink((route) =>
      loadTargets(
        targets.map((target) => ({ ...target, route })),
        { ...load, messages: options.messagesToSink },
      ),
    );
    return {
      fleet: { ...fleet, receivers: targets.map((target) => target.receiverId) },
      smtpSink,
      ratio: fleet.acceptedPerSecond / smtpSink.acceptedPerSecond,
      sessions: options.sessions,
      messageBytes: Buffer.byteLength(signed),
    };
  } finally {
    await listeners.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Load {
  readonly messageFile: string;
  readonly mailFrom: string;
  readonly sessions: number;
}

function smtpSourceArgs(load: Load, target: Target, messages: number, sessions: number): string[] {
  return [
    '-4',
    '-d',
    '-s',
    String(sessions),
    '-m',
    String(messages),
    '-F',
    load.messageFile,
    '-f',
    load.mailFrom,
    '-t',
    target.recipient,
    '-M',
    SMTP_SOURCE_HELO,
    `${target.route.address}:${target.route.port}`,
  ];
}

/** One target per receiver that accepted the signed message in a short probe, in the population's order. */
async function probeTargets(
  world: World,
  routes: ReadonlyMap<string, Route>,
  load: Load,
  wanted: number,
): Promise<Target[]> {
  const candidates = new Map<string, Target[]>();
  for (const recipient of world.population.recipients) {
    const answer = world.dns.mx(recipient.slice(recipient.indexOf('@') + 1));
    const mxHost = answer.kind === 'records' ? answer.records[0]?.exchange.toLowerCase() : undefined;
    const route = mxHost === undefined ? undefined : routes.get(mxHost);
    const receiverId = mxHost === undefined ? undefined : world.fleet.receiverForMxHost(mxHost)?.identity.id;
    if (route === undefined || receiverId === undefined) continue;
    const list = candidates.get(receiverId) ?? [];
    if (list.length < PROBE_CANDIDATES_PER_RECEIVER)
      candidates.set(receiverId, [...list, { receiverId, route, recipient }]);
  }
  const smtpSource = postfixTool('smtp-source');
  const targets: Target[] = [];
  const refusals: string[] = [];
  for (const list of candidates.values()) {
    if (targets.length >= wanted) break;
    for (const target of list) {
      try {
        await runToEnd(smtpSource, smtpSourceArgs(load, target, PROBE_MESSAGES, 1), 10_000);
        targets.push(target);
        break;
      } catch (error) {
        refusals.push(`${target.receiverId} <${target.recipient}>: ${(error as Error).message.slice(-200)}`);
      }
    }
  }
  if (targets.length < wanted)
    throw new Error(
      `only ${targets.length} of ${wanted} receivers accepted smtp-source's signed message:\n  ${refusals.join('\n  ')}`,
    );
  return targets;
}

/** One smtp-source process per target, sessions and messages split evenly; wall time from spawn to the last exit. */
async function loadTargets(
  targets: readonly Target[],
  load: Load & { readonly messages: number },
): Promise<LoadFigure> {
  const smtpSource = postfixTool('smtp-source');
  const perTarget = Math.max(1, Math.floor(load.messages / targets.length));
  const sessions = Math.max(1, Math.floor(load.sessions / targets.length));
  const startedAt = performance.now();
  await Promise.all(
    targets.map((target) => runToEnd(smtpSource, smtpSourceArgs(load, target, perTarget, sessions), RUN_TIMEOUT_MS)),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const messages = perTarget * targets.length;
  return { messages, seconds, acceptedPerSecond: messages / seconds };
}

/** smtp-sink on a free loopback port for the duration of `use`. As root it must drop to a user: postfix's. */
async function withSmtpSink<T>(use: (route: Route) => Promise<T>): Promise<T> {
  const address = '127.0.0.1';
  const port = await freePort(address);
  const child = spawn(
    postfixTool('smtp-sink'),
    ['-4', ...(process.getuid?.() === 0 ? ['-u', 'postfix'] : []), `${address}:${port}`, '256'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ended = finished(child, 'smtp-sink', 10 * RUN_TIMEOUT_MS).catch(() => undefined);
  try {
    await waitForPort(address, port);
    return await use({ address, port });
  } finally {
    child.kill('SIGTERM');
    await ended;
  }
}

async function waitForPort(address: string, port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(20);
  }
  throw new Error(`smtp-sink did not listen on ${address}:${port}`);
}
