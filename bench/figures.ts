/**
 * The figures the gate judges, and where each comes from in the phases' results. A timed
 * figure is noisy and judged by its interval over many samples; a count figure is the same for
 * the same code and seed, so one sample is exact and its change is judged as it is.
 *
 * Two sets: against a commit (`--against`) the gate compares each figure of this tree with the
 * same figure of the other (the reference is the other commit, so absolute throughputs are
 * gated); against a stored baseline (`--gate`) it compares ratios measured in the same run
 * against a reference (Postfix, smtp-sink), which hold across days where absolute figures do not.
 */
import type { Phase } from './options.ts';
import type { Better } from './verdict.ts';

export type PhaseResults = Partial<Record<Phase, unknown>>;

export interface FigureSpec {
  readonly name: string;
  readonly phases: readonly Phase[];
  readonly kind: 'timed' | 'count';
  readonly better: Better;
  readonly unit: string;
  /** The figure from one round's results; undefined when a phase did not give it (an older tree). */
  readonly read: (results: PhaseResults) => number | undefined;
}

function path(value: unknown, keys: readonly string[]): number | undefined {
  let at: unknown = value;
  for (const key of keys) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
}

const timed = (name: string, phase: Phase, keys: readonly string[], unit: string): FigureSpec => ({
  name,
  phases: [phase],
  kind: 'timed',
  better: 'higher',
  unit,
  read: (results) => path(results[phase], keys),
});

/** The sim run's work (runner SimWork, and its attempts), each with its unit. */
const SIM_WORK: Readonly<Record<string, { readonly keys: readonly string[]; readonly unit: string }>> = {
  tasksScheduled: { keys: ['work', 'tasksScheduled'], unit: 'events' },
  tasksRun: { keys: ['work', 'tasksRun'], unit: 'events' },
  attempts: { keys: ['attempts'], unit: 'attempts' },
  connections: { keys: ['work', 'connections'], unit: 'connections' },
  transactions: { keys: ['work', 'transactions'], unit: 'transactions' },
  dataBytes: { keys: ['work', 'dataBytes'], unit: 'bytes' },
};
const simWork: readonly FigureSpec[] = Object.entries(SIM_WORK).map(([name, { keys, unit }]) => ({
  name: `sim.work.${name}`,
  phases: ['sim'],
  kind: 'count',
  better: 'lower',
  unit,
  read: (results) => path(results.sim, keys),
}));

/** `--against`: this tree's figures against the other commit's, phase by phase. */
export const AB_FIGURES: readonly FigureSpec[] = [
  timed('engine.deliveredPerSecond', 'engine', ['deliveredPerSecond'], 'delivered/s'),
  timed('fleet.acceptedPerSecond', 'fleet', ['fleet', 'acceptedPerSecond'], 'msg/s'),
  timed('sim.simulatedPerSecond', 'sim', ['simulatedPerSecond'], 'simulated deliveries/s'),
  ...simWork,
];

/** `--gate` against a stored baseline: ratios to a reference measured in the same round, and the exact counts. */
export const BASELINE_FIGURES: readonly FigureSpec[] = [
  timed('ratios.fleetVsSmtpSink', 'fleet', ['ratio'], '× smtp-sink'),
  {
    name: 'ratios.engineVsPostfix',
    phases: ['engine', 'postfix'],
    kind: 'timed',
    better: 'higher',
    unit: '× Postfix',
    read: (results) => {
      const engine = path(results.engine, ['deliveredPerSecond']);
      const postfix = path(results.postfix, ['deliveredPerSecond']);
      return engine === undefined || postfix === undefined || postfix === 0 ? undefined : engine / postfix;
    },
  },
  ...simWork,
];

/** The figures whose phases were all asked for. */
export function figuresFor(all: readonly FigureSpec[], phases: readonly Phase[]): FigureSpec[] {
  return all.filter((figure) => figure.phases.every((phase) => phases.includes(phase)));
}
