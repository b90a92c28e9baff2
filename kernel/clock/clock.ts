/**
 * Time as a parameter (DESIGN rule 1). Everything in sim/, scenarios/ and the engine's core
 * reads time from a `Clock` and schedules through a `Scheduler`; nothing reads the wall clock.
 * Three implementations: virtual (discrete events, sim mode), real and scaled (wire mode).
 */

/** Milliseconds since the Unix epoch, on whatever clock the run uses. */
export type EpochMs = number;
/** A duration in milliseconds. */
export type Milliseconds = number;

export const SECOND_MS: Milliseconds = 1_000;
export const MINUTE_MS: Milliseconds = 60 * SECOND_MS;
export const HOUR_MS: Milliseconds = 60 * MINUTE_MS;
export const DAY_MS: Milliseconds = 24 * HOUR_MS;

export interface Clock {
  now(): EpochMs;
}

/**
 * A task runs at its time. It may return a promise: the virtual scheduler waits for it before
 * it advances time, so a task must not wait for time itself (it schedules a new task instead).
 */
export type Task = () => void | Promise<void>;

export interface TimerHandle {
  readonly id: number;
}

export interface Scheduler extends Clock {
  /** Runs `task` at `atMs` (at once if `atMs` is not in the future). */
  at(atMs: EpochMs, task: Task): TimerHandle;
  cancel(handle: TimerHandle): void;
}

/**
 * The start of every run's clock unless a scenario says otherwise: 2026-01-05T00:00:00Z, a
 * Monday, so that day-of-week effects line up across runs.
 */
export const DEFAULT_EPOCH_MS: EpochMs = Date.UTC(2026, 0, 5);
