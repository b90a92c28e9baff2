/**
 * Runs one scenario against the reference engine and returns the report.
 *
 * Both modes build the same world and the same engine and differ only in two seams:
 * - sim: a virtual clock and the in-process transport. No sockets, no waiting; the report is
 *   a pure function of (scenario, seed).
 * - wire: a scaled real clock, one smtp-server listener per receiver on 127.0.1.x, and the
 *   engine's own SMTP client (nodemailer's connection layer) bound to the scenario's
 *   loopback source address.
 *
 * Every run is bounded: in simulated time (the scenario's limit), in scheduled tasks (sim)
 * and in real time (wire). A run that hits a bound ends as `interrupted`, with the messages
 * still in flight counted in the report.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { AccountingRecord } from '../mta-under-test/accounting.ts';
import { ReferenceEngine } from '../mta-under-test/reference/core/engine.ts';
import { zoneResolver } from '../mta-under-test/reference/core/resolver.ts';
import { basicPolicy } from '../mta-under-test/reference/core/policy.ts';
import { referencePolicy } from '../mta-under-test/reference/policy/reference-policy.ts';
import { ReportIntake } from '../mta-under-test/reference/inbound/intake.ts';
import { readInboundReport } from '../mta-under-test/reference/inbound/read-report.ts';
import { SmtpClientTransport } from '../mta-under-test/reference/transport/smtp-client.ts';
import { REPORT_SCHEMA_VERSION } from '../reports/schema.ts';
import type { Outcome, ReportV1, RunMode, WallTiming } from '../reports/schema.ts';
import type { ResolvedScenario } from '../scenarios/scenario.ts';
import { DEFAULT_EPOCH_MS, MINUTE_MS } from '../sim/clock/clock.ts';
import type { EpochMs, Scheduler } from '../sim/clock/clock.ts';
import { scaledScheduler } from '../sim/clock/scaled-clock.ts';
import { VirtualScheduler } from '../sim/clock/virtual-scheduler.ts';
import { InProcessTransport } from '../sim/transport/in-process.ts';
import { createBenchCa } from '../sim/tls/bench-ca.ts';
import { startFleetListeners } from '../sim/transport/smtp-listener.ts';
import type { Route } from '../sim/transport/smtp-listener.ts';
import type { Transport } from '../sim/transport/transport.ts';
import { RunCollector } from './collector.ts';
import type { TruthRecord } from '../sim/truth/truth-record.ts';
import { SeriesCollector } from './series-collector.ts';
import { ClassificationScore } from './classification-score.ts';
import { engineConfigOf, hygieneOf } from './engine-config.ts';
import { LaterMail, inProcessDelivery, smtpDelivery } from './later-mail.ts';
import { buildMessage } from './message.ts';
import { ReturnPathInbox } from './return-path-inbox.ts';
import { SENDER_INBOUND_ADDRESS } from './sender-setup.ts';
import { buildWorld } from './world.ts';
import type { World } from './world.ts';

/** The seed a run uses when none is given; printed with every run so it can be replayed. */
export const DEFAULT_SEED = '1';

/** Sim mode stops after this many scheduled tasks even if simulated time remains. */
const SIM_TASKS_MAX = 5_000_000;
/** Wire mode checks its bounds and reports progress this often (real milliseconds). */
const WIRE_WATCH_INTERVAL_MS = 250;
/** The SMTP port receivers listen on in sim mode's DNS; wire mode uses ephemeral ports. */
const SIM_SMTP_PORT = 25;

/**
 * Which sender runs: the reference engine with its full judgment (bogus-bounce detection,
 * adaptive throttling: `reference`), or the same engine with the generic policy of a careful
 * sender that believes every answer (`generic`), the baseline the judgment is measured against.
 */
export type EngineChoice = 'reference' | 'generic';
export const ENGINE_CHOICES: readonly EngineChoice[] = ['reference', 'generic'];

