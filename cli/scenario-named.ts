/** The scenario a command line names, and the scale it asks for. */
import {
  findScenario,
  isScenarioFile,
  loadScenarioFile,
  resolveScenario,
  SCENARIO_LIBRARY,
} from '../scenarios/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import { UsageError } from './command-io.ts';

/** --scale: a share of the scenario's volume, in (0, 1]. */
export function parseScale(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const scale = Number(text);
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 1))
    throw new UsageError(`--scale must be a number more than 0 and at most 1 (got "${text}")`);
  return scale;
}

/** A library scenario by name, or a scenario file by path; a usage error names the choices. */
export function scenarioNamed(name: string, scale?: number): ResolvedScenario {
  const options = scale === undefined ? {} : { scale };
  if (isScenarioFile(name)) return loadScenarioFile(name, options);
  const input = findScenario(name);
  if (input === undefined) {
    throw new UsageError(
      `unknown scenario "${name}"; built-in scenarios: ${Object.keys(SCENARIO_LIBRARY).join(', ')} (or a .json, .yaml or .yml scenario file)`,
    );
  }
  return resolveScenario(input, options);
}
