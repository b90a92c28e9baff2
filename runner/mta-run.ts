/**
 * Wire mode against any MtaUnderTest (mta-under-test/adapters/): the same world, wire harness
 * (wire-harness.ts), driver (drive.ts), timeline and scoring as `runScenario`'s wire mode, with
 * the MTA given by the caller instead of the reference engine. The bench reaches it only through
 * `inject` (and `pause` when it has the capability) and hears it only through `onDecision`
 * (DESIGN rule 3). The report's `engine` names the adapter, its version and its capabilities.
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
import { capabilitiesOf } from '../mta-under-test/index.ts';
import type { AccountingRecord, MtaUnderTest } from '../mta-under-test/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS, domainOf, HOUR_MS, scaledScheduler } from '../kernel/index.ts';
import type { FleetListeners } from '../sim/index.ts';
import { driveRun } from './drive.ts';
import { wireEnvironment } from './mta-environment.ts';
import { assembleResult, collectorFor } from './run.ts';
import type { RunProgress, RunResult } from './run.ts';
import type { RunClock } from './engine-spec.ts';
import { startWireHarness } from './wire-harness.ts';
import { buildWorld } from './world.ts';

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
  const scheduler = scaledScheduler({
    realSecondsPerSimulatedHour: limits.realSecondsPerSimulatedHour,
    startMs,
    onTaskError: (error) => (taskError ??= error),
  });
  const scale = HOUR_MS / (limits.realSecondsPerSimulatedHour * 1000);
  const wallAtStart = Date.now();
  const clock: RunClock = {
    nowMs: () => scheduler.now(),
    toRunTimeMs: (wallMs) => startMs + (wallMs - wallAtStart) * scale,
    scale,
  };
  const mta = typeof request.mta === 'function' ? request.mta(clock) : request.mta;
  const world = buildWorld(scenario, seed, scheduler);
  const { collector, score, series, campaigns, onAccounting } = collectorFor(
    world,
    { scenario, seed, mode: 'wire' },
    startMs,
    mta.sees,
  );
  const harness = await startWireHarness(world, scheduler);
  const ownedWorkDir =
    request.workDir === undefined ? mkdtempSync(join(tmpdir(), `mailbench-${mta.name}-`)) : undefined;
  const workDir = request.workDir ?? ownedWorkDir ?? tmpdir();
  const environment = wireEnvironment(
    scenario,
    world,
    { listeners: harness.listeners, returnPath: harness.returnPath, workDir, clockScale: scale },
    harness.inbox,
  );
  mta.onDecision((record) => onAccounting(withMxHostName(record, harness.listeners, environment.mxHostByDomain)));
  try {
    const ending = await driveRun({
      mode: 'wire',
      scheduler,
      scenario,
      seed,
      world,
      mta,
      environment,
      laterMail: harness.laterMail,
      inbox: harness.inbox,
      counts: () => ({ injected: collector.injectedCount, final: collector.finalCount }),
      onProgress: request.onProgress,
      errorCode: 'E_MTA_INJECT',
      taskError: () => taskError,
    });
    return assembleResult({
      wallMs: performance.now() - wallStartMs,
      seed,
      mode: 'wire',
      engine: {
        name: mta.name,
        version: mta.version(),
        capabilities: capabilitiesOf(mta),
        ...(ending.notCarriedOut.length === 0 ? {} : { notCarriedOut: ending.notCarriedOut }),
      },
      scenario,
      startMs,
      endMs: ending.endMs,
      planned: ending.planned,
      ...(ending.outcome === undefined ? {} : { outcome: ending.outcome }),
      collectors: { collector, score, laterMail: harness.laterMail, campaigns },
      authentication: { judgedBy: 'mailauth' },
      series: series.series(ending.endMs),
    });
  } finally {
    scheduler.cancelAll();
    await mta.stop();
    await harness.close();
    if (ownedWorkDir !== undefined) rmSync(ownedWorkDir, { recursive: true, force: true });
  }
}

/**
 * An MTA names the host it reached in its own words (Postfix: the listener's address; the
 * reference process: the name its configuration gave). A host the fleet does not know is the
 * route the runner gave the recipient's domain, whose MX host scoring knows.
 */
function withMxHostName(
  record: AccountingRecord,
  listeners: FleetListeners,
  mxHostByDomain: ReadonlyMap<string, string>,
): AccountingRecord {
  if (!('mxHost' in record) || listeners.routes.has(record.mxHost)) return record;
  const host = mxHostByDomain.get(domainOf(record.recipient));
  return host === undefined ? record : { ...record, mxHost: host, site: host };
}
