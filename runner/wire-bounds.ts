/**
 * When a wire-mode run ends, checked a few times a real second by every wire driver (the
 * reference engine in-process, any MTA through its adapter): on a task's error, once the
 * timeline has handed everything over and all of it is final, or at the first bound it meets.
 */
import type { Outcome } from '../reports/schema.ts';
import type { RunLimitsInput } from '../scenarios/scenario.ts';
import type { EpochMs } from '../sim/clock/clock.ts';

export interface WireRunState {
  /** What went wrong in the driver, if anything: the run ends as errored with it. */
  readonly error?: { readonly code: string; readonly message: string };
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
    return { status: 'interrupted', reason: `the run reached its real-time limit (limits.realDurationMaxMs = ${limits.realDurationMaxMs})`, atMs: nowMs };
  }
  if (nowMs - state.startMs > limits.simulatedDurationMaxMs) {
    return { status: 'interrupted', reason: `the run reached its simulated duration limit (limits.simulatedDurationMaxMs = ${limits.simulatedDurationMaxMs})`, atMs: nowMs };
  }
  return null;
}