export interface RunRequest {
  readonly scenario: ResolvedScenario;
  readonly seed: string;
  readonly mode: RunMode;
  /** @defaultValue 'reference' */
  readonly engine?: EngineChoice;
  /** See every accounting record and every truth record as the run makes them (tests, tools); they observe, never steer. */
  readonly observers?: { readonly accounting?: (record: AccountingRecord) => void; readonly truth?: (truth: TruthRecord) => void };
  /** Wire mode: called a few times a second with how far the run is. */
  readonly onProgress?: (progress: RunProgress) => void;
}

export interface RunProgress {
  readonly injected: number;
  readonly final: number;
  readonly clockMs: EpochMs;
}

export interface RunResult {
  readonly report: ReportV1;
  readonly timing: WallTiming;
}

export const TOOL_VERSION = readToolVersion();

export async function runScenario(request: RunRequest): Promise<RunResult> {
  const wallStartMs = performance.now();
  const startMs = DEFAULT_EPOCH_MS;
  const { collector, score, laterMail, series, ...ending } = request.mode === 'sim' ? await runSim(request, startMs) : await runWire(request, startMs);
  const wallMs = performance.now() - wallStartMs;
  const figures = { ...collector.figures(ending.endMs - startMs), later: laterMail.figures(), classification: score.figures() };
  const report: ReportV1 = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mailbench', version: TOOL_VERSION },
    seed: request.seed,
    mode: request.mode,
    engine: { name: 'reference', version: TOOL_VERSION, policy: request.engine ?? 'reference' },
    scenario: request.scenario,
    outcome: ending.outcome ?? judge(figures, request.scenario),
    clock: { startMs, endMs: ending.endMs },
    figures,
    series: series.series(ending.endMs),
  };
  const wallSeconds = Math.max(wallMs, 1) / 1000;
  const timing: WallTiming = {
    wallMs: Math.round(wallMs),
    acceptedPerWallSecond: Math.round(figures.messages.delivered / wallSeconds),
    attemptsPerWallSecond: Math.round(figures.attempts.total / wallSeconds),
  };
  return { report, timing };
}

/** How a mode's drive loop ended: the run clock, and an outcome if it did not simply finish. */
interface Ending {
  readonly endMs: EpochMs;
  readonly outcome?: Outcome;
  readonly collector: RunCollector;
  readonly score: ClassificationScore;
  readonly laterMail: LaterMail;
  readonly series: SeriesCollector;
}

/** The collector of a world: it learns from the fleet which receiver answers at an MX host. */
function collectorFor(world: World, request: RunRequest, startMs: EpochMs): { collector: RunCollector; score: ClassificationScore; series: SeriesCollector; onAccounting: (record: AccountingRecord) => void } {
  const score = new ClassificationScore((id) => world.fleet.receivers.find((receiver) => receiver.identity.id === id)?.identity.kind);
  const collector = new RunCollector((mxHost) => world.fleet.receiverForMxHost(mxHost)?.identity.id, score.onPair);
  world.truth.subscribe(collector.onTruth);
  world.truth.subscribe(score.onTruth);
  const series = new SeriesCollector({ startMs, fleet: world.fleet, sources: request.scenario.sender.sources });
  world.truth.subscribe(series.onTruth);
  const observers = request.observers;
  if (observers?.truth !== undefined) world.truth.subscribe(observers.truth);
  const onAccounting = (record: AccountingRecord): void => {
    collector.onAccounting(record);
    score.onAccounting(record);
    series.onAccounting(record);
    observers?.accounting?.(record);
  };
  return { collector, score, series, onAccounting };
}

