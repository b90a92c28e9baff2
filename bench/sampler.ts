/**
 * Samples, not a sample: the gate measures in rounds until every figure's interval is narrow
 * enough to say what it is, or the time budget ends. Within a round the two sides of a
 * comparison run back to back (A, B), and the order flips every round (B, A next), so a slow
 * spell of the machine falls on both sides of a pair and the second place's advantage (warm
 * caches, a cooler CPU) on each side equally (tachometer's interleaving). The first rounds warm
 * up (tsx's compile cache, the page cache, Postfix's first start) and are thrown away, as
 * hyperfine's warm-ups are. A figure that is settled stops being measured; a phase none of the
 * unsettled figures needs stops running.
 *
 * The machine is a parameter (`runStep`, `nowMs`), so the loop is tested without measuring.
 */
import type { FigureSpec, PhaseResults } from './figures.ts';
import { PHASES } from './options.ts';
import type { Phase } from './options.ts';
import { locationInterval, logRatio } from './stats.ts';
import type { Interval } from './stats.ts';
import { exactInterval, isSettled, verdictOf } from './verdict.ts';
import type { Verdict } from './verdict.ts';

/** `base` is what the change is measured against (the other commit, or the stored baseline); `head` is this tree. */
export type Side = 'base' | 'head';

export interface SamplingPlan {
  /** Rounds run first and thrown away. */
  readonly warmupRounds: number;
  /** Rounds needed before an interval exists (6 at 95 %: the signed-rank interval's least). */
  readonly minRounds: number;
  readonly maxRounds: number;
  /** No round starts that would end after this (judged by the last round's length). */
  readonly budgetMs: number;
  readonly confidence: number;
  readonly toleranceOf: (figure: string) => number;
  /** Stop measuring a figure once it is settled (a gate); false runs every round (calibration). */
  readonly untilSettled: boolean;
}

export interface Comparison {
  /** The sides each round measures: both (against a commit) or the head only (against stored values). */
  readonly sides: readonly Side[];
  /** A round's log change for a figure; undefined when the base has no value to compare with. */
  readonly change: (figure: FigureSpec, values: Partial<Record<Side, number>>) => number | undefined;
}

/** Against a commit: each round's change is ln(head ÷ base). */
export const AB_COMPARISON: Comparison = {
  sides: ['base', 'head'],
  change: (_figure, values) =>
    values.base === undefined || values.head === undefined ? undefined : logRatio(values.head, values.base),
};

export type StepRunner = (side: Side, phase: Phase) => Promise<unknown>;

/** Beyond the interval verdicts: what the run could not tell, or could not compare. */
export type FigureVerdict =
  | Exclude<Verdict, 'undecided'>
  | 'inconclusive'
  /** The head did not give the figure. */
  | 'missing'
  /** The base has no such figure (a figure newer than the other commit, or than the baseline). */
  | 'not-compared'
  /** A count figure differed between two rounds of one side: the run is not a function of its seed. */
  | 'not-deterministic';

export interface FigureOutcome {
  readonly name: string;
  readonly kind: FigureSpec['kind'];
  readonly better: FigureSpec['better'];
  readonly unit: string;
  readonly tolerance: number;
  /** Every measured value, by side, in round order (warm-ups left out). */
  readonly values: Partial<Record<Side, readonly number[]>>;
  /** Each round's log change. */
  readonly changes: readonly number[];
  readonly interval: Interval | undefined;
  readonly verdict: FigureVerdict;
  /** The round after which the figure stopped being measured (settled), if it did. */
  readonly settledAfterRound: number | undefined;
}

export interface SamplingOutcome {
  readonly figures: readonly FigureOutcome[];
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly stoppedBecause: 'settled' | 'budget' | 'max-rounds';
  readonly wallMs: number;
}

interface FigureState {
  readonly spec: FigureSpec;
  readonly values: Record<Side, number[]>;
  readonly changes: number[];
  interval: Interval | undefined;
  verdict: Verdict | Exclude<FigureVerdict, 'inconclusive'> | undefined;
  settledAfterRound: number | undefined;
}

/** A round's steps: each phase on each side, sides flipping every round; phases flip too when one side runs. */
export function roundSteps(phases: readonly Phase[], sides: readonly Side[], round: number): [Side, Phase][] {
  const flipped = Math.abs(round) % 2 === 1;
  if (sides.length === 1) {
    const side = sides[0] as Side;
    return (flipped ? [...phases].reverse() : phases).map((phase) => [side, phase]);
  }
  const order = flipped ? [...sides].reverse() : sides;
  return phases.flatMap((phase) => order.map((side): [Side, Phase] => [side, phase]));
}

function isOpen(state: FigureState): boolean {
  return state.settledAfterRound === undefined;
}

