/**
 * The discrete-event clock of sim mode: time jumps from one scheduled task to the next, so a
 * month of traffic runs as fast as the model can compute it. Tasks at the same instant run in
 * the order they were scheduled; each task's promise is awaited before the next one starts,
 * so the run is the same for the same inputs, byte for byte.
 */
import type { EpochMs, Scheduler, Task, TimerHandle } from './clock.ts';
import { EventHeap } from './event-heap.ts';

interface ScheduledTask {
  readonly handle: TimerHandle;
  readonly task: Task;
}

export interface RunLimits {
  /** Stop before running any task scheduled after this time. */
  readonly untilMs?: EpochMs;
  /** Stop after this many tasks: a bound on every run, so none can loop for ever. */
  readonly maxTasks?: number;
}

export type RunResult =
  | { readonly state: 'idle'; readonly tasksRun: number }
  | { readonly state: 'reached-time'; readonly tasksRun: number }
  | { readonly state: 'reached-task-limit'; readonly tasksRun: number }
  | { readonly state: 'stopped'; readonly tasksRun: number };

export class VirtualScheduler implements Scheduler {
  private readonly heap = new EventHeap<ScheduledTask>();
  private readonly cancelled = new Set<number>();
  private currentMs: EpochMs;
  private nextId = 1;
  private stopRequested = false;
  private tasksRunTotal = 0;

  constructor(startMs: EpochMs) {
    this.currentMs = startMs;
  }

  now(): EpochMs {
    return this.currentMs;
  }

  /** Work done so far, for the bench's exact work counts: tasks scheduled and tasks run (cancelled ones not). */
  get work(): { readonly scheduled: number; readonly run: number } {
    return { scheduled: this.nextId - 1, run: this.tasksRunTotal };
  }

  /** Tasks waiting to run (cancelled ones included until they are reached). */
  get pending(): number {
    return this.heap.size - this.cancelled.size;
  }

  at(atMs: EpochMs, task: Task): TimerHandle {
    const handle = { id: this.nextId++ };
    this.heap.push(Math.max(atMs, this.currentMs), { handle, task });
    return handle;
  }

  cancel(handle: TimerHandle): void {
    this.cancelled.add(handle.id);
  }

  /** Asks a running `run()` to return after the task in progress. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Runs tasks in time order until there are none, a limit is reached, or `stop()` is called. */
  async run(limits: RunLimits = {}): Promise<RunResult> {
    const untilMs = limits.untilMs ?? Number.POSITIVE_INFINITY;
    const maxTasks = limits.maxTasks ?? Number.POSITIVE_INFINITY;
    this.stopRequested = false;
    let tasksRun = 0;
    for (;;) {
      if (this.stopRequested) return { state: 'stopped', tasksRun };
      const next = this.heap.peek();
      if (next === undefined) return { state: 'idle', tasksRun };
      if (next.atMs > untilMs) {
        this.currentMs = Math.max(this.currentMs, untilMs);
        return { state: 'reached-time', tasksRun };
      }
      if (tasksRun >= maxTasks) return { state: 'reached-task-limit', tasksRun };
      this.heap.pop();
      if (this.cancelled.delete(next.value.handle.id)) continue;
      this.currentMs = next.atMs;
      tasksRun++;
      this.tasksRunTotal++;
      const outcome = next.value.task();
      if (outcome !== undefined) await outcome;
    }
  }
}
