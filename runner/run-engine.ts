/**
 * One entry for a run against any sender (engine-spec.ts): the reference engine, with the
 * built-in policies or the user's, in either mode through `runScenario`; any other MTA in wire
 * mode through `runScenarioWithMta`. A mode the engine cannot run in is refused before anything
 * starts, naming both.
 */
import type { RunMode } from '../reports/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import { checkEngineMode } from './engine-spec.ts';
import type { EngineSpec } from './engine-spec.ts';
import { runScenarioWithMta } from './mta-run.ts';
import { runScenario } from './run.ts';
import type { RunProgress, RunResult } from './run.ts';

export interface EngineRunRequest {
  readonly scenario: ResolvedScenario;
  readonly seed: string;
  readonly mode: RunMode;
  readonly engine: EngineSpec;
  readonly onProgress?: (progress: RunProgress) => void;
}

export function runWithEngine(request: EngineRunRequest): Promise<RunResult> {
  const { engine, scenario, seed, mode } = request;
  checkEngineMode(engine, mode);
  const onProgress = request.onProgress === undefined ? {} : { onProgress: request.onProgress };
  if (typeof engine === 'string' || engine.kind === 'reference')
    return runScenario({ scenario, seed, mode, engine, ...onProgress });
  return runScenarioWithMta({
    scenario,
    seed,
    mta: (clock) => engine.create(clock),
    ...onProgress,
  });
}