function record(
  state: FigureState,
  comparison: Comparison,
  plan: SamplingPlan,
  results: Record<Side, PhaseResults>,
  round: number,
): void {
  const { spec } = state;
  const values: Partial<Record<Side, number>> = {};
  for (const side of comparison.sides) {
    const value = spec.read(results[side]);
    if (value !== undefined) values[side] = value;
  }
  if (spec.kind === 'count' && !isOpen(state)) {
    // Settled at once; later rounds that ran its phase anyway check that it does not vary.
    for (const side of comparison.sides)
      if (values[side] !== undefined && state.values[side][0] !== undefined && values[side] !== state.values[side][0])
        state.verdict = 'not-deterministic';
    return;
  }
  for (const side of comparison.sides) if (values[side] !== undefined) state.values[side].push(values[side]);
  const tolerance = plan.toleranceOf(spec.name);
  if (values.head === undefined) return settle(state, 'missing', round);
  const change = comparison.change(spec, values);
  if (change === undefined) return settle(state, 'not-compared', round);
  state.changes.push(change);
  state.interval = spec.kind === 'count' ? exactInterval(change) : locationInterval(state.changes, plan.confidence);
  // Before minRounds a timed figure is not judged, however its few changes look.
  state.verdict =
    spec.kind === 'timed' && state.changes.length < plan.minRounds
      ? 'undecided'
      : verdictOf(state.interval, spec.better, tolerance);
  if (spec.kind === 'count' || (plan.untilSettled && isSettled(state.verdict))) state.settledAfterRound = round;
}

function settle(state: FigureState, verdict: FigureState['verdict'], round: number): void {
  state.verdict = verdict;
  state.settledAfterRound = round;
}

function finalVerdict(state: FigureState): FigureVerdict {
  const verdict = state.verdict;
  return verdict === undefined || verdict === 'undecided' ? 'inconclusive' : verdict;
}

export async function sample(options: {
  readonly figures: readonly FigureSpec[];
  readonly comparison: Comparison;
  readonly plan: SamplingPlan;
  readonly runStep: StepRunner;
  readonly nowMs: () => number;
  readonly onRound?: (round: number, figures: readonly FigureOutcome[]) => void;
}): Promise<SamplingOutcome> {
  const { comparison, plan } = options;
  const states: FigureState[] = options.figures.map((spec) => ({
    spec,
    values: { base: [], head: [] },
    changes: [],
    interval: undefined,
    verdict: undefined,
    settledAfterRound: undefined,
  }));
  const startedMs = options.nowMs();
  let lastRoundMs = 0;
  let rounds = 0;
  let stoppedBecause: SamplingOutcome['stoppedBecause'] = 'max-rounds';
  for (let round = -plan.warmupRounds; round < plan.maxRounds; round++) {
    const open = states.filter(isOpen);
    if (open.length === 0) {
      stoppedBecause = 'settled';
      break;
    }
    if (round > -plan.warmupRounds && options.nowMs() - startedMs + lastRoundMs > plan.budgetMs) {
      stoppedBecause = 'budget';
      break;
    }
    const phases = PHASES.filter((phase) => open.some((state) => state.spec.phases.includes(phase)));
    const roundStartedMs = options.nowMs();
    const results: Record<Side, PhaseResults> = { base: {}, head: {} };
    for (const [side, phase] of roundSteps(phases, comparison.sides, round))
      results[side][phase] = await options.runStep(side, phase);
    lastRoundMs = options.nowMs() - roundStartedMs;
    if (round < 0) continue;
    rounds++;
    for (const state of states)
      if (isOpen(state) || (state.spec.kind === 'count' && state.spec.phases.every((phase) => phases.includes(phase))))
        record(state, comparison, plan, results, round);
    options.onRound?.(round, states.map(outcomeOf));
  }
  if (stoppedBecause === 'max-rounds' && states.every((state) => !isOpen(state))) stoppedBecause = 'settled';
  return {
    figures: states.map(outcomeOf),
    rounds,
    warmupRounds: plan.warmupRounds,
    stoppedBecause,
    wallMs: options.nowMs() - startedMs,
  };

  function outcomeOf(state: FigureState): FigureOutcome {
    return {
      name: state.spec.name,
      kind: state.spec.kind,
      better: state.spec.better,
      unit: state.spec.unit,
      tolerance: plan.toleranceOf(state.spec.name),
      values: comparison.sides.length === 1 ? { head: state.values.head } : state.values,
      changes: state.changes,
      interval: state.interval,
      verdict: finalVerdict(state),
      settledAfterRound: state.settledAfterRound,
    };
  }
}

/** What the whole gate says: failed when any figure regressed (or went missing, or varied for a seed). */
export type GateDecision = 'passed' | 'failed' | 'inconclusive';

const FAILING: ReadonlySet<FigureVerdict> = new Set(['regression', 'missing', 'not-deterministic']);

export function gateDecision(figures: readonly Pick<FigureOutcome, 'verdict'>[]): GateDecision {
  if (figures.some((figure) => FAILING.has(figure.verdict))) return 'failed';
  if (figures.some((figure) => figure.verdict === 'inconclusive')) return 'inconclusive';
  return 'passed';
}
