/**
 * Wire mode against any MtaUnderTest (mta-under-test/adapters/): the same world, fleet
 * listeners, return-path inbox, timeline and scoring as `runScenario`'s wire mode, but the
 * sender is a black box the bench reaches only through `inject` and hears only through
 * `onDecision` (DESIGN rule 3). The report's `engine` names the adapter and its version.
 *
 * The MTA is told where mail goes through its environment: every recipient domain → the
 * loopback listener of its first MX host, and the sender's own domain → the return-path
 * inbox (so DSNs a relay sends to the envelope sender reach the bench).
 *
 * Records name the host they reached as the adapter knows it (Postfix: the listener's
 * address); the runner maps a listener address back to its MX host name, so scoring can tell
 * which receiver answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AccountingRecord } from '../mta-under-test/accounting.ts';
import { capabilitiesOf } from '../mta-under-test/adapters/mta-under-test.ts';
import type { LoopbackRoute, MtaEnvironment, MtaMessage, MtaUnderTest } from '../mta-under-test/adapters/mta-under-test.ts';
import type { NotCarriedOut } from '../reports/schema.ts';
import { SmtpClientTransport } from '../mta-under-test/reference/transport/smtp-client.ts';
import type { ResolvedScenario } from '../scenarios/scenario.ts';
import { DEFAULT_EPOCH_MS, HOUR_MS } from '../kernel/clock/clock.ts';
import type { EpochMs } from '../kernel/clock/clock.ts';
import { scaledScheduler } from '../kernel/clock/scaled-clock.ts';
import { createBenchCa } from '../sim/tls/bench-ca.ts';
import { startFleetListeners } from '../sim/transport/smtp-listener.ts';
import type { FleetListeners, Route } from '../sim/transport/smtp-listener.ts';
import { applyIncidents } from './incidents.ts';
import { injectionBatches, messagesOf } from './injection-schedule.ts';
import { LaterMail, smtpDelivery } from './later-mail.ts';
import { ReturnPathInbox } from './return-path-inbox.ts';
import { assembleResult, collectorFor } from './run.ts';
import type { RunProgress, RunResult } from './run.ts';
import { SENDER_INBOUND_ADDRESS } from './sender-setup.ts';
import { buildWorld } from './world.ts';
import type { World } from './world.ts';
import { watchWireRun } from './wire-bounds.ts';


/** The run's clock as an adapter built for it may need it (to date records on the run's clock). */
export interface RunClock {
  /** Now, on the run's (scaled) clock. */
  readonly nowMs: () => EpochMs;
  /** A wall-clock epoch time (an MTA's own log) → the run's clock. */
  readonly toRunTimeMs: (wallMs: number) => EpochMs;
  /** Simulated ms per real ms. */
  readonly scale: number;
}

export interface MtaRunRequest {
  readonly scenario: ResolvedScenario;
  readonly seed: string;
  /** The MTA, or a factory that gets the run's clock first (adapters that date records by the wall clock need it). */
  readonly mta: MtaUnderTest | ((clock: RunClock) => MtaUnderTest);
  readonly onProgress?: (progress: RunProgress) => void;
  /** The folder the adapter owns; @defaultValue a fresh temporary folder, removed afterwards */
  readonly workDir?: string;
}

