/**
 * Runs one scenario against the reference engine and returns the report.
 *
 * The engine is driven as every sender is, through MtaUnderTest (drive.ts): here the
 * referenceInProcess adapter on the run's own scheduler, transport and DNS. Both modes build the
 * same world and differ only in two seams:
 * - sim: a virtual clock and the in-process transport. No sockets, no waiting; the report is
 *   a pure function of (scenario, seed).
 * - wire: a scaled real clock, one smtp-server listener per receiver on 127.0.1.x (the wire
 *   harness, wire-harness.ts), and the engine's own SMTP client (nodemailer's connection
 *   layer) bound to the scenario's loopback source address.
 *
 * Every run is bounded: in simulated time (the scenario's limit), in scheduled tasks (sim)
 * and in real time (wire). A run that hits a bound ends as `interrupted`, with the messages
 * still in flight counted in the report.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { capabilitiesOf, PolicyHookError, SmtpClientTransport, zoneResolver } from '../mta-under-test/index.ts';
import type { AccountingRecord } from '../mta-under-test/index.ts';
import { REPORT_SCHEMA_VERSION } from '../reports/index.ts';
import type { AuthenticationFigures, Outcome, ReportV1, RunMode, RunSeries, WallTiming } from '../reports/index.ts';
import { failedExpectations } from '../scenarios/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS, HOUR_MS, scaledScheduler, VirtualScheduler } from '../kernel/index.ts';
import type { EpochMs } from '../kernel/index.ts';
import { InProcessTransport } from '../sim/index.ts';
import type { TruthRecord } from '../sim/index.ts';
import { RunCollector } from './collector.ts';
import type { SenderVisibility } from './collector.ts';
import { SeriesCollector } from './series-collector.ts';
import { CampaignCollector } from './campaign-collector.ts';
import { ClassificationScore } from './classification-score.ts';
import { driveRun } from './drive.ts';
import type { DriveEnding } from './drive.ts';
import { LaterMail, inProcessDelivery } from './later-mail.ts';
import type { InjectionBatch } from './injection-schedule.ts';
import { SIM_SMTP_PORT, simEnvironment, wireEnvironment } from './mta-environment.ts';
import { ReturnPathInbox } from './return-path-inbox.ts';
import { startWireHarness } from './wire-harness.ts';
import { policyNameOf, referenceEngineFor } from './reference-engine.ts';
import type { EngineChoice, ReferenceEngineSpec } from './engine-spec.ts';
import { buildWorld } from './world.ts';
import type { World } from './world.ts';

/** The seed a run uses when none is given; printed with every run so it can be replayed. */
export const DEFAULT_SEED = '1';

/**
 * Which sender runs: the reference engine with its full judgment (bogus-bounce detection,
 * adaptive throttling: `reference`), the same engine with the generic policy of a careful
 * sender that believes every answer (`generic`, the baseline the judgment is measured against),
 * or the engine with a policy of the user's (`reference({ policy })`, engine-spec.ts).
 */
export type ReferenceEngine = EngineChoice | ReferenceEngineSpec;

export interface RunRequest {
  readonly scenario: ResolvedScenario;
  readonly seed: string;
  readonly mode: RunMode;
  /** @defaultValue 'reference' */
  readonly engine?: ReferenceEngine;
  /** See every accounting record and every truth record as the run makes them (tests, tools); they observe, never steer. */
  readonly observers?: {
    readonly accounting?: (record: AccountingRecord) => void;
    readonly truth?: (truth: TruthRecord) => void;
  };
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
  /** Sim mode: the work the run did, the same for the same seed (the bench gates it exactly). */
  readonly work?: SimWork;
}

/** Counts of a sim run's work: not in the report (they describe the simulator, not the sender). */
export interface SimWork {
  readonly tasksScheduled: number;
  readonly tasksRun: number;
  readonly connections: number;
  readonly transactions: number;
  readonly dataBytes: number;
}

export const TOOL_VERSION = readToolVersion();

