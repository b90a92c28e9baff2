import { expect, test } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../../mta-under-test/reference/core/retry-schedule.ts';

test('the default schedule doubles from 5 minutes and caps at 4,000 seconds', () => {
  // Act
  const delaysSeconds = [1, 2, 3, 4, 5, 6, 40].map((failed) => retryDelayMs(DEFAULT_RETRY_POLICY, failed) / 1000);
  // Assert
  expect(delaysSeconds).toEqual([300, 600, 1200, 2400, 4000, 4000, 4000]);
});

test('an attempt count below 1 is a programming error', () => {
  expect(() => retryDelayMs(DEFAULT_RETRY_POLICY, 0)).toThrow(/≥ 1/);
});