export async function runScenarioWithMta(request: MtaRunRequest): Promise<RunResult> {
  const wallStartMs = performance.now();
  const startMs = DEFAULT_EPOCH_MS;
  const { scenario, seed } = request;
  const limits = scenario.limits;
  let taskError: unknown;
  const scheduler = scaledScheduler({ realSecondsPerSimulatedHour: limits.realSecondsPerSimulatedHour, startMs, onTaskError: (error) => (taskError ??= error) });
  const scale = HOUR_MS / (limits.realSecondsPerSimulatedHour * 1000);
  const wallAtStart = Date.now();
  const clock: RunClock = { nowMs: () => scheduler.now(), toRunTimeMs: (wallMs) => startMs + (wallMs - wallAtStart) * scale, scale };
  const mta = typeof request.mta === 'function' ? request.mta(clock) : request.mta;
  const world = buildWorld(scenario, seed, scheduler);
  const { collector, score, series, campaigns, onAccounting } = collectorFor(world, { scenario, seed, mode: 'wire' }, startMs, mta.sees);
  const ca = await createBenchCa(new Date());
  const listeners = await startFleetListeners(world.fleet, { ca, scheduler });
  const inbox = new ReturnPathInbox();
  const inboxListener = await inbox.listen(SENDER_INBOUND_ADDRESS, world.sender.inboundMxHost);
  const returnPath: LoopbackRoute = { address: SENDER_INBOUND_ADDRESS, port: inboxListener.port };
  const route = (mxHost: string): Route | undefined => (mxHost === world.sender.inboundMxHost ? returnPath : listeners.routes.get(mxHost));
  const laterMail = new LaterMail(world, inbox, smtpDelivery(world, new SmtpClientTransport(), route));
  const ownedWorkDir = request.workDir === undefined ? mkdtempSync(join(tmpdir(), `mailbench-${mta.name}-`)) : undefined;
  const workDir = request.workDir ?? ownedWorkDir ?? tmpdir();
  const environment = environmentOf(scenario, world, listeners, returnPath, workDir, scale, inbox);
  mta.onDecision((record) => onAccounting(withMxHostName(record, listeners, environment.mxHostByDomain)));
  let injectError: unknown;
  let planned: number;
  let notCarriedOut: readonly NotCarriedOut[];
  try {
    await mta.start(environment);
    const scheduled = scheduleInjection(scenario, world, seed, scheduler, mta, (error) => (injectError ??= error));
    planned = scheduled.planned;
    notCarriedOut = scheduled.notCarriedOut;
    const outcome = await watchWireRun({
      clock: scheduler,
      settle: (nowMs) => world.fleet.settle(nowMs),
      counts: () => ({ injected: collector.injectedCount, final: collector.finalCount }),
      error: () => (injectError === undefined && taskError === undefined ? undefined : { code: 'E_MTA_INJECT', message: describeError(injectError ?? taskError) }),
      planned,
      startMs,
      limits,
      onProgress: request.onProgress,
    });
    const endMs = scheduler.now();
    await laterMail.flush(endMs);
    // The MTA's DSNs for what the run saw are in flight on loopback: let the inbox read them.
    await inbox.drain();
    const failures = laterMail.deliveryFailures();
    const ending = outcome ?? (failures.length === 0 ? undefined : ({ status: 'errored', error: { code: 'E_REPORT_DELIVERY', message: `${failures.length} report mails were not delivered; first: ${failures[0]}` } } as const));
    return assembleResult({
      wallMs: performance.now() - wallStartMs,
      seed,
      mode: 'wire',
      engine: { name: mta.name, version: mta.version(), capabilities: capabilitiesOf(mta), ...(notCarriedOut.length === 0 ? {} : { notCarriedOut }) },
      scenario,
      startMs,
      endMs,
      planned,
      ...(ending === undefined ? {} : { outcome: ending }),
      collectors: { collector, score, laterMail, campaigns },
      series: series.series(endMs),
    });
  } finally {
    scheduler.cancelAll();
    await mta.stop();
    await listeners.close();
    await inboxListener.close();
    if (ownedWorkDir !== undefined) rmSync(ownedWorkDir, { recursive: true, force: true });
  }
}

/** Routes for every recipient domain the scenario mails (its first MX host's listener), the sender domain → the inbox. */
function environmentOf(scenario: ResolvedScenario, world: World, listeners: FleetListeners, returnPath: LoopbackRoute, workDir: string, clockScale: number, inbox: ReturnPathInbox): MtaEnvironment & { readonly mxHostByDomain: ReadonlyMap<string, string> } {
  const routes = new Map<string, LoopbackRoute>();
  const mxHostByDomain = new Map<string, string>();
  for (const recipient of world.population.recipients) {
    const domain = domainOf(recipient);
    if (routes.has(domain)) continue;
    const answer = world.dns.mx(domain);
    const host = answer.kind === 'records' ? answer.records[0]?.exchange : undefined;
    const listener = host === undefined ? undefined : listeners.routes.get(host);
    if (listener === undefined || host === undefined) continue;
    routes.set(domain, { address: listener.address, port: listener.port });
    mxHostByDomain.set(domain, host);
  }
  routes.set(domainOf(scenario.sender.mailFrom), returnPath);
  const egress = scenario.sender.sources.map((source) => ({ name: source.name, sourceIp: source.sourceIp, heloName: source.heloName }));
  return { routes, egress, returnPath, workDir, clockScale, mxHostByDomain, onReturnMail: (listener) => inbox.forwardTo(listener) };
}

