/**
 * Reading untyped admin input (JSON bodies, query strings) into typed values while collecting
 * every problem, each named by its path, instead of stopping at the first (STYLE §0 item 6,
 * DESIGN rule 7): an operator fixes a bad request in one round trip.
 */
import type { HttpProblem } from '../http/json-http.ts';

/** A value read from a request, or every problem that stopped it. */
export type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly HttpProblem[] };

/** Problems found so far; readers push into it and the caller decides once, at the end. */
export class ProblemList {
  readonly list: HttpProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  /** The problems, for a reader that could not form a value (it named at least one). */
  refused(): Checked<never> {
    return { ok: false, problems: this.list };
  }
  /** `value` when nothing was found wrong, the problems otherwise. */
  result<T>(value: T): Checked<T> {
    return this.list.length === 0 ? { ok: true, value } : { ok: false, problems: this.list };
  }
}

/** Longest name (source, site, provider) accepted; site names of many MX hosts run long. */
export const NAME_LENGTH_MAX = 512;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `path.key`, or `key` at the root. */
export function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Names each key of `value` that is not in `known`, so a typo (`sourse`) is refused rather than ignored. */
export function checkKnownKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  path: string,
  problems: ProblemList,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.add(at(path, key), `is not a known field (known: ${known.join(', ')})`);
  }
}

/**
 * An optional name (a source, site or provider as the engine spells it): absent is undefined
 * and no problem; present, it must be a non-empty string without control characters.
 */
export function readOptionalName(value: unknown, path: string, problems: ProblemList): string | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.length > NAME_LENGTH_MAX ||
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    /[\u0000-\u001f\u007f]/.test(value)
  ) {
    problems.add(
      path,
      `must be a non-empty name of at most ${NAME_LENGTH_MAX} characters without control characters (got ${JSON.stringify(value)})`,
    );
    return undefined;
  }
  return value;
}
