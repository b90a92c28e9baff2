/**
 * The benchmark gate: each ratio of a run against the committed baseline. A ratio fails when
 * it falls more than `tolerance` (default 10 %) below its baseline; rising is never a failure.
 * Only ratios are gated: each is measured against a reference in the same run on the same
 * machine, so it holds on a noisy shared machine where absolute figures do not. Pure, so the
 * rule is unit-tested (test/unit/bench/gate.test.ts).
 */

export type Ratios = Readonly<Record<string, number>>;

export interface RatioVerdict {
  readonly name: string;
  readonly baseline: number;
  readonly current: number | undefined;
  /** current ÷ baseline − 1 (−0.12 is 12 % below); undefined when the run lacks the ratio. */
  readonly change: number | undefined;
  readonly passed: boolean;
}

export interface GateResult {
  readonly passed: boolean;
  readonly tolerance: number;
  readonly verdicts: readonly RatioVerdict[];
  /** One line per failed ratio, naming it. */
  readonly failures: readonly string[];
}

export const DEFAULT_TOLERANCE = 0.1;

export function gateRatios(baseline: Ratios, current: Ratios, tolerance = DEFAULT_TOLERANCE): GateResult {
  if (!(tolerance >= 0 && tolerance < 1))
    throw new RangeError(`tolerance: must be at least 0 and below 1 (got ${tolerance})`);
  const verdicts: RatioVerdict[] = [];
  const failures: string[] = [];
  for (const [name, base] of Object.entries(baseline)) {
    if (!(Number.isFinite(base) && base > 0))
      throw new RangeError(`baseline ratios.${name}: must be a positive number (got ${base})`);
    const value = current[name];
    if (value === undefined || !Number.isFinite(value)) {
      verdicts.push({ name, baseline: base, current: undefined, change: undefined, passed: false });
      failures.push(`ratios.${name}: missing from this run (baseline ${base})`);
      continue;
    }
    const change = value / base - 1;
    const passed = value >= base * (1 - tolerance);
    verdicts.push({ name, baseline: base, current: value, change, passed });
    if (!passed)
      failures.push(
        `ratios.${name}: ${value.toFixed(3)} is ${(-change * 100).toFixed(1)} % below the baseline ${base.toFixed(3)} (more than ${(tolerance * 100).toFixed(0)} %)`,
      );
  }
  return { passed: failures.length === 0, tolerance, verdicts, failures };
}

/** Reads a baseline file's text: `{ "ratios": { name: number, … } }`; throws naming what is wrong. */
export function parseBaseline(text: string, source: string): Ratios {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const ratios = (parsed as { ratios?: unknown } | null)?.ratios;
  if (typeof ratios !== 'object' || ratios === null || Array.isArray(ratios))
    throw new Error(`${source}: ratios: an object of name → number is expected`);
  const issues = Object.entries(ratios)
    .filter(([, value]) => typeof value !== 'number' || !(value > 0))
    .map(([name, value]) => `ratios.${name}: must be a positive number (got ${JSON.stringify(value)})`);
  if (issues.length > 0) throw new Error(`${source}:\n  ${issues.join('\n  ')}`);
  return ratios as Ratios;
}