/**
 * Each batch of the timeline handed to the MTA when it is due. A recipient whose domain has no
 * route (no MX in the world) is still injected: what the MTA does with it is its decision.
 * What the world does (outages, policy changes, traps joining the list, the sender's published
 * DKIM key breaking) applies as in runScenario, whoever the sender is. A pause is asked of the
 * MTA through its capability; an MTA without one has it recorded as not carried out, never
 * dropped silently. Returns how many messages the timeline sends, and what was not carried out.
 */
function scheduleInjection(
  scenario: ResolvedScenario,
  world: World,
  seed: string,
  scheduler: ReturnType<typeof scaledScheduler>,
  mta: MtaUnderTest,
  onError: (error: unknown) => void,
): { readonly planned: number; readonly notCarriedOut: readonly NotCarriedOut[] } {
  const owned = scenario.timeline.length > 0;
  const startMs = scheduler.now();
  // Outages, policy changes and injected traps happen in the world, whoever the sender is.
  const batches = injectionBatches(scenario, world, startMs, applyIncidents(scenario, world, startMs));
  const breaksAtMs = scenario.sender.auth.dkimBreaksAtMs;
  if (breaksAtMs !== null) scheduler.at(startMs + breaksAtMs, () => world.sender.breakDkim(scenario.sender.auth.dkimBreaksTo));
  // One injection at a time, in timeline order: an MTA sees the sends in the order they were made.
  let chain: Promise<void> = Promise.resolve();
  for (const batch of batches) {
    const inject = (): void => {
      const messages: MtaMessage[] = messagesOf(batch, scenario, world, seed, scheduler.now()).map((message) => ({
        mailFrom: message.mailFrom,
        recipients: message.recipients,
        data: message.data,
        ...(owned ? { campaign: message.campaign, ...(message.tenant === null ? {} : { tenant: message.tenant }) } : {}),
      }));
      chain = chain.then(() => mta.inject(messages)).catch(onError);
    };
    if (batch.atMs <= scheduler.now()) inject();
    else scheduler.at(batch.atMs, inject);
  }
  const notCarriedOut: NotCarriedOut[] = [];
  for (const event of scenario.timeline) {
    if (event.kind !== 'pause') continue;
    const pause = mta.pause?.bind(mta);
    if (pause === undefined) {
      notCarriedOut.push({ event: 'pause', atMs: event.atMs, forMs: event.forMs, why: `${mta.name} has no pause capability: what it had queued went on being sent (the timeline held the sends due inside the pause)` });
      continue;
    }
    // In line with the injections: a pause due with a batch comes after it, as in the timeline.
    scheduler.at(startMs + event.atMs, () => {
      chain = chain.then(() => pause({ durationMs: event.forMs, reason: 'the scenario pauses the sender' })).catch(onError);
    });
  }
  return { planned: batches.reduce((total, batch) => total + batch.recipients.length, 0), notCarriedOut };
}

/**
 * An MTA names the host it reached in its own words (Postfix: the listener's address; the
 * reference process: the name its configuration gave). A host the fleet does not know is the
 * route the runner gave the recipient's domain, whose MX host scoring knows.
 */
function withMxHostName(record: AccountingRecord, listeners: FleetListeners, mxHostByDomain: ReadonlyMap<string, string>): AccountingRecord {
  if (!('mxHost' in record) || listeners.routes.has(record.mxHost)) return record;
  const host = mxHostByDomain.get(domainOf(record.recipient));
  return host === undefined ? record : { ...record, mxHost: host, site: host };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
