/**
 * Which sender a run drives, in the forms a user can give it (issue 22): a built-in name, the
 * reference engine with a policy of the user's (`reference(...)`), or any MTA behind the
 * MtaUnderTest contract (`postfix(...)`, `smtpRelay(...)`, an adapter object or a factory).
 * `engineSpecOf` turns what a person wrote into one of the specs below, refusing what is not
 * a sender with an error that says what was given; `runWithEngine` (run-engine.ts) runs it.
 *
 * Modes: the reference engine runs on the run's own clock and transport, so it runs in both
 * modes. Any other MTA sends real SMTP from its own process or threads and runs in wire mode only.
 */
import type {
  MtaUnderTest,
  PolicyGuardOptions,
  RetryPolicy,
  SendPolicy,
  ShapingConfig,
} from '../mta-under-test/index.ts';
import { MailbenchError } from '../kernel/index.ts';
import type { EpochMs } from '../kernel/index.ts';
import type { RunMode } from '../reports/index.ts';

/** The built-in senders named by a word (`--engine reference`). */
export type EngineChoice = 'reference' | 'generic';
export const ENGINE_CHOICES: readonly EngineChoice[] = ['reference', 'generic'];

/** MTAs the bench can start itself, named by a word; wire mode only. */
export const EXTERNAL_MTA_NAMES = ['postfix', 'reference-process'] as const;

/** The run's clock, as an adapter built for the run may need it (to date records on the run's clock). */
export interface RunClock {
  /** Now, on the run's (scaled) clock. */
  readonly nowMs: () => EpochMs;
  /** A wall-clock epoch time (an MTA's own log) → the run's clock. */
  readonly toRunTimeMs: (wallMs: number) => EpochMs;
  /** Simulated ms per real ms. */
  readonly scale: number;
}

/**
 * What a factory gets to build the sender for one run: the run's clock, and nothing of the
 * world. Not the scenario, not the seed: with them a sender could rebuild the population and
 * the receivers' truth (DESIGN rule 3: no back channel). What the sender is told comes through
 * its front door: the MtaEnvironment its `start` gets (routes, egress, return path).
 */
export type EngineEnvironment = RunClock;

/** The reference engine with a send policy of the user's. */
export interface ReferenceEngineSpec {
  readonly kind: 'reference';
  /** The policy's name in the report (`engine.policy`) and in its errors. */
  readonly policyName: string;
  /**
   * The run's policy, built afresh for each run (a policy keeps state); it is told nothing of
   * the world. The scenario's warm-up plan and grid, if it has them, are composed with it
   * (placement-policy.ts), as an operator's configuration of the engine.
   */
  readonly policy: () => SendPolicy;
  /** Replaces the scenario's shaping. */
  readonly shaping?: ShapingConfig;
  readonly retry?: Partial<RetryPolicy>;
  /** How the policy's hooks are guarded (deadline, interruption). */
  readonly guard?: PolicyGuardOptions;
}

/** Any MTA the bench drives from outside; wire mode only. */
export interface MtaEngineSpec {
  readonly kind: 'mta';
  /** For errors before the MTA exists; the report names the MTA by its own `name`. */
  readonly name: string;
  readonly create: (environment: EngineEnvironment) => MtaUnderTest;
}

export type EngineSpec = EngineChoice | ReferenceEngineSpec | MtaEngineSpec;

/** The modes a spec can run in. */
export function modesOf(spec: EngineSpec): readonly RunMode[] {
  return typeof spec === 'object' && spec.kind === 'mta' ? ['wire'] : ['sim', 'wire'];
}

/** The spec's name, for messages. */
export function engineNameOf(spec: EngineSpec): string {
  if (typeof spec === 'string') return spec;
  return spec.kind === 'reference' ? `reference (policy ${spec.policyName})` : spec.name;
}

/** Refuses a run in a mode the engine cannot run in, naming both. */
export function checkEngineMode(spec: EngineSpec, mode: RunMode): void {
  if (modesOf(spec).includes(mode)) return;
  throw new MailbenchError(
    'E_ENGINE_MODE',
    `the engine "${engineNameOf(spec)}" sends real SMTP from outside the bench and runs in wire mode only; this run asked for ${mode} mode`,
    {
      hint: "run it in wire mode: mode: 'wire' in run(), --mode wire on the command line",
      context: { engine: engineNameOf(spec), mode },
    },
  );
}

/**
 * A sender as a person gives it → a spec: a built-in name, a spec made by `reference()`,
 * `postfix()` or `smtpRelay()`, an MtaUnderTest object (used for one run), or a factory
 * `(environment) => MtaUnderTest` (called once per run).
 */
export function engineSpecOf(engine: unknown, builtIn: (name: string) => EngineSpec | undefined): EngineSpec {
  if (typeof engine === 'string') {
    const spec = builtIn(engine);
    if (spec !== undefined) return spec;
    throw new MailbenchError(
      'E_USAGE',
      `unknown engine "${engine}" (built in: ${[...ENGINE_CHOICES, ...EXTERNAL_MTA_NAMES].join(', ')}; or pass reference({ policy }), postfix(), smtpRelay(...), an MtaUnderTest or a factory)`,
    );
  }
  if (typeof engine === 'function') {
    const factory = engine as (environment: EngineEnvironment) => unknown;
    const name = factory.name === '' ? 'your engine factory' : factory.name;
    return { kind: 'mta', name, create: (environment) => asMta(factory(environment), `${name}()`) };
  }
  if (isSpecObject(engine)) return engine;
  const mta = asMta(engine, 'the engine');
  let used = false;
  return {
    kind: 'mta',
    name: mta.name,
    create: () => {
      if (used)
        throw new MailbenchError(
          'E_USAGE',
          `the MtaUnderTest "${mta.name}" was already used for a run; pass a factory (environment) => MtaUnderTest to run it again`,
        );
      used = true;
      return mta;
    },
  };
}

function isSpecObject(value: unknown): value is ReferenceEngineSpec | MtaEngineSpec {
  if (typeof value !== 'object' || value === null) return false;
  const { kind } = value as { kind?: unknown };
  if (kind === 'reference') return typeof (value as { policy?: unknown }).policy === 'function';
  if (kind === 'mta') return typeof (value as { create?: unknown }).create === 'function';
  return false;
}

const MTA_METHODS = ['version', 'start', 'inject', 'onDecision', 'stop'] as const;

/** An MtaUnderTest, or an error naming what is missing from the object given. */
function asMta(value: unknown, what: string): MtaUnderTest {
  if (typeof value !== 'object' || value === null)
    throw new MailbenchError(
      'E_ENGINE_CONFIG_INVALID',
      `${what} is not an engine: expected a name, reference()/postfix()/smtpRelay(), an MtaUnderTest or a factory, got ${value === null ? 'null' : typeof value}`,
    );
  const missing = MTA_METHODS.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
  const name = (value as { name?: unknown }).name;
  if (missing.length > 0 || typeof name !== 'string' || name === '')
    throw new MailbenchError(
      'E_ENGINE_CONFIG_INVALID',
      `${what} is not an MtaUnderTest: ${[...(typeof name === 'string' && name !== '' ? [] : ['name (a non-empty string)']), ...missing.map((method) => `${method}()`)].join(', ')} missing`,
    );
  return value as MtaUnderTest;
}
