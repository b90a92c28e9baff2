/**
 * Human rate and duration strings are parsed once, at load: the accepted forms give the right
 * `{ count, perMs }` / milliseconds, bad strings fail with a message naming the string, and the
 * formatted form reads back to the same value.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../../../kernel/clock/clock.ts';
import { formatDuration, parseDuration, readDuration } from '../../../../kernel/clock/duration.ts';
import { formatRate, parseRate, readRate } from '../../../../mta-under-test/reference/core/shaping/rate.ts';

describe('rates', () => {
  test.each([
    ['100/min', { count: 100, perMs: MINUTE_MS }],
    ['3/m', { count: 3, perMs: MINUTE_MS }],
    ['20/s', { count: 20, perMs: SECOND_MS }],
    ['1000/h', { count: 1000, perMs: HOUR_MS }],
    ['50000/day', { count: 50_000, perMs: DAY_MS }],
    ['1,000/hr', { count: 1000, perMs: HOUR_MS }],
    ['10_000/d', { count: 10_000, perMs: DAY_MS }],
    [' 5 / 10min ', { count: 5, perMs: 10 * MINUTE_MS }],
    ['100/day,max_burst=1', { count: 100, perMs: DAY_MS, maxBurst: 1 }],
  ])('%s parses', (text, expected) => {
    expect(parseRate(text)).toEqual(expected);
  });

  test.each([
    ['100', "expected '<count>/<period>'"],
    ['ten/min', "count 'ten' is not a whole number"],
    ['0/min', 'count must be ≥ 1'],
    ['-5/min', "count '-5' is not a whole number"],
    ['1.5/s', "count '1.5' is not a whole number"],
    ['10/fortnight', "unknown period 'fortnight'"],
    ['10/', "unknown period ''"],
    ['10/min,burst=3', "unknown option 'burst=3'"],
    ['10/min,max_burst=0', 'max_burst must be a whole number ≥ 1'],
    ['10/0s', 'the period must be longer than zero'],
    ['1,0000/h', "count '1,0000' is not a whole number"],
    ['99999999999999999999/s', 'is too large'],
  ])('%s is refused: %s', (text, why) => {
    // Act
    const read = readRate(text);
    // Assert
    expect(read).toEqual({ ok: false, message: expect.stringContaining(why) as unknown });
    expect(() => parseRate(text)).toThrow(`bad rate '${text}'`);
  });

  test('a formatted rate reads back to the same rate', () => {
    const periods = [SECOND_MS, MINUTE_MS, HOUR_MS, DAY_MS, 1, 250, 90 * SECOND_MS, 7 * DAY_MS];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(...periods),
        fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
        (count, perMs, maxBurst) => {
          const rate = maxBurst === undefined ? { count, perMs } : { count, perMs, maxBurst };
          expect(parseRate(formatRate(rate))).toEqual(rate);
        },
      ),
    );
  });

  test('common rates print the way people write them', () => {
    expect(formatRate(parseRate('100/min'))).toBe('100/min');
    expect(formatRate(parseRate('20/s'))).toBe('20/s');
    expect(formatRate(parseRate('500/d,max_burst=1'))).toBe('500/day,max_burst=1');
  });
});

describe('durations', () => {
  test.each([
    ['30s', 30 * SECOND_MS],
    ['5m', 5 * MINUTE_MS],
    ['1h', HOUR_MS],
    ['2d', 2 * DAY_MS],
    ['1h30m', 90 * MINUTE_MS],
    ['1h 30min', 90 * MINUTE_MS],
    ['250ms', 250],
    ['1.5s', 1500],
    ['10 seconds', 10 * SECOND_MS],
  ])('%s is %i ms', (text, expectedMs) => {
    expect(parseDuration(text)).toBe(expectedMs);
  });

  test.each([
    ['', 'empty'],
    ['30', 'expected <number><unit>'],
    ['5 fortnights', "unknown unit 'fortnights'"],
    ['-5s', 'expected <number><unit>'],
    ['0.5ms', 'not a whole number of milliseconds'],
  ])("'%s' is refused: %s", (text, why) => {
    expect(readDuration(text)).toEqual({ ok: false, message: expect.stringContaining(why) as unknown });
    expect(() => parseDuration(text)).toThrow(`bad duration '${text}'`);
  });

  test('a formatted duration reads back to the same milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * DAY_MS }), (durationMs) => {
        expect(parseDuration(formatDuration(durationMs))).toBe(durationMs);
      }),
    );
  });
});
