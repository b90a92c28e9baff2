/**
 * A gate run: the trees, the figures and the comparison for the mode, then the sampler.
 * - `--against REF`: this tree against REF's worktree, both measured in the same rounds;
 *   each figure's change is ln(head ÷ base).
 * - `--gate`: this tree against the stored baseline (refused from another machine); the
 *   change is ln(value ÷ stored).
 * - `--calibrate`: this tree against itself, every round run, to learn the spread.
 * With `--engine`, the engine measured is the user's, from each tree (its module resolved in
 * that tree), by this tree's bench; without it, each tree runs its own bench (its phase.ts),
 * since mailbench's own code is what changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isEngineModulePath, TOOL_VERSION } from '../runner/index.ts';
import { AB_FIGURES, BASELINE_FIGURES, figuresFor } from './figures.ts';
import type { FigureSpec } from './figures.ts';
import { checkSameMachine, parseBaseline } from './gate.ts';
import type { StoredBaseline } from './gate.ts';
import { machineStamp } from './machine.ts';
import type { MachineStamp } from './machine.ts';
import { BenchInputError } from './options.ts';
import type { BenchOptions, Phase } from './options.ts';
import { ownPhaseSource, runPhase, thisPhaseSource } from './phase-process.ts';
import type { PhaseSource } from './phase-process.ts';
import { AB_COMPARISON, gateDecision, sample } from './sampler.ts';
import type { Comparison, GateDecision, SamplingOutcome, Side } from './sampler.ts';
import { logRatio } from './stats.ts';
import { headTree, worktreeAt } from './trees.ts';
import type { Tree } from './trees.ts';

export interface GateReport {
  readonly schemaVersion: 1;
  readonly kind: 'gate';
  readonly mode: 'gate' | 'against' | 'calibrate';
  readonly tool: { readonly name: 'mailbench'; readonly version: string };
  readonly startedAt: string;
  readonly machine: MachineStamp & {
    readonly loadAverageStart: readonly number[];
    readonly loadAverageEnd: readonly number[];
  };
  readonly options: BenchOptions;
  /** What each side was: the other commit (or the stored baseline) and this tree. */
  readonly sides: { readonly base: string; readonly head: string };
  readonly sampling: Omit<SamplingOutcome, 'figures' | 'wallMs'> & { readonly wallSeconds: number };
  readonly figures: SamplingOutcome['figures'];
  readonly decision: GateDecision;
  /** Whole run, set-up (worktree, install) included. */
  readonly wallSeconds: number;
}

function phaseSourceFor(tree: Tree, options: BenchOptions): { source: PhaseSource; options: BenchOptions } {
  if (options.engine === undefined) {
    const source = ownPhaseSource(tree.projectDir);
    if (!existsSync(source.entry))
      throw new BenchInputError(
        `${tree.label} has no bench/phase.ts: without --engine the bench measures mailbench's own code, so it gates mailbench's commits; in your project, gate your engine with --engine ./your-engine.ts`,
      );
    return { source, options };
  }
  return {
    source: thisPhaseSource(tree.projectDir),
    options: isEngineModulePath(options.engine)
      ? { ...options, engine: resolve(tree.projectDir, options.engine) }
      : options,
  };
}

function readBaselineText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new BenchInputError(`${path}: the baseline cannot be read (${(error as Error).message})`);
  }
}

function storedComparison(baseline: StoredBaseline): Comparison {
  return {
    sides: ['head'],
    change: (figure, values) => {
      const stored = baseline.figures[figure.name];
      return stored === undefined || values.head === undefined ? undefined : logRatio(values.head, stored);
    },
  };
}

function describe(round: number, outcome: SamplingOutcome['figures']): string {
  const parts = outcome
    .filter((figure) => figure.interval !== undefined && figure.settledAfterRound === undefined)
    .map((figure) => {
      const interval = figure.interval;
      const percent = (value: number): string => `${((Math.exp(value) - 1) * 100).toFixed(1)} %`;
      return interval === undefined
        ? figure.name
        : `${figure.name} ${percent(interval.estimate)} [${Number.isFinite(interval.low) ? percent(interval.low) : '…'}, ${Number.isFinite(interval.high) ? percent(interval.high) : '…'}]`;
    });
  return `bench: round ${round + 1} done${parts.length === 0 ? '' : `; open: ${parts.join('; ')}`}`;
}

export async function runGate(options: BenchOptions, log: (line: string) => void): Promise<GateReport> {
  if (options.mode !== 'gate' && options.mode !== 'against' && options.mode !== 'calibrate')
    throw new Error(`runGate: not a gate mode (${options.mode})`);
  const wallStart = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg();
  const here = machineStamp();
  const head = await headTree(process.cwd());
  let baseline: StoredBaseline | undefined;
  if (options.mode === 'gate') {
    baseline = parseBaseline(readBaselineText(options.baseline), options.baseline);
    checkSameMachine(baseline, here, options.baseline);
  }
  const base = options.mode === 'against' ? await worktreeAt(options.against ?? 'HEAD', head.projectDir, log) : head;
  try {
    const figures: FigureSpec[] = figuresFor(options.mode === 'gate' ? BASELINE_FIGURES : AB_FIGURES, options.phases);
    if (figures.length === 0)
      throw new BenchInputError(`--only ${options.phases.join(',')}: no gated figure comes from these phases`);
    const trees: Record<Side, Tree> = { base, head };
    const runStep = async (side: Side, phase: Phase): Promise<unknown> => {
      const { source, options: sideOptions } = phaseSourceFor(trees[side], options);
      log(`bench: ${side} ${phase} …`);
      return (await runPhase(phase, sideOptions, source)).result;
    };
    const outcome = await sample({
      figures,
      comparison: baseline === undefined ? AB_COMPARISON : storedComparison(baseline),
      plan: {
        warmupRounds: options.warmupRounds,
        minRounds: options.minRounds,
        maxRounds: options.maxRounds,
        budgetMs: options.budgetSeconds * 1000,
        confidence: options.confidence,
        toleranceOf: (name) => options.tolerances[name] ?? options.tolerance,
        untilSettled: options.mode !== 'calibrate',
      },
      runStep,
      nowMs: () => performance.now(),
      onRound: (round, figuresNow) => log(describe(round, figuresNow)),
    });
    const { figures: outcomes, wallMs, ...sampling } = outcome;
    return {
      schemaVersion: 1,
      kind: 'gate',
      mode: options.mode,
      tool: { name: 'mailbench', version: TOOL_VERSION },
      startedAt,
      machine: { ...here, loadAverageStart, loadAverageEnd: loadavg() },
      options,
      sides: {
        base:
          baseline === undefined
            ? base.label
            : `${options.baseline} (recorded ${baseline.recordedAt || 'at an unknown time'}, ${baseline.rounds} rounds)`,
        head: head.label,
      },
      sampling: { ...sampling, wallSeconds: wallMs / 1000 },
      figures: outcomes,
      decision: gateDecision(outcomes),
      wallSeconds: (performance.now() - wallStart) / 1000,
    };
  } finally {
    await base.remove();
  }
}
