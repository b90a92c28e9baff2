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
import { SmtpClientTransport } from '../mta-under-test/reference/transport/smtp-client.ts';
import { REPORT_SCHEMA_VERSION } from '../reports/schema.ts';
import type { Outcome, ReportV1, RunMode, WallTiming } from '../reports/schema.ts';
import type { RunSeries } from '../reports/series.ts';
import type { ResolvedScenario } from '../scenarios/scenario.ts';
import { DEFAULT_EPOCH_MS, MINUTE_MS } from '../kernel/clock/clock.ts';
import type { EpochMs, Scheduler } from '../kernel/clock/clock.ts';
import { scaledScheduler } from '../kernel/clock/scaled-clock.ts';
import { VirtualScheduler } from '../kernel/clock/virtual-scheduler.ts';
import { InProcessTransport } from '../sim/transport/in-process.ts';
import { createBenchCa } from '../sim/tls/bench-ca.ts';
import { startFleetListeners } from '../sim/transport/smtp-listener.ts';
import type { Route } from '../sim/transport/smtp-listener.ts';
import type { Transport } from '../kernel/transport/transport.ts';
import { watchWireRun } from './wire-bounds.ts';
import { RunCollector } from './collector.ts';
import type { SenderVisibility } from './collector.ts';
import type { TruthRecord } from '../sim/truth/truth-record.ts';
import { SeriesCollector } from './series-collector.ts';
import { CampaignCollector } from './campaign-collector.ts';
import { ClassificationScore } from './classification-score.ts';
import { engineConfigOf, hygieneOf } from './engine-config.ts';
import { LaterMail, inProcessDelivery, smtpDelivery } from './later-mail.ts';
import { injectionBatches, messagesOf } from './injection-schedule.ts';
import type { InjectionBatch } from './injection-schedule.ts';
import { applyIncidents } from './incidents.ts';
import { feedReportIntake } from '../mta-under-test/adapters/reference/report-feed.ts';
import { placementOf, policyFor } from './placement-policy.ts';
import { failedExpectations } from '../scenarios/expectations.ts';
import { ReturnPathInbox } from './return-path-inbox.ts';
import { SENDER_INBOUND_ADDRESS } from './sender-setup.ts';
import { buildWorld } from './world.ts';
import type { World } from './world.ts';

/** The seed a run uses when none is given; printed with every run so it can be replayed. */
export const DEFAULT_SEED = '1';

/** Sim mode stops after this many scheduled tasks even if simulated time remains. */
const SIM_TASKS_MAX = 5_000_000;
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
  /** Called as the run goes: wire mode a few times a second, sim mode every 15 simulated minutes. */
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
  const { collector, score, laterMail, series, campaigns, ...ending } = request.mode === 'sim' ? await runSim(request, startMs) : await runWire(request, startMs);
  return assembleResult({
    wallMs: performance.now() - wallStartMs,
    seed: request.seed,
    mode: request.mode,
    // The reference engine carries out every timeline event itself (a pause suspends its sources).
    engine: { name: 'reference', version: TOOL_VERSION, policy: request.engine ?? 'reference', capabilities: ['pause', 'decisions: every attempt'] },
    scenario: request.scenario,
    startMs,
    endMs: ending.endMs,
    planned: ending.planned,
    ...(ending.outcome === undefined ? {} : { outcome: ending.outcome }),
    collectors: { collector, score, laterMail, campaigns },
    series: plannedPerBucket(series.series(ending.endMs), ending.batches, request.scenario),
  });
}

/** What a finished run hands over to become its report. */
export interface RunParts {
  readonly wallMs: number;
  readonly seed: string;
  readonly mode: ReportV1['mode'];
  readonly engine: ReportV1['engine'];
  readonly scenario: ResolvedScenario;
  readonly startMs: EpochMs;
  readonly endMs: EpochMs;
  /** How many messages the timeline sent (the judge's count of receptions to expect). */
  readonly planned: number;
  /** How the run ended when it did not simply finish (a limit, an error). */
  readonly outcome?: Outcome;
  readonly collectors: { readonly collector: RunCollector; readonly score: ClassificationScore; readonly laterMail: Pick<LaterMail, 'figures'>; readonly campaigns: CampaignCollector };
  readonly series: NonNullable<ReportV1['series']>;
}

