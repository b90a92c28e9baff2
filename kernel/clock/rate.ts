/**
 * Human rates at the edge ('3/m', '2000/h', '1,000,000/d', '50 per hour'), messages per
 * millisecond never: a rate is read once into a count per period, and callers ask for the
 * period they think in (per hour for shaping, per day for warm-ups). Same unit words as
 * durations ('m' is a minute, as in KumoMTA's throttle syntax).
 */
import { unitMs } from './duration.ts';
import type { Milliseconds } from './clock.ts';

/** A count over a period: '2000/h' is { count: 2000, periodMs: 3 600 000 }. */
export interface Rate {
  readonly count: number;
  readonly periodMs: Milliseconds;
}

type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** `<count>/<unit>`, `<count> per <unit>`, or `<count>/<n><unit>` ('100/5m'); thousands separators allowed. */
const RATE = /^\s*(\d[\d,_]*(?:\.\d+)?)\s*(?:\/|per\s+)\s*(\d+(?:\.\d+)?)?\s*([a-z]+)\s*$/i;

export function readRate(text: string): Read<Rate> {
  const fail = (why: string): Read<Rate> => ({
    ok: false,
    message: `bad rate '${text}': ${why} (examples: '3/m', '2000/h', '1,000,000/d', '50 per hour')`,
  });
  const match = RATE.exec(text);
  if (match === null) return fail('expected <count>/<unit>');
  const [, countText = '', multiplierText, unit = ''] = match;
  const lengthMs = unitMs(unit);
  if (lengthMs === undefined) return fail(`unknown unit '${unit}'`);
  const count = Number(countText.replace(/[,_]/g, ''));
  const periodMs = lengthMs * (multiplierText === undefined ? 1 : Number(multiplierText));
  if (!Number.isFinite(count)) return fail('the count is not a number');
  if (periodMs <= 0) return fail('the period must be longer than 0');
  return { ok: true, value: { count, periodMs } };
}

/** The rate's count over another period: perPeriod({ 3, 1 min }, 1 h) = 180. */
export function ratePer(rate: Rate, periodMs: Milliseconds): number {
  return (rate.count * periodMs) / rate.periodMs;
}
