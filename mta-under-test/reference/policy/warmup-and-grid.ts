/**
 * The grid and the warm-up planner as one set of policy hooks. The grid decides which pool a
 * tenant's delivery goes to (its dedicated pool, or the grid with a share kept on the dedicated
 * IP); the planner decides which source of that pool takes it (a warming IP with allowance, else
 * a warm one, else the overflow, else hold). `chooseSourceChain` runs such steps in order: pool
 * steps narrow the request, and the first source step with an answer wins.
 *
 * How the reference policy takes it (mta-under-test/reference/policy/reference-policy.ts): the
 * result is a `PolicyComponent` (attach, observe, pathRatePerHour, chooseSource), so it goes in
 * `extras`, and the reference policy already takes the lowest cap and the first chooser's answer:
 *
 *   const placement = warmupAndGrid({ warmup: { plan: sparkpost, sources: [...] }, grid: { ... } });
 *   const policy = referencePolicy({ extras: [placement] });
 *   // placement.planner?.allowance(...) and placement.grid?.membership(...) answer reports.
 *
 * A policy without the reference policy spreads it next to a judge:
 * `{ judge: basicJudgement, ...warmupAndGrid(options) }`.
 */
import type { EpochMs } from '../../../kernel/index.ts';
import type { AccountingRecord } from '../../accounting.ts';
import type { DecisionEmitter, SendPolicy, SourceChoice, SourceRequest } from '../core/policy.ts';
import { GridGovernor } from './grid/index.ts';
import type { GridGovernorOptions } from './grid/index.ts';
import { RoundRobin, WarmupPlanner } from './warmup/index.ts';
import type { WarmupPlannerOptions } from './warmup/index.ts';

/** A step that narrows where a delivery may go: its pool and candidates (the grid). */
export interface PoolStep {
  routeRequest(request: SourceRequest): SourceRequest;
}

/** A step that picks a source, holds the delivery, or has no say (undefined; the warm-up planner). */
export interface SourceStep {
  chooseSource(request: SourceRequest): SourceChoice | undefined;
}

export type ChainStep = PoolStep | SourceStep;

/**
 * One `chooseSource` from steps run in order; undefined steps are skipped. A pool step replaces
 * the request; the first source step that answers decides. When none answers but a pool step
 * moved the delivery to other candidates, the chain picks among them by round robin (the
 * engine's own rotation would pick from the original pool); otherwise it has no say.
 */
export function chooseSourceChain(
  ...steps: readonly (ChainStep | undefined)[]
): (request: SourceRequest) => SourceChoice | undefined {
  const rotation = new RoundRobin();
  return (request) => {
    let current = request;
    for (const step of steps) {
      if (step === undefined) continue;
      if ('routeRequest' in step) {
        current = step.routeRequest(current);
        continue;
      }
      const choice = step.chooseSource(current);
      if (choice !== undefined) return choice;
    }
    if (current === request) return undefined;
    const source = rotation.pick(`pool:${current.pool}`, current.candidates);
    return source === undefined ? undefined : { source };
  };
}

/** The lower of two caps in messages per hour; null (no cap) only when both are null. */
export function minRatePerHour(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export interface WarmupAndGridOptions {
  /** Warm-up plan, warming sources, thresholds, overflow; no warm-up when absent. */
  readonly warmup?: WarmupPlannerOptions;
  /** Grid pool, tenants' dedicated pools, thresholds; no grid when absent. */
  readonly grid?: GridGovernorOptions;
}

/** The placement hooks of a SendPolicy, and the components behind them for reports and queries. */
export type WarmupAndGrid = Required<Pick<SendPolicy, 'attach' | 'chooseSource' | 'observe' | 'pathRatePerHour'>> & {
  readonly planner: WarmupPlanner | undefined;
  readonly grid: GridGovernor | undefined;
};

export function warmupAndGrid(options: WarmupAndGridOptions): WarmupAndGrid {
  const planner = options.warmup === undefined ? undefined : new WarmupPlanner(options.warmup);
  const grid = options.grid === undefined ? undefined : new GridGovernor(options.grid);
  return {
    planner,
    grid,
    chooseSource: chooseSourceChain(grid, planner),
    pathRatePerHour: (
      path: { readonly source: string; readonly site: string; readonly provider: string | null },
      nowMs: EpochMs,
    ): number | null => planner?.pathRatePerHour(path, nowMs) ?? null,
    observe: (record: AccountingRecord): void => {
      planner?.observe(record);
      grid?.observe(record);
    },
    attach: (emit: DecisionEmitter): void => {
      planner?.attach(emit);
      grid?.attach(emit);
    },
  };
}
