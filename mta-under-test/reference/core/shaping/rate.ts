/**
 * Rates as KumoMTA writes them: '100/min', '3/m', '20/s', '1,000/h', '50000/day', optionally
 * '100/day,max_burst=1' (research/engines.md §3.2: "Throttle syntax accepts /s, /min, /h, /day
 * with ,/_ digit separators"; §8.4 for `max_burst`). Parsed once into `{ count, perMs }`.
 */
import {
  DAY_MS,
  formatDuration,
  HOUR_MS,
  MINUTE_MS,
  readDuration,
  SECOND_MS,
  unitMs,
} from '../../../../kernel/index.ts';
import type { Milliseconds } from '../../../../kernel/index.ts';
import type { Read } from './read.ts';

/** `count` events per `perMs` milliseconds. */
export interface Rate {
  readonly count: number;
  readonly perMs: Milliseconds;
  /**
   * How many events may pass at once after a quiet spell.
   * @defaultValue `count`, as KumoMTA's throttle (`max_burst.unwrap_or(limit)`).
   */
  readonly maxBurst?: number;
}

const COUNT = /^\d{1,3}(?:[,_]?\d{3})*$|^\d+$/;
const BURST = /^max_burst\s*=\s*(\d+)$/;

function readPeriodMs(period: string): Read<Milliseconds> {
  // A bare unit ('min') means one of it; '5min' is read as a duration.
  const bare = unitMs(period);
  if (bare !== undefined) return { ok: true, value: bare };
  return readDuration(period);
}

/** Reads a rate string; never throws. */
export function readRate(text: string): Read<Rate> {
  const fail = (why: string): Read<Rate> => ({
    ok: false,
    message: `bad rate '${text}': ${why} (examples: '100/min', '20/s', '50000/day,max_burst=1')`,
  });
  const [head = '', ...options] = splitOptions(text);
  const slash = head.indexOf('/');
  if (slash < 0) return fail("expected '<count>/<period>'");
  const countText = head.slice(0, slash).trim();
  if (!COUNT.test(countText)) return fail(`count '${countText}' is not a whole number`);
  const count = Number(countText.replace(/[,_]/g, ''));
  if (!Number.isSafeInteger(count)) return fail(`count '${countText}' is too large`);
  if (count < 1) return fail('count must be ≥ 1 (suspend a path instead of giving it a zero rate)');
  const periodText = head.slice(slash + 1).trim();
  const period = readPeriodMs(periodText);
  if (!period.ok) return fail(`unknown period '${periodText}'`);
  if (period.value <= 0) return fail('the period must be longer than zero');
  let maxBurst: number | undefined;
  for (const option of options) {
    const burst = BURST.exec(option.trim());
    if (burst === null) return fail(`unknown option '${option.trim()}' (only max_burst=N)`);
    maxBurst = Number(burst[1]);
    if (!Number.isSafeInteger(maxBurst) || maxBurst < 1) return fail('max_burst must be a whole number ≥ 1');
  }
  return {
    ok: true,
    value: maxBurst === undefined ? { count, perMs: period.value } : { count, perMs: period.value, maxBurst },
  };
}

/** Splits 'N/period,opt=…' after the slash only, so that '1,000/h' keeps its digit separator. */
function splitOptions(text: string): string[] {
  const slash = text.indexOf('/');
  if (slash < 0) return [text];
  const [period = '', ...options] = text.slice(slash + 1).split(',');
  return [`${text.slice(0, slash)}/${period}`, ...options];
}

/** Like `readRate`, but throws a `RangeError` naming the bad string. */
export function parseRate(text: string): Rate {
  const read = readRate(text);
  if (!read.ok) throw new RangeError(read.message);
  return read.value;
}

const PERIOD_NAMES: ReadonlyMap<Milliseconds, string> = new Map([
  [SECOND_MS, 's'],
  [MINUTE_MS, 'min'],
  [HOUR_MS, 'h'],
  [DAY_MS, 'day'],
]);

/** Back to the string form, which `readRate` reads again: { count: 100, perMs: 60 000 } → '100/min'. */
export function formatRate(rate: Rate): string {
  const base = `${rate.count}/${PERIOD_NAMES.get(rate.perMs) ?? formatDuration(rate.perMs)}`;
  return rate.maxBurst === undefined ? base : `${base},max_burst=${rate.maxBurst}`;
}
