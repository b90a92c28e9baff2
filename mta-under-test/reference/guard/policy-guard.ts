/**
 * A user's SendPolicy behind a guard, so a policy that goes wrong ends the run with an error
 * that names the hook and the message, never a silently wrong report (issue 22). The engine's
 * own policies run unguarded: the guard is for code the bench did not write. Its deadline is on
 * the wall clock by design (it bounds the user's code, and changes no decision), which is why
 * guard/ sits outside the engine's deterministic core and policies.
 *
 * Every hook call is
 * - caught: a throw becomes a PolicyHookError naming the hook, what it was asked about and the
 *   policy's own message (kept as the cause);
 * - checked: a value the engine cannot act on (a verdict whose class is not in the taxonomy, a
 *   negative rate, a promise from a hook written `async`) is refused, field named (policy-shape.ts);
 * - bounded in real time: a call that runs past the deadline is stopped. Hooks are synchronous
 *   and run on the engine's thread, so nothing on that thread could stop an endless loop: each
 *   call runs as a `vm` script with a timeout, whose watchdog thread terminates it inside the
 *   call, where node turns the termination into an error. That costs 70-180 µs a call on the
 *   2-core machine (node starts the thread per call). Terminating the thread from outside
 *   instead (a worker and the inspector's Runtime.terminateExecution) was tried: it costs
 *   nothing per call but unwinds through async-hook frames, and node aborts ("async hook stack
 *   has become corrupted") wherever AsyncLocalStorage is in use, vitest included.
 *   `interrupt: false` drops the timeout, and a slow call is then caught only once it returns.
 */
import { Script } from 'node:vm';
import { MailbenchError, wallClockMs } from '../../../kernel/index.ts';
import type { EpochMs, RecipientOutcome } from '../../../kernel/index.ts';
import type { AccountingRecord, AsyncBounceRecord } from '../../accounting.ts';
import type { AttemptContext, DecisionEmitter, SendPolicy, SourceRequest } from '../core/policy.ts';
import {
  checkAsyncBounceDecision,
  checkJudgement,
  checkNothing,
  checkRatePerHour,
  checkSourceChoice,
  isThenable,
} from './policy-shape.ts';

export type PolicyHook = 'attach' | 'judge' | 'chooseSource' | 'pathRatePerHour' | 'judgeAsyncBounce' | 'observe';

export interface PolicyGuardOptions {
  /** The policy as errors name it, e.g. `policy "ours"`. @defaultValue 'the policy' */
  readonly name?: string;
  /** Real milliseconds one hook call may take. @defaultValue 2000 */
  readonly deadlineMs?: number;
  /** Interrupt a call at the deadline rather than only notice it after it returns. @defaultValue true */
  readonly interrupt?: boolean;
}

