/**
 * Wall-clock time for wire mode, optionally scaled: with `scale` 1000 one simulated hour
 * passes in 3.6 real seconds, so receivers' hourly windows and the sender's retry schedules
 * play out in a test's time while both sides still see one consistent clock.
 * This file and the RNG wrapper are the only places in sim/ that may touch real time.
 */
import type { EpochMs, Scheduler, Task, TimerHandle } from './clock.ts';

/**
 * The one reading of the real date, for code that talks to real processes (Postfix's log
 * stamps, a readiness deadline) or starts a real-time run; everything else asks a Clock.
 */
export function wallClockMs(): EpochMs {
  return Date.now();
}

/** Node's setTimeout takes at most 2^31 - 1 ms; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

export interface RealSchedulerOptions {
  /** The simulated time at which the run starts. @defaultValue the real time */
  readonly startMs?: EpochMs;
  /** Simulated milliseconds per real millisecond. @defaultValue 1 */
  readonly scale?: number;
  /** Called with an error thrown or rejected by a task; the default rethrows it. */
  readonly onTaskError?: (error: unknown) => void;
}

export class RealScheduler implements Scheduler {
  private readonly realStartMs = performance.now();
  private readonly simStartMs: EpochMs;
  private readonly scale: number;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly onTaskError: (error: unknown) => void;
  private nextId = 1;

  constructor(options: RealSchedulerOptions = {}) {
    if (options.scale !== undefined && !(options.scale > 0))
      throw new RangeError(`scale must be > 0 (got ${options.scale})`);
    this.simStartMs = options.startMs ?? wallClockMs();
    this.scale = options.scale ?? 1;
    this.onTaskError =
      options.onTaskError ??
      ((error) => {
        throw error;
      });
  }

  now(): EpochMs {
    return this.simStartMs + (performance.now() - this.realStartMs) * this.scale;
  }

  /** Real milliseconds until simulated time `atMs`. */
  realDelayMs(atMs: EpochMs): number {
    return Math.max(0, (atMs - this.now()) / this.scale);
  }

  at(atMs: EpochMs, task: Task): TimerHandle {
    const handle = { id: this.nextId++ };
    this.arm(handle, atMs, task);
    return handle;
  }

  cancel(handle: TimerHandle): void {
    const timer = this.timers.get(handle.id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(handle.id);
  }

  /** Cancels every pending task (at the end of a run, so nothing keeps the process alive). */
  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get pending(): number {
    return this.timers.size;
  }

  private arm(handle: TimerHandle, atMs: EpochMs, task: Task): void {
    const delayMs = this.realDelayMs(atMs);
    const timer = setTimeout(
      () => {
        // Node may fire a timer up to a millisecond early, which a scale of thousands turns
        // into simulated seconds: a task must never see a clock before its own time.
        if (this.now() < atMs) {
          this.arm(handle, atMs, task);
          return;
        }
        this.timers.delete(handle.id);
        try {
          const outcome = task();
          // A task typed to return void may still return a value (an arrow's expression body):
          // only a promise is watched for its failure.
          if (outcome instanceof Promise) outcome.catch(this.onTaskError);
        } catch (error) {
          this.onTaskError(error);
        }
      },
      Math.min(Math.max(delayMs, 1), MAX_TIMER_MS),
    );
    this.timers.set(handle.id, timer);
  }
}
