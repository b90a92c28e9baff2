/**
 * The one error model of the project: every error the bench, the engine and the CLI raise on
 * purpose is a `MailbenchError` with a code from the closed list below, an optional hint (what
 * to do about it) and context (the values that matter). The code says whose the fault is, which
 * is what the CLI turns into an exit code and a report into an errored outcome:
 * - `input`: the user's (a bad scenario, command line, configuration or file): exit 2;
 * - `environment`: the machine's (a tool not installed, a port or spool taken): exit 2 too,
 *   since the user can act on it, but reported as such;
 * - `run`: something failed while a run went on (an MTA that would not take mail): exit 3.
 * Broken invariants are not errors a user can act on: `assert()` throws `E_INVARIANT`.
 */

const CODES = {
  E_USAGE: 'input',
  E_SCENARIO_INVALID: 'input',
  E_ENGINE_CONFIG_INVALID: 'input',
  E_SHAPING_CONFIG_INVALID: 'input',
  E_OUTPUT_PATH: 'input',
  E_REPORT_LOAD: 'input',
  E_REPORT_INVALID: 'input',
  E_METRIC: 'input',
  E_ACCOUNTING_LOG: 'input',
  E_AUDIT_INPUT: 'input',
  E_RELAY_CONFIG: 'input',
  E_POSTFIX_CONFIG: 'input',
  E_HTTP_REFUSED: 'input',
  E_ENGINE_MODE: 'input',
  E_ENGINE_MODULE: 'input',
  E_SPOOL_LOCKED: 'environment',
  E_POSTFIX_NOT_INSTALLED: 'environment',
  E_RELAY_NO_DSN: 'environment',
  E_POSTFIX_START: 'run',
  E_POSTFIX_STOP: 'run',
  E_POSTFIX_INJECT: 'run',
  E_POSTFIX_TIMEOUT: 'run',
  E_RELAY_INJECT: 'run',
  E_MTA_INJECT: 'run',
  E_ENGINE_TASK: 'run',
  E_POLICY_HOOK: 'run',
  E_REPORT_DELIVERY: 'run',
  E_INVARIANT: 'run',
} as const;

export type ErrorCode = keyof typeof CODES;
export type ErrorKind = (typeof CODES)[ErrorCode];

export interface ErrorDetails {
  /** What the user can do about it, e.g. `run install-postfix.sh`. */
  readonly hint?: string;
  /** The values that matter, for logs and reports. */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class MailbenchError extends Error {
  readonly hint: string | undefined;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MailbenchError';
    this.hint = details.hint;
    this.context = details.context ?? {};
  }

  /** Whose fault it is (see the module comment). */
  get kind(): ErrorKind {
    return CODES[this.code];
  }
}

/** True for the errors a user acts on: bad input or the machine's state (exit 2). */
export function isUsersToFix(error: unknown): error is MailbenchError {
  return error instanceof MailbenchError && error.kind !== 'run';
}

/** A broken invariant: a bug, never a user's mistake. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new MailbenchError('E_INVARIANT', `invariant broken: ${message}`);
}
