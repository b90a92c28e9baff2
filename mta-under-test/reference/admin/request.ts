/**
 * The bodies of `POST /v1/suspend` and `POST /v1/resume`, read into what `EngineAdmin` takes.
 * Every problem is named by its field; unknown fields are refused (a misspelt `reson` must not
 * suspend a path with no reason on record).
 */
import { DAY_MS, readDuration } from '../../../kernel/index.ts';
import type { Milliseconds } from '../../../kernel/index.ts';
import type { SuspendTarget } from '../core/admin-view.ts';
import { ProblemList, checkKnownKeys, isPlainObject, readOptionalName } from './checked.ts';
import type { Checked } from './checked.ts';
import { readTarget } from './target.ts';

/** Longest suspension an operator may ask for in one request: a limit on everything (TigerStyle); renew it if more is meant. */
export const SUSPEND_DURATION_MS_MAX: Milliseconds = 30 * DAY_MS;
/** Longest reason kept; it goes into an accounting record and onto dashboards. */
export const REASON_LENGTH_MAX = 500;

export interface SuspendRequest {
  readonly target: SuspendTarget;
  readonly durationMs: Milliseconds;
  readonly reason: string;
}

const TARGET_KEYS = ['source', 'site', 'provider'] as const;
const SUSPEND_KEYS = [...TARGET_KEYS, 'duration', 'reason'];

/** Reads `{ source?, site?, provider? }` of a body already known to be an object. */
function readTargetFields(body: Record<string, unknown>, problems: ProblemList): SuspendTarget | undefined {
  const before = problems.list.length;
  const [source, site, provider] = TARGET_KEYS.map((key) => readOptionalName(body[key], key, problems));
  if (problems.list.length > before) return undefined;
  return readTarget({ source, site, provider }, problems);
}

/** `'2h'`, `'90s'`, `'1h 30m'`, or a whole number of milliseconds; more than zero, at most 30 days. */
export function readSuspendDuration(value: unknown, path: string, problems: ProblemList): Milliseconds | undefined {
  const expected = `must be a duration string such as '30m', '2h' or '1d', or a whole number of milliseconds`;
  let durationMs: Milliseconds;
  if (typeof value === 'string') {
    const read = readDuration(value);
    if (!read.ok) {
      problems.add(path, read.message);
      return undefined;
    }
    durationMs = read.value;
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    durationMs = value;
  } else {
    problems.add(path, value === undefined ? `is required: ${expected}` : `${expected} (got ${JSON.stringify(value)})`);
    return undefined;
  }
  if (durationMs <= 0 || durationMs > SUSPEND_DURATION_MS_MAX) {
    problems.add(path, `must be more than 0 and at most 30d (${SUSPEND_DURATION_MS_MAX} ms); got ${durationMs} ms`);
    return undefined;
  }
  return durationMs;
}

function readReason(value: unknown, path: string, problems: ProblemList): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || value.length > REASON_LENGTH_MAX) {
    problems.add(
      path,
      value === undefined
        ? 'is required: why the target is suspended, for the Suspend record'
        : `must be a non-empty string of at most ${REASON_LENGTH_MAX} characters`,
    );
    return undefined;
  }
  return value.trim();
}

/** `{ source?, site?, provider?, duration, reason }` → what `EngineAdmin.suspend` takes. */
export function readSuspendRequest(body: unknown): Checked<SuspendRequest> {
  const problems = new ProblemList();
  if (!isPlainObject(body)) {
    problems.add('', 'must be an object { source?, site?, provider?, duration, reason }');
    return problems.refused();
  }
  checkKnownKeys(body, SUSPEND_KEYS, '', problems);
  const target = readTargetFields(body, problems);
  const durationMs = readSuspendDuration(body.duration, 'duration', problems);
  const reason = readReason(body.reason, 'reason', problems);
  if (target === undefined || durationMs === undefined || reason === undefined) return problems.refused();
  return problems.result({ target, durationMs, reason });
}

/** `{ source?, site?, provider? }` → what `EngineAdmin.resume` takes. */
export function readResumeRequest(body: unknown): Checked<SuspendTarget> {
  const problems = new ProblemList();
  if (!isPlainObject(body)) {
    problems.add('', 'must be an object { source?, site?, provider? }');
    return problems.refused();
  }
  checkKnownKeys(body, TARGET_KEYS, '', problems);
  const target = readTargetFields(body, problems);
  if (target === undefined) return problems.refused();
  return problems.result(target);
}
