/**
 * The one way a run drives a sender: whatever the engine and whatever the mode, through
 * `MtaUnderTest` (DESIGN rule 3). The reference engine is an adapter like the others
 * (referenceInProcess, on the run's scheduler and transport); the driver starts it, hands it
 * the timeline's messages when they are due, asks it to pause when the timeline pauses (or
 * records that it could not), lets the world's own events happen (outages, policy changes,
 * traps, the sender's DKIM key breaking), and watches the run to its end.
 *
 * The two modes differ in time only:
 * - sim: the virtual clock runs task by task; messages are handed over inside the task that is
 *   due (the adapter takes them synchronously), and a task every 15 simulated minutes carries
 *   the receivers' reports to the return-path inbox while the sender works;
 * - wire: a scaled real clock; handovers are chained so an MTA sees them in timeline order, and
 *   the watch (wire-bounds.ts) ends the run at its bounds.
 */
import type { MtaEnvironment, MtaMessage, MtaUnderTest } from '../mta-under-test/index.ts';
import type { NotCarriedOut, Outcome, RunMode } from '../reports/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import { MINUTE_MS } from '../kernel/index.ts';
import type { EpochMs, ErrorCode, Scheduler, VirtualScheduler } from '../kernel/index.ts';
import { applyIncidents } from './incidents.ts';
import { injectionBatches, messagesOf } from './injection-schedule.ts';
import type { InjectionBatch } from './injection-schedule.ts';
import type { LaterMail } from './later-mail.ts';
import type { ReturnPathInbox } from './return-path-inbox.ts';
import type { RunProgress } from './run.ts';
import { watchWireRun } from './wire-bounds.ts';
import type { World } from './world.ts';

/** Sim mode stops after this many scheduled tasks even if simulated time remains. */
const SIM_TASKS_MAX = 5_000_000;
/** How often, in sim mode, the receivers' reports are carried to the sender while it runs. */
const REPORT_INTERVAL_MS = 15 * MINUTE_MS;

interface DriveBase {
  readonly scenario: ResolvedScenario;
  readonly seed: string;
  readonly world: World;
  readonly mta: MtaUnderTest;
  readonly environment: MtaEnvironment;
  readonly laterMail: LaterMail;
  readonly inbox: ReturnPathInbox;
  /** Recipients the sender took in, and those final: the run is over when they meet. */
  readonly counts: () => { readonly injected: number; readonly final: number };
  readonly onProgress?: ((progress: RunProgress) => void) | undefined;
}

export type DriveRequest =
  | (DriveBase & { readonly mode: 'sim'; readonly scheduler: VirtualScheduler })
  | (DriveBase & {
      readonly mode: 'wire';
      readonly scheduler: Scheduler;
      /** The error code a failed handover or a failed scheduled task ends the run with. */
      readonly errorCode: ErrorCode;
      /** The first error a scheduled task threw, if any. */
      readonly taskError: () => unknown;
    });

export interface DriveEnding {
  readonly endMs: EpochMs;
  /** How many messages the timeline handed over, and in which batches. */
  readonly planned: number;
  readonly batches: readonly InjectionBatch[];
  /** How the run ended when it did not simply finish. */
  readonly outcome?: Outcome;
  readonly notCarriedOut: readonly NotCarriedOut[];
}

export async function driveRun(request: DriveRequest): Promise<DriveEnding> {
  const { mta, scheduler } = request;
  const startMs = scheduler.now();
  let handoverError: unknown;
  try {
    await mta.start(request.environment);
    const timeline = scheduleTimeline(request, (error) => (handoverError ??= error));
    if (request.mode === 'sim') {
      const ending = await runToEnd(request, startMs);
      // A sender that refused a handover in sim mode is a broken run, as a task that threw is.
      if (handoverError !== undefined)
        throw handoverError instanceof Error ? handoverError : new Error(describeError(handoverError));
      return { ...ending, ...timeline };
    }
    const outcome = await watchWireRun({
      clock: scheduler,
      settle: (nowMs) => request.world.fleet.settle(nowMs),
      counts: request.counts,
      error: () => {
        const error = handoverError ?? request.taskError();
        return error === undefined ? undefined : { code: request.errorCode, message: describeError(error) };
      },
      planned: timeline.planned,
      startMs,
      limits: request.scenario.limits,
      onProgress: request.onProgress,
    });
    const endMs = scheduler.now();
    await request.laterMail.flush(endMs);
    // The MTA's DSNs for what the run saw are in flight on loopback: let the inbox read them.
    await request.inbox.drain();
    const failures = request.laterMail.deliveryFailures();
    const ending =
      outcome ??
      (failures.length === 0
        ? undefined
        : ({
            status: 'errored',
            error: {
              code: 'E_REPORT_DELIVERY',
              message: `${failures.length} report mails were not delivered; first: ${failures[0]}`,
            },
          } as const));
    return { endMs, ...timeline, ...(ending === undefined ? {} : { outcome: ending }) };
  } finally {
    await mta.stop();
  }
}

