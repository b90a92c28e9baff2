/**
 * Sim mode: how fast the simulator runs, and how much work it does. Each from one run in this process:
 * - simulated deliveries per wall second of a library scenario (default `smoke`), with the
 *   run's work counts (scheduler tasks, connections, transactions, DATA bytes: exact for a seed);
 * - the wall time of `warmup-30d` at a reduced volume scale (a full-scale run of ~10 M
 *   messages takes far longer than a bench may). The scale, the messages and the seconds are
 *   measured; the full-scale time is a linear projection (seconds ÷ scale), reported under its
 *   own name and never as a measurement.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_SEED, runScenario } from '../runner/index.ts';
import type { SimWork } from '../runner/index.ts';
import { findScenario, resolveScenario } from '../scenarios/index.ts';

export interface SimRate {
  readonly scenario: string;
  readonly delivered: number;
  readonly attempts: number;
  readonly wallSeconds: number;
  /** Delivered messages per wall second. */
  readonly simulatedPerSecond: number;
  readonly attemptsPerSecond: number;
  /** The run's work, the same for the same seed: gated exactly, without noise. */
  readonly work?: SimWork;
}

export type WarmupFigure =
  | {
      readonly status: 'measured';
      readonly scenario: string;
      readonly scale: number;
      readonly messages: number;
      readonly attempts: number;
      readonly wallSeconds: number;
      readonly projectedFullScaleMessages: number;
      readonly projectedFullScaleSeconds: number;
    }
  | { readonly status: 'missing'; readonly scenario: string; readonly reason: string };

function scenarioNamed(name: string) {
  const input = findScenario(name);
  if (input === undefined) throw new Error(`no scenario named ${JSON.stringify(name)} in scenarios/library.ts`);
  return input;
}

export async function measureSimRate(options: { readonly scenario: string }): Promise<SimRate> {
  const scenario = resolveScenario(scenarioNamed(options.scenario));
  const startedAt = performance.now();
  const { report, work } = await runScenario({ scenario, seed: DEFAULT_SEED, mode: 'sim' });
  const wallSeconds = (performance.now() - startedAt) / 1000;
  if (report.outcome.status === 'errored')
    throw new Error(`sim run of ${options.scenario} errored: ${JSON.stringify(report.outcome)}`);
  const delivered = report.figures.messages.delivered;
  const attempts = report.figures.attempts.total;
  return {
    scenario: options.scenario,
    delivered,
    attempts,
    wallSeconds,
    simulatedPerSecond: delivered / wallSeconds,
    attemptsPerSecond: attempts / wallSeconds,
    ...(work === undefined ? {} : { work }),
  };
}

export async function measureWarmup(options: {
  readonly scenario: string;
  readonly scale: number;
}): Promise<WarmupFigure> {
  const input = findScenario(options.scenario);
  if (input === undefined)
    return {
      status: 'missing',
      scenario: options.scenario,
      reason: `no scenario named ${JSON.stringify(options.scenario)} in scenarios/library.ts yet`,
    };
  const scenario = resolveScenario(input, { scale: options.scale });
  const startedAt = performance.now();
  const { report } = await runScenario({ scenario, seed: DEFAULT_SEED, mode: 'sim' });
  const wallSeconds = (performance.now() - startedAt) / 1000;
  if (report.outcome.status === 'errored')
    throw new Error(
      `sim run of ${options.scenario} at scale ${options.scale} errored: ${JSON.stringify(report.outcome)}`,
    );
  return {
    status: 'measured',
    scenario: options.scenario,
    scale: options.scale,
    messages: report.figures.messages.injected,
    attempts: report.figures.attempts.total,
    wallSeconds,
    projectedFullScaleMessages: Math.round(report.figures.messages.injected / options.scale),
    projectedFullScaleSeconds: wallSeconds / options.scale,
  };
}
