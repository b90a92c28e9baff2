/**
 * `run(scenario, options)`: one scenario run from a program or a test, returning the typed
 * report. A thin layer over the runner: it accepts what a person would write (a scenario
 * object, a built-in scenario's name, or a scenario file's path), resolves it the way
 * `mailbench run` does, checks the options and runs it, in sim mode unless asked otherwise.
 */
import {
  findScenario,
  isScenarioFile,
  loadScenarioFile,
  resolveScenario,
  SCENARIO_LIBRARY,
} from '../scenarios/index.ts';
import type { ResolvedScenario, ScenarioInput } from '../scenarios/index.ts';
import { DEFAULT_SEED, ENGINE_CHOICES, runScenario } from '../runner/index.ts';
import type { EngineChoice, RunProgress } from '../runner/index.ts';
import type { ReportV1, RunMode } from '../reports/index.ts';

export interface RunOptions {
  /** Replaying a sim run with the same seed gives the same report, byte for byte. @defaultValue '1' */
  readonly seed?: string;
  /** `sim`: virtual clock, no sockets; `wire`: real SMTP on loopback, scaled clock. @defaultValue 'sim' */
  readonly mode?: RunMode;
  /** `reference`: the engine's full judgment; `generic`: a careful sender that believes every answer. @defaultValue 'reference' */
  readonly engine?: EngineChoice;
  /** Run at this fraction of the scenario's volume, 0 < scale ≤ 1. @defaultValue the scenario's own */
  readonly scale?: number;
  /** Wire mode: called a few times a second with how far the run is. */
  readonly onProgress?: (progress: RunProgress) => void;
}

/** A scenario as an object (see `defineScenario`), a built-in scenario's name, or a `.json`/`.yaml`/`.yml` file's path. */
export type ScenarioSource = ScenarioInput | string;

const MODES: readonly RunMode[] = ['sim', 'wire'];
const OPTION_KEYS = ['seed', 'mode', 'engine', 'scale', 'onProgress'];

/** Runs the scenario and returns its report; `report.outcome` says whether it passed. Bad input throws an error naming it. */
export async function run(scenario: ScenarioSource, options: RunOptions = {}): Promise<ReportV1> {
  checkOptions(options);
  const resolved = resolveSource(scenario, options.scale);
  const { report } = await runScenario({
    scenario: resolved,
    seed: options.seed ?? DEFAULT_SEED,
    mode: options.mode ?? 'sim',
    engine: options.engine ?? 'reference',
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return report;
}

function resolveSource(source: ScenarioSource, scale: number | undefined): ResolvedScenario {
  const resolveOptions = scale === undefined ? {} : { scale };
  if (typeof source !== 'string') {
    if (typeof source !== 'object' || source === null)
      throw new TypeError(
        `run(): the scenario must be a scenario object, a built-in scenario's name or a file path (got ${String(source)})`,
      );
    return resolveScenario(source, resolveOptions);
  }
  if (isScenarioFile(source)) return loadScenarioFile(source, resolveOptions);
  const input = findScenario(source);
  if (input === undefined)
    throw new Error(
      `run(): unknown scenario "${source}"; built-in scenarios: ${Object.keys(SCENARIO_LIBRARY).join(', ')} (or a .json, .yaml or .yml scenario file)`,
    );
  return resolveScenario(input, resolveOptions);
}

/** Every problem with the options at once, each naming the option. */
function checkOptions(options: RunOptions): void {
  const problems: string[] = [];
  for (const key of Object.keys(options))
    if (!OPTION_KEYS.includes(key)) problems.push(`unknown option "${key}" (known: ${OPTION_KEYS.join(', ')})`);
  if (options.seed !== undefined && (typeof options.seed !== 'string' || options.seed.trim() === ''))
    problems.push(`seed must be a non-empty string (got ${JSON.stringify(options.seed)})`);
  if (options.mode !== undefined && !MODES.includes(options.mode))
    problems.push(`mode must be ${MODES.join(' or ')} (got ${JSON.stringify(options.mode)})`);
  if (options.engine !== undefined && !ENGINE_CHOICES.includes(options.engine))
    problems.push(`engine must be ${ENGINE_CHOICES.join(' or ')} (got ${JSON.stringify(options.engine)})`);
  if (options.scale !== undefined && !(typeof options.scale === 'number' && options.scale > 0 && options.scale <= 1))
    problems.push(`scale must be a number more than 0 and at most 1 (got ${JSON.stringify(options.scale)})`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    problems.push('onProgress must be a function');
  if (problems.length > 0) throw new TypeError(`run(): ${problems.join('; ')}`);
}