/** A user's policy hook threw, hung or returned what the engine cannot act on. */
export class PolicyHookError extends MailbenchError {
  constructor(
    readonly hook: PolicyHook,
    message: string,
    details: { readonly subject: string; readonly cause?: unknown },
  ) {
    super('E_POLICY_HOOK', message, {
      context: { hook, subject: details.subject },
      hint: `fix the policy's ${hook} hook`,
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.name = 'PolicyHookError';
  }
}

export const DEFAULT_HOOK_DEADLINE_MS = 2_000;

export function guardPolicy(policy: SendPolicy, options: PolicyGuardOptions = {}): SendPolicy {
  checkPolicyObject(policy, options.name ?? 'the policy');
  const call = hookCaller(options);
  const guarded: { -readonly [K in keyof SendPolicy]: SendPolicy[K] } = {
    judge: (outcome: RecipientOutcome, context: AttemptContext) =>
      call('judge', attemptSubject(context), checkJudgement, () => policy.judge(outcome, context)),
  };
  // Only the hooks the policy has: an absent hook means the engine's default, not "no answer".
  if (policy.attach !== undefined)
    guarded.attach = (emit: DecisionEmitter) =>
      call('attach', 'when attached', checkNothing, () => policy.attach?.(emit));
  if (policy.chooseSource !== undefined)
    guarded.chooseSource = (request: SourceRequest) =>
      call('chooseSource', `a delivery to ${request.domain} from pool ${request.pool}`, checkSourceChoice, () =>
        policy.chooseSource?.(request),
      );
  if (policy.pathRatePerHour !== undefined)
    guarded.pathRatePerHour = (path: PolicyPath, nowMs: EpochMs) =>
      call('pathRatePerHour', `the path ${path.source} → ${path.site}`, checkRatePerHour, () =>
        policy.pathRatePerHour?.(path, nowMs),
      ) ?? null;
  if (policy.judgeAsyncBounce !== undefined)
    guarded.judgeAsyncBounce = (record: AsyncBounceRecord) =>
      call('judgeAsyncBounce', `the later bounce of ${record.recipient}`, checkAsyncBounceDecision, () =>
        policy.judgeAsyncBounce?.(record),
      ) ?? { suppress: record.action === 'suppress' };
  if (policy.observe !== undefined)
    guarded.observe = (record: AccountingRecord) =>
      call('observe', `a ${record.type} record`, checkNothing, () => policy.observe?.(record));
  return guarded;
}

/** The path a rate hook is asked about. */
type PolicyPath = Parameters<NonNullable<SendPolicy['pathRatePerHour']>>[0];

type Caller = <T>(hook: PolicyHook, subject: string, check: (value: unknown) => string | undefined, run: () => T) => T;

function hookCaller(options: PolicyGuardOptions): Caller {
  const name = options.name ?? 'the policy';
  const deadlineMs = options.deadlineMs ?? DEFAULT_HOOK_DEADLINE_MS;
  const runBounded = options.interrupt === false ? <T>(run: () => T): T => run() : interruptible(deadlineMs);
  return <T>(hook: PolicyHook, subject: string, check: (value: unknown) => string | undefined, run: () => T): T => {
    const startedMs = wallClockMs();
    let value: T;
    try {
      value = runBounded(run);
    } catch (error) {
      if (isTimeout(error))
        throw new PolicyHookError(
          hook,
          `the ${hook} hook of ${name} ran past its deadline of ${deadlineMs} ms on ${subject} and was stopped`,
          { subject },
        );
      throw new PolicyHookError(hook, `the ${hook} hook of ${name} threw on ${subject}: ${messageOf(error)}`, {
        subject,
        cause: error,
      });
    }
    const tookMs = wallClockMs() - startedMs;
    if (tookMs > deadlineMs)
      throw new PolicyHookError(
        hook,
        `the ${hook} hook of ${name} took ${Math.round(tookMs)} ms on ${subject}, past its deadline of ${deadlineMs} ms`,
        { subject },
      );
    const problem = isThenable(value)
      ? 'returned a promise; policy hooks are synchronous (the engine acts on the value at once)'
      : check(value);
    if (problem !== undefined)
      throw new PolicyHookError(
        hook,
        `the ${hook} hook of ${name} returned a malformed value on ${subject}: ${problem}`,
        {
          subject,
        },
      );
    return value;
  };
}

/** The global the interrupting script calls: a vm script can only reach its context's globals. */
const SLOT = '__mailbenchPolicyHookCall';
const CALL_SLOT = new Script(`globalThis.${SLOT}()`, { filename: 'mailbench-policy-guard' });

function interruptible(deadlineMs: number): <T>(run: () => T) => T {
  const slots = globalThis as unknown as Record<string, (() => unknown) | undefined>;
  return <T>(run: () => T): T => {
    const previous = slots[SLOT];
    slots[SLOT] = run;
    try {
      return CALL_SLOT.runInThisContext({ timeout: deadlineMs }) as T;
    } finally {
      slots[SLOT] = previous;
    }
  };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** A policy that is not an object with a `judge` function is refused before the run starts. */
function checkPolicyObject(policy: unknown, name: string): void {
  const problem =
    typeof policy !== 'object' || policy === null
      ? `expected a SendPolicy object, got ${policy === null ? 'null' : typeof policy}`
      : typeof (policy as { judge?: unknown }).judge !== 'function'
        ? 'it has no judge(outcome, context) function'
        : HOOKS.filter((hook) => hook !== 'judge')
            .filter((hook) => {
              const value = (policy as Record<string, unknown>)[hook];
              return value !== undefined && typeof value !== 'function';
            })
            .map((hook) => `${hook} is not a function`)[0];
  if (problem !== undefined)
    throw new MailbenchError('E_ENGINE_CONFIG_INVALID', `${name} is not a send policy: ${problem}`);
}

const HOOKS: readonly PolicyHook[] = [
  'attach',
  'judge',
  'chooseSource',
  'pathRatePerHour',
  'judgeAsyncBounce',
  'observe',
];

function attemptSubject(context: AttemptContext): string {
  return `message ${context.messageId} to ${context.recipient} (attempt ${context.attempt})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