async function runSim(request: RunRequest, startMs: EpochMs): Promise<Ending> {
  const scheduler = new VirtualScheduler(startMs);
  const world = buildWorld(request.scenario, request.seed, scheduler);
  const { collector, score, series, onAccounting } = collectorFor(world, request, startMs);
  const inbox = new ReturnPathInbox();
  const laterMail = new LaterMail(world, inbox, inProcessDelivery(inbox));
  const transport = new InProcessTransport(world.fleet);
  const engine = createEngine(request, world, scheduler, transport, onAccounting, (mxHost) => {
    const answer = world.dns.a(mxHost);
    const address = answer.kind === 'records' ? answer.records[0] : undefined;
    return address === undefined ? undefined : { address, port: SIM_SMTP_PORT };
  });
  const intake = engineIntake(inbox, engine, scheduler);
  injectPopulation(request, world, engine, scheduler);
  // Complaints and later bounces reach the engine while it sends: a virtual task lets the
  // receivers send what is due and waits for every report to be read and taken in, so the
  // run stays a function of its seed; it stops once the engine has nothing left.
  const carryReports = async (): Promise<void> => {
    await laterMail.flush(scheduler.now());
    if (!engine.idle) scheduler.at(scheduler.now() + REPORT_INTERVAL_MS, carryReports);
  };
  scheduler.at(startMs + REPORT_INTERVAL_MS, carryReports);
  const untilMs = startMs + request.scenario.limits.simulatedDurationMaxMs;
  const result = await scheduler.run({ untilMs, maxTasks: SIM_TASKS_MAX });
  intake.stop();
  await engine.shutdown();
  const endMs = scheduler.now();
  await laterMail.flush(endMs);
  if (collector.finalCount === collector.injectedCount) return { endMs, collector, score, laterMail, series };
  const reason =
    result.state === 'reached-task-limit'
      ? `the run reached its bound of ${SIM_TASKS_MAX.toLocaleString('en-US')} scheduled tasks`
      : result.state === 'reached-time'
        ? `the run reached its simulated duration limit (limits.simulatedDurationMaxMs = ${request.scenario.limits.simulatedDurationMaxMs})`
        : 'the engine went idle with messages neither delivered, bounced nor expired';
  return { endMs, outcome: { status: 'interrupted', reason, atMs: endMs }, collector, score, laterMail, series };
}

async function runWire(request: RunRequest, startMs: EpochMs): Promise<Ending> {
  const limits = request.scenario.limits;
  let taskError: unknown;
  const scheduler = scaledScheduler({
    realSecondsPerSimulatedHour: limits.realSecondsPerSimulatedHour,
    startMs,
    onTaskError: (error) => {
      taskError ??= error;
    },
  });
  const world = buildWorld(request.scenario, request.seed, scheduler);
  const { collector, score, series, onAccounting } = collectorFor(world, request, startMs);
  // Receivers offer STARTTLS with leaves from a fresh bench CA, dated by the real clock
  // (TLS checks real time); the engine's client trusts it.
  const ca = await createBenchCa(new Date());
  const listeners = await startFleetListeners(world.fleet, { ca, scheduler });
  const inbox = new ReturnPathInbox();
  const inboxListener = await inbox.listen(SENDER_INBOUND_ADDRESS, world.sender.inboundMxHost);
  const route = (mxHost: string): Route | undefined =>
    mxHost === world.sender.inboundMxHost ? { address: SENDER_INBOUND_ADDRESS, port: inboxListener.port } : listeners.routes.get(mxHost);
  const laterMail = new LaterMail(world, inbox, smtpDelivery(world, new SmtpClientTransport(), route));
  const engine = createEngine(request, world, scheduler, new SmtpClientTransport({ ca: ca.certificate }), onAccounting, route);
  const intake = engineIntake(inbox, engine, scheduler);
  const realStartMs = performance.now();
  try {
    injectPopulation(request, world, engine, scheduler);
    const outcome = await new Promise<Outcome | undefined>((resolve) => {
      const watch = setInterval(() => {
        const nowMs = scheduler.now();
        request.onProgress?.({ injected: collector.injectedCount, final: collector.finalCount, clockMs: nowMs });
        // Receivers send what is due even when no one connects to them.
        world.fleet.settle(nowMs);
        let ended: Outcome | undefined | null = null;
        if (taskError !== undefined) {
          ended = { status: 'errored', error: { code: 'E_ENGINE_TASK', message: describeError(taskError) } };
        } else if (collector.finalCount === collector.injectedCount) {
          ended = undefined;
        } else if (performance.now() - realStartMs > limits.realDurationMaxMs) {
          ended = { status: 'interrupted', reason: `the run reached its real-time limit (limits.realDurationMaxMs = ${limits.realDurationMaxMs})`, atMs: nowMs };
        } else if (nowMs - startMs > limits.simulatedDurationMaxMs) {
          ended = { status: 'interrupted', reason: `the run reached its simulated duration limit (limits.simulatedDurationMaxMs = ${limits.simulatedDurationMaxMs})`, atMs: nowMs };
        }
        if (ended === null) return;
        clearInterval(watch);
        resolve(ended);
      }, WIRE_WATCH_INTERVAL_MS);
    });
    intake.stop();
    const endMs = scheduler.now();
    await laterMail.flush(endMs);
    const failures = laterMail.deliveryFailures();
    const ending = outcome ?? (failures.length === 0 ? undefined : ({ status: 'errored', error: { code: 'E_REPORT_DELIVERY', message: `${failures.length} report mails were not delivered; first: ${failures[0]}` } } as const));
    return ending === undefined ? { endMs, collector, score, laterMail, series } : { endMs, outcome: ending, collector, score, laterMail, series };
  } finally {
    scheduler.cancelAll();
    await engine.shutdown();
    await listeners.close();
    await inboxListener.close();
  }
}

