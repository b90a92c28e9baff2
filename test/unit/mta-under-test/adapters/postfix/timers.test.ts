/**
 * Retry timers on the bench's clock: Postfix's defaults divided by clockScale, whole seconds,
 * never under 1 s, overrides applied, Postfix's order kept; and the next-attempt estimate.
 */
import { expect, test } from 'vitest';
import {
  nextAttemptDelayS,
  POSTFIX_DEFAULT_TIMERS,
  scaledTimers,
} from '../../../../../mta-under-test/adapters/postfix/timers.ts';

test('at real speed the timers are Postfix 3.7 defaults', () => {
  // Act / Assert
  expect(scaledTimers(1)).toEqual(POSTFIX_DEFAULT_TIMERS);
});

test('at scale 60 a simulated hour is a real minute', () => {
  // Act
  const timers = scaledTimers(60);
  // Assert
  expect(timers).toEqual({
    minimalBackoffS: 5,
    maximalBackoffS: 67,
    queueRunDelayS: 5,
    maximalQueueLifetimeS: 7_200,
    bounceQueueLifetimeS: 7_200,
    transportRetryS: 1,
  });
});

test('at large scales the timers stop at the floors: 3 s for backoff, 1 s for the rest', () => {
  // Act
  const timers = scaledTimers(3_600);
  // Assert
  expect(timers).toMatchObject({
    minimalBackoffS: 3,
    maximalBackoffS: 3,
    queueRunDelayS: 1,
    maximalQueueLifetimeS: 120,
    transportRetryS: 1,
  });
});

test('overrides win, and queue_run_delay ≤ minimal ≤ maximal backoff is kept', () => {
  // Act
  const timers = scaledTimers(1, { minimalBackoffS: 4, maximalBackoffS: 3, maximalQueueLifetimeS: 30 });
  // Assert
  expect(timers).toMatchObject({
    queueRunDelayS: 4,
    minimalBackoffS: 4,
    maximalBackoffS: 4,
    maximalQueueLifetimeS: 30,
  });
});

test('bad inputs are refused with the field named', () => {
  // Act / Assert
  expect(() => scaledTimers(0)).toThrow(/clockScale/);
  expect(() => scaledTimers(1, { minimalBackoffS: 0.5 })).toThrow(/minimalBackoffS/);
  // A 1 s backoff can race the delivery agent's lock (qmgr then waits a fixed 60 s).
  expect(() => scaledTimers(1, { minimalBackoffS: 2 })).toThrow(
    /minimalBackoffS must be a whole number of seconds ≥ 3/,
  );
});

test('the next attempt waits the message age, clamped to the backoff range', () => {
  // Arrange
  const timers = scaledTimers(1, { minimalBackoffS: 5, maximalBackoffS: 60 });
  // Act / Assert
  expect([0.2, 5, 30, 600].map((ageS) => nextAttemptDelayS(timers, ageS))).toEqual([5, 5, 30, 60]);
});
