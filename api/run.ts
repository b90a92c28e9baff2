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
import { builtInEngine, DEFAULT_SEED, engineSpecOf, runWithEngine } from '../runner/index.ts';
import type { EngineChoice, EngineEnvironment, EngineSpec, RunProgress } from '../runner/index.ts';
import type { MtaUnderTest } from '../mta-under-test/index.ts';
import type { ReportV1, RunMode } from '../reports/index.ts';

export interface RunOptions {
  /** Replaying a sim run with the same seed gives the same report, byte for byte. @defaultValue '1' */
  readonly seed?: string;
  /** `sim`: virtual clock, no sockets; `wire`: real SMTP on loopback, scaled clock. @defaultValue 'sim' */
  readonly mode?: RunMode;
  /**
   * The sender under test:
   * - `'reference'`: the reference engine's full judgment; `'generic'`: the same engine believing
   *   every answer; `'postfix'`, `'reference-process'`: those MTAs with their defaults (wire);
   * - `reference({ policy })`: the reference engine with your send policy (sim and wire);
   * - `postfix({ mainCf })`, `smtpRelay({ prepare: relayCommand('…') })`: an MTA (wire);
   * - an `MtaUnderTest` (one run) or a factory `(environment) => MtaUnderTest` (wire).
   * A sender that cannot run in the run's mode is refused, naming the mode.
   * @defaultValue 'reference'
   */
  readonly engine?: Engine;
  /** Run at this fraction of the scenario's volume, 0 < scale ≤ 1. @defaultValue the scenario's own */
  readonly scale?: number;
  /** Wire mode: called a few times a second with how far the run is. */
  readonly onProgress?: (progress: RunProgress) => void;
}

/** A sender, in any of the forms `RunOptions.engine` lists. */
export type Engine =
  | EngineChoice
  | 'postfix'
  | 'reference-process'
  | EngineSpec
  | MtaUnderTest
  | ((environment: EngineEnvironment) => MtaUnderTest);

/** A scenario as an object (see `defineScenario`), a built-in scenario's name, or a `.json`/`.yaml`/`.yml` file's path. */
export type ScenarioSource = ScenarioInput | string;

const MODES: readonly RunMode[] = ['sim', 'wire'];
const OPTION_KEYS = ['seed', 'mode', 'engine', 'scale', 'onProgress'];

/** Runs the scenario and returns its report; `report.outcome` says whether it passed. Bad input throws an error naming it. */
export async function run(scenario: ScenarioSource, options: RunOptions = {}): Promise<ReportV1> {
  checkOptions(options);
  const engine = engineSpecOf(options.engine ?? 'reference', builtInEngine);
  const resolved = resolveSource(scenario, options.scale);
  const { report } = await runWithEngine({
    scenario: resolved,
    seed: options.seed ?? DEFAULT_SEED,
    mode: options.mode ?? 'sim',
    engine,
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
  if (options.scale !== undefined && !(typeof options.scale === 'number' && options.scale > 0 && options.scale <= 1))
    problems.push(`scale must be a number more than 0 and at most 1 (got ${JSON.stringify(options.scale)})`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    problems.push('onProgress must be a function');
  if (problems.length > 0) throw new TypeError(`run(): ${problems.join('; ')}`);
}
