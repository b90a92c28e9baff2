/**
 * The senders a user can name or build (issue 22), as engine specs (engine-spec.ts):
 *
 *   reference({ policy })       the reference engine with your send policy, sim and wire
 *   postfix({ mainCf })         a private Debian Postfix with your main.cf tuning, wire
 *   smtpRelay({ prepare })      any MTA that takes SMTP and sends DSNs, wire;
 *                               `prepare: relayCommand('…')` starts it from a command line
 *   referenceProcess()          the reference engine as its own process, over HTTP, wire
 *
 * and the words `reference`, `generic`, `postfix` and `reference-process` for the built-in ones.
 */
import {
  PostfixMta,
  readShapingConfig,
  referenceChildProcess,
  referencePolicy,
  smtpRelay as relayAdapter,
} from '../mta-under-test/index.ts';
import type {
  MtaEnvironment,
  PostfixMtaOptions,
  PreparedRelay,
  RetryPolicy,
  SendPolicy,
  ShapingConfig,
  ShapingConfigInput,
} from '../mta-under-test/index.ts';
import { MailbenchError } from '../kernel/index.ts';
import { ENGINE_CHOICES } from './engine-spec.ts';
import type { EngineSpec, MtaEngineSpec, ReferenceEngineSpec } from './engine-spec.ts';

export interface ReferenceOptions {
  /**
   * Your send policy: an object (for one run: a policy keeps state) or a factory called once per
   * run. Its hooks are guarded: a hook that throws, runs past `hookDeadlineMs` or returns what
   * the engine cannot act on ends the run with a PolicyHookError naming the hook and the message.
   * The scenario's warm-up plan and grid are composed with it.
   * @defaultValue the reference policy (referencePolicy())
   */
  readonly policy?: SendPolicy | (() => SendPolicy);
  /** The policy's name in the report (`engine.policy`) and in errors. @defaultValue `custom` (`reference` with no policy) */
  readonly name?: string;
  /**
   * The engine's shaping instead of the scenario's, as a shaping file is written: per provider,
   * domain or source, e.g. `{ providers: { gmail: { maxMessageRate: '600/h', connectionLimit: 2 } } }`
   * (README, "The reference engine": Shaping). A bad one is refused when `reference()` is called, every problem named.
   */
  readonly shaping?: ShapingConfigInput;
  /** The retry schedule's spacing and expiry. @defaultValue the engine's */
  readonly retry?: Partial<RetryPolicy>;
  /** Real milliseconds one hook call may take. @defaultValue 2000 */
  readonly hookDeadlineMs?: number;
  /**
   * Interrupt a hook at its deadline (a vm timeout, 70-180 µs a call) rather than only notice
   * it once it returns. Turn it off for a long run of a policy you trust. @defaultValue true
   * with a policy of yours, false with the engine's own
   */
  readonly interruptHooks?: boolean;
}

/** The reference engine with your policy (or its own), in sim and wire mode. */
export function reference(options: ReferenceOptions = {}): ReferenceEngineSpec {
  const given = options.policy;
  const policyName = options.name ?? (given === undefined ? 'reference' : 'custom');
  return {
    kind: 'reference',
    policyName,
    policy: policyMaker(given, policyName),
    ...(options.shaping === undefined ? {} : { shaping: shapingOf(options.shaping) }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    guard: {
      ...(options.hookDeadlineMs === undefined ? {} : { deadlineMs: options.hookDeadlineMs }),
      // The engine's own policy needs no interruption (shaping alone was changed): no cost per call.
      interrupt: options.interruptHooks ?? given !== undefined,
    },
  };
}

function shapingOf(input: ShapingConfigInput): ShapingConfig {
  const { config, issues } = readShapingConfig(input);
  if (issues.length > 0)
    throw new MailbenchError(
      'E_SHAPING_CONFIG_INVALID',
      `reference({ shaping }): ${issues.map((issue) => `${issue.path === '' ? 'shaping' : `shaping.${issue.path}`}: ${issue.message}`).join('; ')}`,
    );
  return config;
}

function policyMaker(given: ReferenceOptions['policy'], policyName: string): () => SendPolicy {
  if (given === undefined) return () => referencePolicy();
  if (typeof given === 'function') return given;
  let used = false;
  return () => {
    if (used)
      throw new MailbenchError(
        'E_USAGE',
        `the policy "${policyName}" was already used for a run and keeps that run's state; pass policy: () => yourPolicy() to run it again`,
      );
    used = true;
    return given;
  };
}

export interface PostfixOptions extends Omit<PostfixMtaOptions, 'toRunTimeMs'> {
  /** The report's engine name is Postfix's own; this names the spec in errors. @defaultValue 'postfix' */
  readonly name?: string;
}

/** A private Debian Postfix instance (install-postfix.sh), with your main.cf tuning; wire mode. */
export function postfix(options: PostfixOptions = {}): MtaEngineSpec {
  const { name, ...adapterOptions } = options;
  return {
    kind: 'mta',
    name: name ?? 'postfix',
    create: (environment) => new PostfixMta({ ...adapterOptions, toRunTimeMs: environment.toRunTimeMs }),
  };
}

export interface SmtpRelayEngineOptions {
  /** Starts or configures your MTA for the run: `relayCommand('…')`, or your own function. */
  readonly prepare: (environment: MtaEnvironment) => Promise<PreparedRelay>;
  /** The report's engine name. @defaultValue 'smtp-relay' */
  readonly name?: string;
  /** Parallel submission connections. @defaultValue 4 */
  readonly connections?: number;
}

/** Any MTA that takes SMTP and sends DSNs to the envelope sender; wire mode. */
export function smtpRelay(options: SmtpRelayEngineOptions): MtaEngineSpec {
  return {
    kind: 'mta',
    name: options.name ?? 'smtp-relay',
    create: (environment) => relayAdapter({ ...options, nowMs: environment.nowMs }),
  };
}

/** The reference engine as its own process, driven over its HTTP injection API; wire mode. */
export function referenceProcess(): MtaEngineSpec {
  return {
    kind: 'mta',
    name: 'reference-process',
    create: (environment) => referenceChildProcess({ toRunTimeMs: environment.toRunTimeMs }),
  };
}

/** A built-in sender by its word, or undefined. */
export function builtInEngine(name: string): EngineSpec | undefined {
  const choice = ENGINE_CHOICES.find((known) => known === name);
  if (choice !== undefined) return choice;
  if (name === 'postfix') return postfix();
  if (name === 'reference-process') return referenceProcess();
  return undefined;
}
