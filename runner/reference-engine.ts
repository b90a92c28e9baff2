/**
 * The reference engine as a run drives it (runScenario, both modes): set up from the scenario
 * with the policy the run asks for (a user's behind its guard, mta-under-test/reference/guard/).
 */
import { referenceInProcess } from '../mta-under-test/index.ts';
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
): MtaUnderTest {
  const { egress, shaping } = engineConfigOf(request.scenario);
  const engine = request.engine ?? 'reference';
  const custom = typeof engine === 'string' ? undefined : engine;
  return referenceInProcess({
    on,
    rng: world.rng.fork('engine'),
    egress,
    shaping: custom?.shaping ?? shaping,
    ...(custom?.retry === undefined ? {} : { retry: custom.retry }),
    hygiene: hygieneOf(world.sender.dkim),
    policy: policyFor(engine, placementOf(request.scenario, on.scheduler.now())),
  });
}

export function policyNameOf(engine: ReferenceEngine): string {
  return typeof engine === 'string' ? engine : engine.policyName;
}