/** The report and wall timing of a run, whichever driver ran it (runScenario, runScenarioWithMta). */
export function assembleResult(parts: RunParts): RunResult {
  const { collector, score, laterMail, campaigns } = parts.collectors;
  const campaignFigures = campaigns.figures();
  const figures = {
    ...collector.figures(parts.endMs - parts.startMs),
    later: laterMail.figures(),
    classification: score.figures(),
    ...(campaignFigures.length === 0 ? {} : { campaigns: campaignFigures }),
  };
  const draft: ReportV1 = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mailbench', version: TOOL_VERSION },
    seed: parts.seed,
    mode: parts.mode,
    engine: parts.engine,
    scenario: parts.scenario,
    outcome: parts.outcome ?? judge(figures, parts.planned),
    clock: { startMs: parts.startMs, endMs: parts.endMs },
    figures,
    series: parts.series,
  };
  const wallSeconds = Math.max(parts.wallMs, 1) / 1000;
  const timing: WallTiming = {
    wallMs: Math.round(parts.wallMs),
    acceptedPerWallSecond: Math.round(figures.messages.delivered / wallSeconds),
    attemptsPerWallSecond: Math.round(figures.attempts.total / wallSeconds),
  };
  return { report: withExpectations(draft, parts.scenario), timing };
}

/** How a mode's drive loop ended: the run clock, and an outcome if it did not simply finish. */
interface Ending {
  readonly endMs: EpochMs;
  /** How many messages the timeline handed to the engine, and in which batches. */
  readonly planned: number;
  readonly batches: readonly InjectionBatch[];
  readonly outcome?: Outcome;
  readonly collector: RunCollector;
  readonly score: ClassificationScore;
  readonly laterMail: LaterMail;
  readonly series: SeriesCollector;
  readonly campaigns: CampaignCollector;
}

/** The collector of a world: it learns from the fleet which receiver answers at an MX host. */
export function collectorFor(
  world: World,
  request: RunRequest,
  startMs: EpochMs,
  sees: SenderVisibility = 'attempts',
): { collector: RunCollector; score: ClassificationScore; series: SeriesCollector; campaigns: CampaignCollector; onAccounting: (record: AccountingRecord) => void } {
  const score = new ClassificationScore((id) => world.fleet.receivers.find((receiver) => receiver.identity.id === id)?.identity.kind);
  const collector = new RunCollector((mxHost) => world.fleet.receiverForMxHost(mxHost)?.identity.id, score.onPair, sees);
  world.truth.subscribe(collector.onTruth);
  world.truth.subscribe(score.onTruth);
  const series = new SeriesCollector({ startMs, fleet: world.fleet, sources: request.scenario.sender.sources });
  world.truth.subscribe(series.onTruth);
  const observers = request.observers;
  if (observers?.truth !== undefined) world.truth.subscribe(observers.truth);
  const campaigns = new CampaignCollector();
  const onAccounting = (record: AccountingRecord): void => {
    collector.onAccounting(record);
    campaigns.onAccounting(record);
    score.onAccounting(record);
    series.onAccounting(record);
    observers?.accounting?.(record);
  };
  return { collector, score, series, campaigns, onAccounting };
}

async function runSim(request: RunRequest, startMs: EpochMs): Promise<Ending> {
  const scheduler = new VirtualScheduler(startMs);
  const world = buildWorld(request.scenario, request.seed, scheduler);
  const { collector, score, series, campaigns, onAccounting } = collectorFor(world, request, startMs);
  const inbox = new ReturnPathInbox();
  const laterMail = new LaterMail(world, inbox, inProcessDelivery(inbox));
  const transport = new InProcessTransport(world.fleet);
  const engine = createEngine(request, world, scheduler, transport, onAccounting, (mxHost) => {
    const answer = world.dns.a(mxHost);
    const address = answer.kind === 'records' ? answer.records[0] : undefined;
    return address === undefined ? undefined : { address, port: SIM_SMTP_PORT };
  });
  const intake = engineIntake(inbox, engine, scheduler);
  const batches = injectPopulation(request, world, engine, scheduler);
  const planned = batches.reduce((total, batch) => total + batch.recipients.length, 0);
  // Complaints and later bounces reach the engine while it sends: a virtual task lets the
  // receivers send what is due and waits for every report to be read and taken in, so the
  // run stays a function of its seed; it stops once the engine has nothing left.
  const carryReports = async (): Promise<void> => {
    request.onProgress?.({ injected: collector.injectedCount, final: collector.finalCount, clockMs: scheduler.now() });
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
  if (collector.finalCount === collector.injectedCount) return { endMs, planned, batches, collector, score, laterMail, series, campaigns };
  const reason =
    result.state === 'reached-task-limit'
      ? `the run reached its bound of ${SIM_TASKS_MAX.toLocaleString('en-US')} scheduled tasks`
      : result.state === 'reached-time'
        ? `the run reached its simulated duration limit (limits.simulatedDurationMaxMs = ${request.scenario.limits.simulatedDurationMaxMs})`
        : 'the engine went idle with messages neither delivered, bounced nor expired';
  return { endMs, planned, batches, outcome: { status: 'interrupted', reason, atMs: endMs }, collector, score, laterMail, series, campaigns };
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
  const { collector, score, series, campaigns, onAccounting } = collectorFor(world, request, startMs);
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
  try {
    const batches = injectPopulation(request, world, engine, scheduler);
    const planned = batches.reduce((total, batch) => total + batch.recipients.length, 0);
    const outcome = await watchWireRun({
      clock: scheduler,
      settle: (nowMs) => world.fleet.settle(nowMs),
      counts: () => ({ injected: collector.injectedCount, final: collector.finalCount }),
      error: () => (taskError === undefined ? undefined : { code: 'E_ENGINE_TASK', message: describeError(taskError) }),
      planned,
      startMs,
      limits,
      onProgress: request.onProgress,
    });
    intake.stop();
    const endMs = scheduler.now();
    await laterMail.flush(endMs);
    const failures = laterMail.deliveryFailures();
    const ending = outcome ?? (failures.length === 0 ? undefined : ({ status: 'errored', error: { code: 'E_REPORT_DELIVERY', message: `${failures.length} report mails were not delivered; first: ${failures[0]}` } } as const));
    return ending === undefined ? { endMs, planned, batches, collector, score, laterMail, series, campaigns } : { endMs, planned, batches, outcome: ending, collector, score, laterMail, series, campaigns };
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
  return feedReportIntake({ engine, clock, subscribe: (listener) => inbox.forwardTo(listener) });
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
    policy: policyFor(request.engine ?? 'reference', placementOf(request.scenario, scheduler.now())),
    onRecord,
  });
}