/** How often, in sim mode, the receivers' reports are carried to the sender while it runs. */
const REPORT_INTERVAL_MS = 15 * MINUTE_MS;

/**
 * The reference engine's report intake behind the sender domain's MX (the return-path inbox):
 * DSNs and complaints joined to its messages, on its record, acted upon (a complaint suppresses).
 * Reports that arrive once the run has ended are counted by the inbox only.
 */
function engineIntake(inbox: ReturnPathInbox, engine: ReferenceEngine, clock: Scheduler): { stop(): void } {
  let open = true;
  const intake = new ReportIntake({ lookup: { byMessageId: (id) => engine.knownMessage(id) }, clock, onRecord: (record) => engine.takeInbound(record) });
  inbox.forwardTo(async (raw, envelopeRecipient) => {
    if (!open) return;
    const report = await readInboundReport(raw, envelopeRecipient === undefined ? {} : { envelopeRecipient });
    if (open) intake.take(report);
  });
  return {
    stop: () => {
      open = false;
    },
  };
}

function createEngine(
  request: RunRequest,
  world: World,
  scheduler: Scheduler,
  transport: Transport,
  onRecord: (record: AccountingRecord) => void,
  route: (mxHost: string) => { address: string; port: number } | undefined,
): ReferenceEngine {
  const { egress, shaping } = engineConfigOf(request.scenario);
  return new ReferenceEngine({
    scheduler,
    rng: world.rng.fork('engine'),
    transport,
    resolver: zoneResolver(world.dns, route),
    egress,
    shaping,
    hygiene: hygieneOf(world.sender.dkim),
    policy: request.engine === 'generic' ? basicPolicy() : referencePolicy(),
    onRecord,
  });
}

/** Every recipient gets one message, all handed to the engine when the run starts. */
function injectPopulation(request: RunRequest, world: World, engine: ReferenceEngine, scheduler: Scheduler): void {
  const mailFrom = request.scenario.sender.mailFrom;
  world.population.recipients.forEach((recipient, index) => {
    const data = buildMessage({ from: world.sender.from, to: recipient, dateMs: scheduler.now(), sequence: index + 1, seed: request.seed });
    engine.inject({ mailFrom, recipients: [recipient], data });
  });
}

/** The checks every run makes; a finished run passes when all hold. */
function judge(figures: ReportV1['figures'], scenario: ResolvedScenario): Outcome {
  const failedChecks: string[] = [];
  if (figures.messages.injected !== scenario.population.recipients) {
    failedChecks.push(`the engine reported ${figures.messages.injected} receptions for ${scenario.population.recipients} recipients`);
  }
  if (figures.messages.inFlight !== 0) failedChecks.push(`${figures.messages.inFlight} messages are not final`);
  if (figures.attempts.truthWithoutAttempt !== 0) {
    failedChecks.push(`${figures.attempts.truthWithoutAttempt} receiver decisions have no matching sender attempt`);
  }
  return failedChecks.length === 0 ? { status: 'passed' } : { status: 'failed', failedChecks };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readToolVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