export async function runScenario(request: RunRequest): Promise<RunResult> {
  const wallStartMs = performance.now();
  const startMs = DEFAULT_EPOCH_MS;
  const { collector, score, laterMail, series, campaigns, authentication, work, ...ending } =
    request.mode === 'sim' ? await runSim(request, startMs) : await runWire(request, startMs);
  const result = assembleResult({
    wallMs: performance.now() - wallStartMs,
    seed: request.seed,
    mode: request.mode,
    engine: {
      name: 'reference',
      version: TOOL_VERSION,
      policy: policyNameOf(request.engine ?? 'reference'),
      capabilities: ending.capabilities,
      ...(ending.notCarriedOut.length === 0 ? {} : { notCarriedOut: ending.notCarriedOut }),
    },
    scenario: request.scenario,
    startMs,
    endMs: ending.endMs,
    planned: ending.planned,
    ...(ending.outcome === undefined ? {} : { outcome: ending.outcome }),
    collectors: { collector, score, laterMail, campaigns },
    authentication,
    series: plannedPerBucket(series.series(ending.endMs), ending.batches, request.scenario),
  });
  return work === undefined ? result : { ...result, work };
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
  readonly collectors: {
    readonly collector: RunCollector;
    readonly score: ClassificationScore;
    readonly laterMail: Pick<LaterMail, 'figures'>;
    readonly campaigns: CampaignCollector;
  };
  readonly series: NonNullable<ReportV1['series']>;
  /** Who judged authentication (and, in sim mode, how far mailauth checked it). */
  readonly authentication: AuthenticationFigures;
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
    authentication: parts.authentication,
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

/** How a mode's run ended, with what it collected. */
interface Ending extends DriveEnding {
  readonly capabilities: readonly string[];
  readonly collector: RunCollector;
  readonly score: ClassificationScore;
  readonly laterMail: LaterMail;
  readonly series: SeriesCollector;
  readonly campaigns: CampaignCollector;
  readonly authentication: AuthenticationFigures;
  readonly work?: SimWork;
}

/** The collector of a world: it learns from the fleet which receiver answers at an MX host. */
export function collectorFor(
  world: World,
  request: RunRequest,
  startMs: EpochMs,
  sees: SenderVisibility = 'attempts',
): {
  collector: RunCollector;
  score: ClassificationScore;
  series: SeriesCollector;
  campaigns: CampaignCollector;
  onAccounting: (record: AccountingRecord) => void;
} {
  const score = new ClassificationScore(
    (id) => world.fleet.receivers.find((receiver) => receiver.identity.id === id)?.identity.kind,
  );
  const collector = new RunCollector(
    (mxHost) => world.fleet.receiverForMxHost(mxHost)?.identity.id,
    score.onPair,
    sees,
  );
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
  const collected = collectorFor(world, request, startMs);
  const inbox = new ReturnPathInbox();
  const laterMail = new LaterMail(world, inbox, inProcessDelivery(inbox));
  const simRoute = (mxHost: string): { address: string; port: number } | undefined => {
    const answer = world.dns.a(mxHost);
    const address = answer.kind === 'records' ? answer.records[0] : undefined;
    return address === undefined ? undefined : { address, port: SIM_SMTP_PORT };
  };
  const transport = new InProcessTransport(world.fleet);
  const mta = referenceEngineFor(request, world, {
    scheduler,
    transport,
    resolver: zoneResolver(world.dns, simRoute),
  });
  mta.onDecision(collected.onAccounting);
  const ending = await driveRun({
    mode: 'sim',
    scheduler,
    scenario: request.scenario,
    seed: request.seed,
    world,
    mta,
    environment: simEnvironment(request.scenario, inbox, tmpdir()),
    laterMail,
    inbox,
    counts: () => ({ injected: collected.collector.injectedCount, final: collected.collector.finalCount }),
    onProgress: request.onProgress,
  });
  // The judge's check: mailauth's verdicts on the sampled messages, once it has given them all.
  const authentication: AuthenticationFigures = {
    judgedBy: 'receivers-verifier',
    auditedByMailauth: await world.authenticationAudit.figures(),
  };
  const work: SimWork = {
    tasksScheduled: scheduler.work.scheduled,
    tasksRun: scheduler.work.run,
    ...transport.work,
  };
  return { ...ending, ...collected, laterMail, capabilities: capabilitiesOf(mta), authentication, work };
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
  const collected = collectorFor(world, request, startMs);
  const harness = await startWireHarness(world, scheduler);
  try {
    const transport = new SmtpClientTransport({ ca: harness.ca.certificate });
    const mta = referenceEngineFor(request, world, {
      scheduler,
      transport,
      resolver: zoneResolver(world.dns, harness.route),
    });
    mta.onDecision(collected.onAccounting);
    const clockScale = HOUR_MS / (limits.realSecondsPerSimulatedHour * 1000);
    const ending = await driveRun({
      mode: 'wire',
      scheduler,
      scenario: request.scenario,
      seed: request.seed,
      world,
      mta,
      environment: wireEnvironment(
        request.scenario,
        world,
        { listeners: harness.listeners, returnPath: harness.returnPath, workDir: tmpdir(), clockScale },
        harness.inbox,
      ),
      laterMail: harness.laterMail,
      inbox: harness.inbox,
      counts: () => ({ injected: collected.collector.injectedCount, final: collected.collector.finalCount }),
      onProgress: request.onProgress,
      errorCode: 'E_ENGINE_TASK',
      taskError: () => taskError,
    });
    // A user's policy that went wrong ends the run with its own error, as in sim mode, not with a report.
    if (taskError instanceof PolicyHookError) throw taskError;
    return {
      ...ending,
      ...collected,
      laterMail: harness.laterMail,
      capabilities: capabilitiesOf(mta),
      authentication: { judgedBy: 'mailauth' },
    };
  } finally {
    scheduler.cancelAll();
    await harness.close();
  }
}

/** Messages planned per series bucket, for a scenario with a timeline (the chart's plan line). */
function plannedPerBucket(
  series: RunSeries,
  batches: readonly InjectionBatch[],
  scenario: ResolvedScenario,
): RunSeries {
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
    failedChecks.push(
      `the engine reported ${figures.messages.injected} receptions for ${planned} messages the timeline sent`,
    );
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

function readToolVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
