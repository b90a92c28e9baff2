/**
 * The engine's timers and its stop switch, in one place. Every timer the engine sets is kept
 * until it fires or is cancelled, so a stop can cancel them all; a timer's task returns its
 * promise to the scheduler, so on the virtual clock the instant does not move while the work
 * it started (a transaction) is in flight.
 */
import type { EpochMs, Scheduler, TimerHandle } from '../../../kernel/index.ts';

export class EngineTimers {
  private readonly pending = new Set<TimerHandle>();
  private stoppedFlag = false;

  constructor(readonly scheduler: Scheduler) {}

  /** True once the engine was told to start no more work. */
  get stopped(): boolean {
    return this.stoppedFlag;
  }

  now(): EpochMs {
    return this.scheduler.now();
  }

  /** Runs `task` at `atMs`; nothing once stopped. */
  at(atMs: EpochMs, task: () => Promise<void> | void | undefined): TimerHandle {
    const handle = this.scheduler.at(atMs, () => {
      this.pending.delete(handle);
      return task();
    });
    this.pending.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | null | undefined): void {
    if (handle === null || handle === undefined) return;
    this.scheduler.cancel(handle);
    this.pending.delete(handle);
  }

  /** Starts nothing from now on: every pending timer is cancelled. */
  stop(): void {
    this.stoppedFlag = true;
    for (const handle of this.pending) this.scheduler.cancel(handle);
    this.pending.clear();
  }
}
