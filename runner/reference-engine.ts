/**
 * The reference engine as a run drives it (runScenario, both modes): set up from the scenario
 * with the policy the run asks for, and, for a user's policy, the watchdog that stops a hook
 * past its deadline (mta-under-test/reference/guard/).
 */
import { hookWatchdog, PolicyHookError, referenceInProcess } from '../mta-under-test/index.ts';
import type { MtaUnderTest, ReferenceInProcessOptions } from '../mta-under-test/index.ts';
import { engineConfigOf, hygieneOf } from './engine-config.ts';
import { placementOf, policyFor } from './placement-policy.ts';
import type { ReferenceEngine, RunRequest } from './run.ts';
import type { World } from './world.ts';

/**
 * The reference engine behind MtaUnderTest on the run's scheduler, transport and DNS, set up
 * from the scenario as an operator would set it up: pools and shaping, DKIM with the sender's
 * published key, the policy (with the warm-up plan and grid) the run asks for.
 */
export function referenceEngineFor(
  request: RunRequest,
  world: World,
  on: NonNullable<ReferenceInProcessOptions['on']>,
  watchdog: RunWatchdog | undefined,
): MtaUnderTest {
  const { egress, shaping } = engineConfigOf(request.scenario);
  const engine = request.engine ?? 'reference';
  const custom = typeof engine === 'string' ? undefined : engine;
  const setup = { scenario: request.scenario, seed: request.seed };
  return referenceInProcess({
    on,
    rng: world.rng.fork('engine'),
    egress,
    shaping: custom?.shaping ?? shaping,
    ...(custom?.retry === undefined ? {} : { retry: custom.retry }),
    hygiene: hygieneOf(world.sender.dkim),
    policy: policyFor(engine, placementOf(request.scenario, on.scheduler.now()), setup, watchdog),
  });
}

export type RunWatchdog = NonNullable<ReturnType<typeof hookWatchdog>>;

/** A watchdog for a user's policy's hooks (none for the built-in policies, which the bench trusts). */
export function watchdogFor(engine: ReferenceEngine | undefined): RunWatchdog | undefined {
  if (engine === undefined || typeof engine === 'string') return undefined;
  return hookWatchdog({ ...engine.guard, name: `policy "${engine.policyName}"` });
}

/**
 * The drive, unless the watchdog stops a hook first: the engine's thread was terminated in the
 * middle of a task, so the drive will never settle; the run ends with the hook's error, the
 * engine stopped, and the watchdog closed.
 */
export async function stoppedByWatchdog<T>(
  watchdog: RunWatchdog | undefined,
  mta: MtaUnderTest,
  drive: () => Promise<T>,
): Promise<T> {
  if (watchdog === undefined) return drive();
  try {
    return await Promise.race([drive(), watchdog.tripped]);
  } catch (error) {
    if (error instanceof PolicyHookError) await mta.stop().catch(() => undefined);
    throw error;
  } finally {
    await watchdog.close();
  }
}

export function policyNameOf(engine: ReferenceEngine): string {
  return typeof engine === 'string' ? engine : engine.policyName;
}
