/**
 * The stored baseline (`bench/baseline.json`): what `--gate` judges a run against when no other
 * commit is measured beside it. It keeps the same-run ratios and the exact work counts, the
 * machine they were measured on, and how; it is for trend lines and for a gate on one machine,
 * and is refused on another (machine.ts). Reading it reports every problem, naming the field.
 */
import { machineDifferences } from './machine.ts';
import { BenchInputError } from './options.ts';
import type { MachineStamp } from './machine.ts';

export interface StoredBaseline {
  readonly about: string;
  readonly machine: MachineStamp;
  /** Figure name (figures.ts BASELINE_FIGURES) → its median over the recorded rounds. */
  readonly figures: Readonly<Record<string, number>>;
  readonly rounds: number;
  readonly recordedAt: string;
}

const MACHINE_FIELDS: Readonly<Record<keyof MachineStamp, 'string' | 'number'>> = {
  cpuModel: 'string',
  cpus: 'number',
  node: 'string',
  postfix: 'string',
};

function machineIssues(machine: unknown): string[] {
  if (typeof machine !== 'object' || machine === null)
    return [
      'machine: the machine it was measured on is missing (record the baseline again: npm run bench -- --record-baseline)',
    ];
  return Object.entries(MACHINE_FIELDS)
    .filter(([key, type]) => typeof (machine as Record<string, unknown>)[key] !== type)
    .map(([key, type]) => `machine.${key}: a ${type} is expected`);
}

/** Reads a baseline file's text; throws naming every problem. */
export function parseBaseline(text: string, source: string): StoredBaseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BenchInputError(`${source}: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BenchInputError(`${source}: an object is expected`);
  const record = parsed as Record<string, unknown>;
  const issues = machineIssues(record['machine']);
  const figures = record['figures'];
  if (typeof figures !== 'object' || figures === null || Array.isArray(figures))
    issues.push('figures: an object of figure name → number is expected');
  else
    issues.push(
      ...Object.entries(figures)
        .filter(([, value]) => typeof value !== 'number' || !(value > 0))
        .map(([name, value]) => `figures.${name}: must be a positive number (got ${JSON.stringify(value)})`),
    );
  if (!(typeof record['rounds'] === 'number' && record['rounds'] >= 1))
    issues.push('rounds: a whole number ≥ 1 is expected');
  if (issues.length > 0) throw new BenchInputError(`${source}:\n  ${issues.join('\n  ')}`);
  return {
    about: typeof record['about'] === 'string' ? record['about'] : '',
    machine: record['machine'] as MachineStamp,
    figures: figures as Record<string, number>,
    rounds: record['rounds'] as number,
    recordedAt: typeof record['recordedAt'] === 'string' ? record['recordedAt'] : '',
  };
}

/** Throws when the baseline was measured on another machine, naming every difference. */
export function checkSameMachine(baseline: StoredBaseline, here: MachineStamp, source: string): void {
  const differences = machineDifferences(baseline.machine, here);
  if (differences.length > 0)
    throw new BenchInputError(
      `${source} was measured on another machine (${differences.join('; ')}): its figures do not hold here. Gate against a commit instead (--against REF), or record a baseline on this machine (--record-baseline)`,
    );
}
