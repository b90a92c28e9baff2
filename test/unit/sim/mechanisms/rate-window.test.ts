import { expect, test } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../../../kernel/clock/clock.ts';
import { RollingWindow } from '../../../../sim/mechanisms/rate-window.ts';

const T0 = Date.UTC(2026, 0, 5);

test('counts per key inside the window and frees a count once its minute is an hour old', () => {
  // Arrange
  const window = new RollingWindow(HOUR_MS, MINUTE_MS);
  window.add('127.0.0.2', T0, 3);
  window.add('127.0.0.2', T0 + 30 * MINUTE_MS);
  window.add('127.0.0.3', T0);
  // Act
  const counts = [
    window.count('127.0.0.2', T0 + 59 * MINUTE_MS),
    window.count('127.0.0.2', T0 + 60 * MINUTE_MS),
    window.count('127.0.0.2', T0 + 90 * MINUTE_MS),
    window.count('127.0.0.3', T0 + 59 * MINUTE_MS + 59_999),
    window.count('127.0.0.9', T0),
  ];
  // Assert
  expect(counts).toEqual([4, 1, 0, 1, 0]);
});

test('a window must be a whole number of buckets', () => {
  expect(() => new RollingWindow(HOUR_MS, 7 * MINUTE_MS)).toThrow(/whole number of buckets/);
});
