/**
 * The real and scaled schedulers of wire mode: a scaled clock runs simulated time faster by a
 * fixed factor and fires tasks when simulated time reaches them. Asserted by order and by the
 * clock's own reading, not by wall-clock durations (no timed tests).
 */
import { expect, test } from 'vitest';
import { HOUR_MS } from '../../../../kernel/clock/clock.ts';
import { scaledScheduler } from '../../../../kernel/clock/scaled-clock.ts';

test('a scaled scheduler fires tasks in simulated-time order, at or after their time', async () => {
  // Arrange: one simulated hour per 0.36 real seconds (scale 10,000).
  const startMs = Date.UTC(2026, 0, 5);
  const scheduler = scaledScheduler({ realSecondsPerSimulatedHour: 0.36, startMs });
  const firedAtMs: { label: string; nowMs: number }[] = [];
  // Act
  await new Promise<void>((resolve) => {
    scheduler.at(startMs + HOUR_MS / 2, () => {
      firedAtMs.push({ label: 'half', nowMs: scheduler.now() });
    });
    scheduler.at(startMs + HOUR_MS / 4, () => {
      firedAtMs.push({ label: 'quarter', nowMs: scheduler.now() });
    });
    scheduler.at(startMs + HOUR_MS, () => {
      firedAtMs.push({ label: 'hour', nowMs: scheduler.now() });
      resolve();
    });
  });
  // Assert
  expect(firedAtMs.map((fired) => fired.label)).toEqual(['quarter', 'half', 'hour']);
  expect(firedAtMs[2]?.nowMs).toBeGreaterThanOrEqual(startMs + HOUR_MS);
  expect(scheduler.pending).toBe(0);
});

test('a scale must be positive', () => {
  expect(() => scaledScheduler({ realSecondsPerSimulatedHour: 0, startMs: 0 })).toThrow(/must be > 0/);
});
