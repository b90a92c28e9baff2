/**
 * The virtual scheduler is the heart of sim mode's determinism: tasks run in time order,
 * ties in the order they were scheduled, and time only moves when a task is reached. These
 * tests pin those rules, the limits that stop every run by itself, and cancellation.
 */
import { describe, expect, test } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../../../kernel/clock/clock.ts';
import { VirtualScheduler } from '../../../../kernel/clock/virtual-scheduler.ts';

const START_MS = Date.UTC(2026, 0, 5);

describe('VirtualScheduler', () => {
  test('runs tasks in time order and ties in scheduling order, moving the clock to each', async () => {
    // Arrange
    const scheduler = new VirtualScheduler(START_MS);
    const seen: string[] = [];
    const note = (label: string) => () => {
      seen.push(`${label}@${(scheduler.now() - START_MS) / MINUTE_MS}`);
    };
    scheduler.at(START_MS + 10 * MINUTE_MS, note('c'));
    scheduler.at(START_MS + 5 * MINUTE_MS, note('a'));
    scheduler.at(START_MS + 5 * MINUTE_MS, note('b'));
    // Act
    const result = await scheduler.run();
    // Assert
    expect(seen).toEqual(['a@5', 'b@5', 'c@10']);
    expect(result).toEqual({ state: 'idle', tasksRun: 3 });
  });

  test('waits for a task’s promise, and runs tasks that tasks schedule', async () => {
    const scheduler = new VirtualScheduler(START_MS);
    const seen: number[] = [];
    scheduler.at(START_MS, async () => {
      await Promise.resolve();
      seen.push(1);
      scheduler.at(scheduler.now() + HOUR_MS, () => {
        seen.push(2);
      });
    });
    await scheduler.run();
    expect(seen).toEqual([1, 2]);
    expect(scheduler.now()).toBe(START_MS + HOUR_MS);
  });

  test('a task scheduled in the past runs now, never moving time backwards', async () => {
    const scheduler = new VirtualScheduler(START_MS + HOUR_MS);
    let ranAtMs = 0;
    scheduler.at(START_MS, () => {
      ranAtMs = scheduler.now();
    });
    await scheduler.run();
    expect(ranAtMs).toBe(START_MS + HOUR_MS);
  });

  test('stops at its time limit, at its task limit, and skips cancelled tasks', async () => {
    const scheduler = new VirtualScheduler(START_MS);
    let runs = 0;
    const forever = (): void => {
      runs++;
      scheduler.at(scheduler.now() + MINUTE_MS, forever);
    };
    scheduler.at(START_MS, forever);
    expect(await scheduler.run({ untilMs: START_MS + 30 * MINUTE_MS })).toEqual({
      state: 'reached-time',
      tasksRun: 31,
    });
    expect(scheduler.now()).toBe(START_MS + 30 * MINUTE_MS);
    expect(await scheduler.run({ maxTasks: 5 })).toEqual({ state: 'reached-task-limit', tasksRun: 5 });
    expect(runs).toBe(36);

    const other = new VirtualScheduler(START_MS);
    const handle = other.at(START_MS + 1, () => {
      throw new Error('cancelled task ran');
    });
    other.cancel(handle);
    expect(await other.run()).toEqual({ state: 'idle', tasksRun: 0 });
  });
});