/**
 * Each batch of the timeline handed to the engine when it is due, on the run's clock; a pause
 * also holds what the engine has queued (every source suspended for its length).
 */
function injectPopulation(request: RunRequest, world: World, engine: ReferenceEngine, scheduler: Scheduler): readonly InjectionBatch[] {
  const startMs = scheduler.now();
  const scenario = request.scenario;
  // A scenario without a timeline keeps its messages unowned, as before timelines existed.
  const owned = scenario.timeline.length > 0;
  const batches = injectionBatches(scenario, world, startMs, applyIncidents(scenario, world, startMs));
  for (const batch of batches) {
    const inject = (): void => {
      for (const message of messagesOf(batch, scenario, world, request.seed, scheduler.now())) {
        const owner = owned ? { campaign: message.campaign, ...(message.tenant === null ? {} : { tenant: message.tenant }) } : undefined;
        engine.inject({ mailFrom: message.mailFrom, recipients: message.recipients, data: message.data, ...(owner === undefined ? {} : { owner }) });
      }
    };
    if (batch.atMs <= scheduler.now()) inject();
    else scheduler.at(batch.atMs, inject);
  }
  const breaksAtMs = scenario.sender.auth.dkimBreaksAtMs;
  if (breaksAtMs !== null) scheduler.at(startMs + breaksAtMs, () => world.sender.breakDkim(scenario.sender.auth.dkimBreaksTo));
  for (const event of scenario.timeline) {
    if (event.kind !== 'pause') continue;
    scheduler.at(startMs + event.atMs, () => {
      for (const source of scenario.sender.sources) engine.suspend({ source: source.name }, { durationMs: event.forMs, reason: 'the scenario pauses the sender' });
    });
  }
  return batches;
}

/** Messages planned per series bucket, for a scenario with a timeline (the chart's plan line). */
function plannedPerBucket(series: RunSeries, batches: readonly InjectionBatch[], scenario: ResolvedScenario): RunSeries {
  if (scenario.timeline.length === 0) return series;
  const planned = new Array<number>(series.bucketCount).fill(0);
  for (const batch of batches) {
    const bucket = Math.floor((batch.atMs - series.firstBucketStartMs) / series.bucketWidthMs);
    if (bucket >= 0 && bucket < planned.length) planned[bucket] = (planned[bucket] ?? 0) + batch.recipients.length;
  }
  return { ...series, planned };
}

/** The checks every run makes; a finished run passes when all hold. */
export function judge(figures: ReportV1['figures'], planned: number): Outcome {
  const failedChecks: string[] = [];
  if (figures.messages.injected !== planned) {
    failedChecks.push(`the engine reported ${figures.messages.injected} receptions for ${planned} messages the timeline sent`);
  }
  if (figures.messages.inFlight !== 0) failedChecks.push(`${figures.messages.inFlight} messages are not final`);
  if (figures.attempts.truthWithoutAttempt !== 0) {
    failedChecks.push(`${figures.attempts.truthWithoutAttempt} receiver decisions have no matching sender attempt`);
  }
  return failedChecks.length === 0 ? { status: 'passed' } : { status: 'failed', failedChecks };
}

/** A finished run that misses one of the scenario's expectations fails, each miss named. */
export function withExpectations(report: ReportV1, scenario: ResolvedScenario): ReportV1 {
  if (report.outcome.status !== 'passed' && report.outcome.status !== 'failed') return report;
  const missed = failedExpectations(report, scenario.expect);
  if (missed.length === 0) return report;
  const earlier = report.outcome.status === 'failed' ? report.outcome.failedChecks : [];
  return { ...report, outcome: { status: 'failed', failedChecks: [...earlier, ...missed] } };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readToolVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
