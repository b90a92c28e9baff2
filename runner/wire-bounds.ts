/**
 * When a wire-mode run ends, checked a few times a real second by every wire driver (the
 * reference engine in-process, any MTA through its adapter): on a task's error, once the
 * timeline has handed everything over and all of it is final, or at the first bound it meets.
 */
import { performance } from 'node:perf_hooks';
import type { Outcome } from '../reports/index.ts';
import type { RunLimitsInput } from '../scenarios/index.ts';
import type { EpochMs, ErrorCode } from '../kernel/index.ts';

export interface WireRunState {
  /** What went wrong in the driver, if anything: the run ends as errored with it. */
  readonly error?: { readonly code: ErrorCode; readonly message: string };
  readonly planned: number;
  readonly injected: number;
  readonly final: number;
  readonly realElapsedMs: number;
  readonly startMs: EpochMs;
  readonly nowMs: EpochMs;
  readonly limits: Required<RunLimitsInput>;
}

/** null: go on; undefined: finished (judge it); an Outcome: ended that way. */
export function wireRunEnding(state: WireRunState): Outcome | undefined | null {
  const { limits, nowMs } = state;
  if (state.error !== undefined) return { status: 'errored', error: state.error };
  if (state.injected >= state.planned && state.final === state.injected) return undefined;
  if (state.realElapsedMs > limits.realDurationMaxMs) {
    return {
      status: 'interrupted',
      reason: `the run reached its real-time limit (limits.realDurationMaxMs = ${limits.realDurationMaxMs})`,
      atMs: nowMs,
    };
  }
  if (nowMs - state.startMs > limits.simulatedDurationMaxMs) {
    return {
      status: 'interrupted',
      reason: `the run reached its simulated duration limit (limits.simulatedDurationMaxMs = ${limits.simulatedDurationMaxMs})`,
      atMs: nowMs,
    };
  }
  return null;
}

/** What a wire driver hands the watch: its clock, its world's fleet, its counts and its error. */
export interface WireWatch {
  readonly clock: { now(): EpochMs };
  /** Lets the receivers send what is due even when no one connects to them. */
  readonly settle: (nowMs: EpochMs) => void;
  readonly counts: () => { readonly injected: number; readonly final: number };
  readonly error: () => { readonly code: ErrorCode; readonly message: string } | undefined;
  readonly planned: number;
  readonly startMs: EpochMs;
  readonly limits: Required<RunLimitsInput>;
  readonly onProgress?: ((progress: { injected: number; final: number; clockMs: EpochMs }) => void) | undefined;
}

/** How often a wire run checks its bounds and reports progress (real milliseconds). */
const WATCH_INTERVAL_MS = 250;

/** Resolves when the run ends by `wireRunEnding`'s rule: undefined when it simply finished. */
export function watchWireRun(watch: WireWatch): Promise<Outcome | undefined> {
  const realStartMs = performance.now();
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const nowMs = watch.clock.now();
      const { injected, final } = watch.counts();
      watch.onProgress?.({ injected, final, clockMs: nowMs });
      watch.settle(nowMs);
      const error = watch.error();
      const ended = wireRunEnding({
        ...(error === undefined ? {} : { error }),
        planned: watch.planned,
        injected,
        final,
        realElapsedMs: performance.now() - realStartMs,
        startMs: watch.startMs,
        nowMs,
        limits: watch.limits,
      });
      if (ended === null) return;
      clearInterval(timer);
      resolve(ended);
    }, WATCH_INTERVAL_MS);
  });
}