/** Sim mode: the virtual clock to the end, the receivers' reports carried as it goes. */
async function runToEnd(
  request: DriveBase & { readonly scheduler: VirtualScheduler },
  startMs: EpochMs,
): Promise<{ endMs: EpochMs; outcome?: Outcome }> {
  const { scheduler, laterMail, counts } = request;
  // Complaints and later bounces reach the sender while it sends: a virtual task lets the
  // receivers send what is due and waits for every report to be read and taken in, so the
  // run stays a function of its seed; it stops once the sender has nothing left.
  const carryReports = async (): Promise<void> => {
    request.onProgress?.({ ...counts(), clockMs: scheduler.now() });
    await laterMail.flush(scheduler.now());
    if (counts().final < counts().injected) scheduler.at(scheduler.now() + REPORT_INTERVAL_MS, carryReports);
  };
  scheduler.at(startMs + REPORT_INTERVAL_MS, carryReports);
  const limits = request.scenario.limits;
  const result = await scheduler.run({ untilMs: startMs + limits.simulatedDurationMaxMs, maxTasks: SIM_TASKS_MAX });
  // The sender stops taking reports before the last ones are flushed: those are the inbox's only.
  await request.mta.stop();
  const endMs = scheduler.now();
  await laterMail.flush(endMs);
  const { injected, final } = counts();
  if (final === injected) return { endMs };
  const reason =
    result.state === 'reached-task-limit'
      ? `the run reached its bound of ${SIM_TASKS_MAX.toLocaleString('en-US')} scheduled tasks`
      : result.state === 'reached-time'
        ? `the run reached its simulated duration limit (limits.simulatedDurationMaxMs = ${limits.simulatedDurationMaxMs})`
        : 'the engine went idle with messages neither delivered, bounced nor expired';
  return { endMs, outcome: { status: 'interrupted', reason, atMs: endMs } };
}

/**
 * The timeline on the run's clock: each batch handed to the sender when it is due, the world's
 * incidents, the sender's published DKIM key breaking, and each pause asked of the sender (or
 * recorded as not carried out when it cannot pause).
 */
function scheduleTimeline(
  request: DriveRequest,
  onError: (error: unknown) => void,
): { planned: number; batches: readonly InjectionBatch[]; notCarriedOut: readonly NotCarriedOut[] } {
  const { scenario, world, mta, scheduler } = request;
  const startMs = scheduler.now();
  const handOver = handoverIn(request.mode, onError);
  // A scenario without a timeline keeps its messages unowned, as before timelines existed.
  const owned = scenario.timeline.length > 0;
  // Outages, policy changes and injected traps happen in the world, whoever the sender is.
  const batches = injectionBatches(scenario, world, startMs, applyIncidents(scenario, world, startMs));
  for (const batch of batches) {
    const inject = (): void => {
      const messages: MtaMessage[] = messagesOf(batch, scenario, world, request.seed, scheduler.now()).map(
        (message) => ({
          mailFrom: message.mailFrom,
          recipients: message.recipients,
          data: message.data,
          ...(owned
            ? { campaign: message.campaign, ...(message.tenant === null ? {} : { tenant: message.tenant }) }
            : {}),
        }),
      );
      handOver(() => mta.inject(messages));
    };
    if (batch.atMs <= scheduler.now()) inject();
    else scheduler.at(batch.atMs, inject);
  }
  const breaksAtMs = scenario.sender.auth.dkimBreaksAtMs;
  if (breaksAtMs !== null)
    scheduler.at(startMs + breaksAtMs, () => world.sender.breakDkim(scenario.sender.auth.dkimBreaksTo));
  const notCarriedOut: NotCarriedOut[] = [];
  for (const event of scenario.timeline) {
    if (event.kind !== 'pause') continue;
    const pause = mta.pause?.bind(mta);
    if (pause === undefined) {
      notCarriedOut.push({
        event: 'pause',
        atMs: event.atMs,
        forMs: event.forMs,
        why: `${mta.name} has no pause capability: what it had queued went on being sent (the timeline held the sends due inside the pause)`,
      });
      continue;
    }
    scheduler.at(startMs + event.atMs, () =>
      handOver(() => pause({ durationMs: event.forMs, reason: 'the scenario pauses the sender' })),
    );
  }
  return { planned: batches.reduce((total, batch) => total + batch.recipients.length, 0), batches, notCarriedOut };
}

/**
 * How a request reaches the sender. Sim mode calls it inside the task that is due, so an
 * adapter that acts synchronously (the reference engine) acts at that simulated instant; wire
 * mode chains them, so an MTA behind an API sees them in timeline order.
 */
function handoverIn(mode: RunMode, onError: (error: unknown) => void): (call: () => Promise<void>) => void {
  if (mode === 'sim') return (call) => void call().catch(onError);
  let chain: Promise<void> = Promise.resolve();
  return (call) => {
    chain = chain.then(call).catch(onError);
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}
