/**
 * The bench's JSON (what `--json` prints and the gate reads) and how it is assembled from the
 * phases' results. Ratios first; every absolute figure beside them; the machine it ran on.
 */
import type { EndToEndFigure } from './delivery-count.ts';
import type { FleetAcceptResult } from './fleet-accept.ts';
import type { InjectionResult } from './injection.ts';
import type { InjectionLatencyResult } from './injection-latency.ts';
import type { BenchOptions, Phase } from './options.ts';
import type { PostfixEndToEnd } from './postfix-e2e.ts';
import type { SimRate, WarmupFigure } from './sim.ts';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  /** 1, 5 and 15 minute load averages when the run started and when it ended. */
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly node: string;
  readonly postfix: string;
}

export interface PhaseResults {
  readonly fleet?: FleetAcceptResult;
  /** The reference engine's figure, or with --engine the named MTA's (mta-e2e.ts: with `mta` and `version`). */
  readonly engine?: EndToEndFigure & { readonly mta?: string; readonly version?: string };
  readonly postfix?: PostfixEndToEnd;
  readonly injection?: InjectionResult;
  readonly 'injection-latency'?: InjectionLatencyResult;
  readonly sim?: SimRate;
  readonly warmup?: WarmupFigure;
}

export interface BenchReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'mailbench'; readonly version: string };
  readonly startedAt: string;
  readonly wallSeconds: number;
  readonly machine: Machine;
  readonly options: BenchOptions;
  /** Each a figure ÷ its reference, measured in the same run; the gate compares these. */
  readonly ratios: { readonly fleetVsSmtpSink?: number; readonly engineVsPostfix?: number };
  readonly goals: {
    readonly fleetVsSmtpSink: number;
    readonly engineVsPostfix: number;
    readonly warmup30dSecondsAtFullScale: number;
  };
  readonly fleet?: FleetAcceptResult;
  readonly engineEndToEnd?: {
    readonly engine?: EndToEndFigure & { readonly mta?: string; readonly version?: string };
    readonly postfix?: PostfixEndToEnd;
  };
  readonly injection?: InjectionResult;
  /** Small requests' p99 while large batches are accepted (not gated: a latency, not a ratio). */
  readonly injectionLatency?: InjectionLatencyResult;
  readonly sim?: {
    readonly simulatedPerSecond?: number;
    readonly rate?: SimRate;
    /** Measured wall seconds of warmup-30d at `warmup30dScale`; null when the scenario is missing. */
    readonly warmup30dSeconds?: number | null;
    readonly warmup30dScale?: number;
    readonly warmup30dMessages?: number;
    /** A linear projection (seconds ÷ scale), not a measurement. */
    readonly warmup30dProjectedFullScaleSeconds?: number;
    readonly warmup30d?: WarmupFigure;
  };
  /** Peak resident memory of each phase's own process (process.resourceUsage().maxRSS). */
  readonly peakRssMb: Partial<Record<Phase, number>>;
}

export const GOALS = { fleetVsSmtpSink: 0.5, engineVsPostfix: 1, warmup30dSecondsAtFullScale: 20 } as const;

export function ratiosOf(results: PhaseResults): BenchReport['ratios'] {
  return {
    ...(results.fleet === undefined ? {} : { fleetVsSmtpSink: results.fleet.ratio }),
    ...(results.engine === undefined || results.postfix === undefined
      ? {}
      : { engineVsPostfix: results.engine.deliveredPerSecond / results.postfix.deliveredPerSecond }),
  };
}

export function simSection(results: PhaseResults): BenchReport['sim'] {
  if (results.sim === undefined && results.warmup === undefined) return undefined;
  const warmup = results.warmup;
  return {
    ...(results.sim === undefined ? {} : { simulatedPerSecond: results.sim.simulatedPerSecond, rate: results.sim }),
    ...(warmup === undefined
      ? {}
      : warmup.status === 'measured'
        ? {
            warmup30dSeconds: warmup.wallSeconds,
            warmup30dScale: warmup.scale,
            warmup30dMessages: warmup.messages,
            warmup30dProjectedFullScaleSeconds: warmup.projectedFullScaleSeconds,
            warmup30d: warmup,
          }
        : { warmup30dSeconds: null, warmup30d: warmup }),
  };
}
