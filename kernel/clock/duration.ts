/**
 * Human durations at the edge ('30s', '5m', '1h', '2d', '1h30m', '1 hour'), milliseconds inside.
 * Parsed once when a file loads (a scenario, a shaping file), like KumoMTA's `idle_timeout = "60s"`
 * (research/engines.md §3.2), so that a typo fails at load time and not in the middle of a run.
 * Shared by the world's scenario files and the engine's configuration, as the clock is.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './clock.ts';
import type { Milliseconds } from './clock.ts';

/** A value read from human input, or the reason it could not be read: parsing errors as data. */
type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** Unit words and their length. `m` is a minute, as in KumoMTA's throttle syntax. */
const UNIT_MS: ReadonlyMap<string, Milliseconds> = new Map([
  ...['ms', 'msec', 'millisecond', 'milliseconds'].map((unit) => [unit, 1] as const),
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((unit) => [unit, SECOND_MS] as const),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((unit) => [unit, MINUTE_MS] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((unit) => [unit, HOUR_MS] as const),
  ...['d', 'day', 'days'].map((unit) => [unit, DAY_MS] as const),
]);

/** The length of one unit word ('min' → 60 000), or undefined for an unknown word. */
export function unitMs(unit: string): Milliseconds | undefined {
  return UNIT_MS.get(unit.toLowerCase());
}

const PART = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/giy;

/** Reads '90s', '5m', '1h 30m' or '2d' into whole milliseconds; never throws. */
export function readDuration(text: string): Read<Milliseconds> {
  const trimmed = text.trim();
  const fail = (why: string): Read<Milliseconds> => ({
    ok: false,
    message: `bad duration '${text}': ${why} (examples: '30s', '5m', '1h', '2d')`,
  });
  if (trimmed === '') return fail('empty');
  let totalMs = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let match = PART.exec(trimmed); match !== null; match = PART.exec(trimmed)) {
    const [, amount = '', unit = ''] = match;
    const lengthMs = unitMs(unit);
    if (lengthMs === undefined) return fail(`unknown unit '${unit}'`);
    totalMs += Number(amount) * lengthMs;
    consumed = PART.lastIndex;
  }
  if (consumed !== trimmed.length) return fail('expected <number><unit>, repeated');
  if (!Number.isInteger(totalMs)) return fail('not a whole number of milliseconds');
  return { ok: true, value: totalMs };
}

/** Like `readDuration`, but throws a `RangeError` naming the bad string. */
export function parseDuration(text: string): Milliseconds {
  const read = readDuration(text);
  if (!read.ok) throw new RangeError(read.message);
  return read.value;
}

/** The shortest exact form, which `readDuration` reads again: 90 000 → '90s', 3 600 000 → '1h', 1 500 → '1500ms'. */
export function formatDuration(durationMs: Milliseconds): string {
  for (const [unit, lengthMs] of [
    ['d', DAY_MS],
    ['h', HOUR_MS],
    ['min', MINUTE_MS],
    ['s', SECOND_MS],
  ] as const) {
    if (durationMs !== 0 && durationMs % lengthMs === 0) return `${durationMs / lengthMs}${unit}`;
  }
  return `${durationMs}ms`;
}
