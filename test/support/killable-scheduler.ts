/**
 * One process's view of a shared virtual clock, for crash tests: every timer the process sets
 * goes through it, and `kill()` cancels them all at once, as a kill -9 ends a process's timers.
 * The clock itself keeps running for whatever is built next (a restarted engine, the receivers).
 */
import type { EpochMs, Scheduler, Task, TimerHandle } from '../../kernel/clock/clock.ts';
import type { VirtualScheduler } from '../../kernel/clock/virtual-scheduler.ts';

/** The handle a dead process gets back: cancelling it does nothing. */
const DEAD_HANDLE: TimerHandle = { id: -1 };

export class KillableScheduler implements Scheduler {
  private readonly live = new Set<TimerHandle>();
  private dead = false;

  constructor(private readonly clock: VirtualScheduler) {}

  get isDead(): boolean {
    return this.dead;
  }

  now(): EpochMs {
    return this.clock.now();
  }

  at(atMs: EpochMs, task: Task): TimerHandle {
    if (this.dead) return DEAD_HANDLE;
    const handle = this.clock.at(atMs, () => {
      this.live.delete(handle);
      return this.dead ? undefined : task();
    });
    this.live.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle): void {
    if (!this.live.delete(handle)) return;
    this.clock.cancel(handle);
  }

  /** The process is gone: none of its timers will run, and it can set no new ones. */
  kill(): void {
    this.dead = true;
    for (const handle of this.live) this.clock.cancel(handle);
    this.live.clear();
  }
}
