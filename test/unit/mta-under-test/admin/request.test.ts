/**
 * The admin request bodies read into what EngineAdmin takes, or are refused with every problem
 * named by path: exactly the four SuspendTarget shapes are accepted, durations come as '2h' or
 * whole milliseconds within bounds, unknown fields and missing reasons are named.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { testSeed } from '../../../support/test-seed.ts';
import { HOUR_MS, MINUTE_MS } from '../../../../kernel/clock/clock.ts';
import {
  SUSPEND_DURATION_MS_MAX,
  readResumeRequest,
  readSuspendRequest,
} from '../../../../mta-under-test/reference/admin/request.ts';
import type { Checked } from '../../../../mta-under-test/reference/admin/checked.ts';

function problemsOf<T>(checked: Checked<T>): readonly { path: string; message: string }[] {
  return checked.ok ? [] : checked.problems;
}

describe('suspend targets', () => {
  test.each([
    [
      { source: 'ip-1', site: 'mx.example.net' },
      { source: 'ip-1', site: 'mx.example.net' },
    ],
    [{ site: 'mx.example.net' }, { site: 'mx.example.net' }],
    [
      { source: 'ip-1', provider: 'gmail' },
      { source: 'ip-1', provider: 'gmail' },
    ],
    [{ source: 'ip-1' }, { source: 'ip-1' }],
  ])('%j is a valid target', (fields, target) => {
    // Act
    const read = readSuspendRequest({ ...fields, duration: '2h', reason: 'complaints' });
    // Assert
    expect(read).toEqual({ ok: true, value: { target, durationMs: 2 * HOUR_MS, reason: 'complaints' } });
  });

  test.each([
    [{}, '', /names no target: give \{ source, site \} \(one egress path\)/],
    [{ provider: 'gmail' }, 'source', /is required with provider/],
    [{ site: 'mx.example.net', provider: 'gmail' }, 'provider', /cannot be combined with site/],
    [{ source: 'ip-1', site: 'mx.example.net', provider: 'gmail' }, 'provider', /cannot be combined with site/],
  ])('%j is refused at %j, listing the valid shapes', (fields, path, message) => {
    // Act
    const problems = problemsOf(readResumeRequest(fields));
    // Assert
    expect(problems).toEqual([{ path, message: expect.stringMatching(message) as unknown }]);
    expect(problems[0]?.message).toContain('{ source, provider }');
  });

  test('any mix of the three fields is accepted exactly when it is one of the four shapes', () => {
    const name = fc.option(fc.constantFrom('ip-1', 'mx.example.net', 'gmail'), { nil: undefined });
    fc.assert(
      fc.property(name, name, name, (source, site, provider) => {
        // Arrange
        const body = {
          ...(source === undefined ? {} : { source }),
          ...(site === undefined ? {} : { site }),
          ...(provider === undefined ? {} : { provider }),
        };
        const shape = Object.keys(body).sort().join('+');
        // Act
        const read = readResumeRequest(body);
        // Assert: accepted bodies come back unchanged, refused ones name one problem.
        const valid = ['site+source', 'site', 'provider+source', 'source'].includes(shape);
        expect(read.ok).toBe(valid);
        if (read.ok) expect(read.value).toEqual(body);
        else expect(read.problems).toHaveLength(1);
      }),
      { seed: testSeed(4), numRuns: 200 },
    );
  });
});

describe('suspend durations and reasons', () => {
  test.each([
    ['2h', 2 * HOUR_MS],
    ['1h 30m', 90 * MINUTE_MS],
    [90_000, 90_000],
    ['30d', SUSPEND_DURATION_MS_MAX],
  ])('duration %j is %i ms', (duration, durationMs) => {
    const read = readSuspendRequest({ source: 'ip-1', duration, reason: 'r' });
    expect(read.ok && read.value.durationMs).toBe(durationMs);
  });

  test.each([
    [undefined, /^is required: must be a duration string/],
    ['2 fortnights', /bad duration '2 fortnights': unknown unit 'fortnights'/],
    ['', /bad duration '': empty/],
    [0, /must be more than 0 and at most 30d/],
    [-5, /must be more than 0/],
    [1.5, /whole number of milliseconds \(got 1.5\)/],
    ['31d', /at most 30d \(2592000000 ms\); got 2678400000 ms/],
    [true, /got true/],
  ])('duration %j is refused: %s', (duration, message) => {
    const problems = problemsOf(readSuspendRequest({ source: 'ip-1', duration, reason: 'r' }));
    expect(problems).toEqual([{ path: 'duration', message: expect.stringMatching(message) as unknown }]);
  });

  test('a reason is required, not blank and not too long, and is kept trimmed', () => {
    expect(problemsOf(readSuspendRequest({ source: 'ip-1', duration: '1h' }))).toEqual([
      { path: 'reason', message: expect.stringMatching(/^is required/) as unknown },
    ]);
    expect(problemsOf(readSuspendRequest({ source: 'ip-1', duration: '1h', reason: '  ' }))[0]?.path).toBe('reason');
    expect(
      problemsOf(readSuspendRequest({ source: 'ip-1', duration: '1h', reason: 'x'.repeat(501) }))[0]?.message,
    ).toMatch(/at most 500 characters/);
    expect(readSuspendRequest({ source: 'ip-1', duration: '1h', reason: ' spam trap hits ' })).toMatchObject({
      ok: true,
      value: { reason: 'spam trap hits' },
    });
  });
});

describe('every problem at once', () => {
  test('a body with a bad name, an unknown field, a bad duration and no reason gets all four named', () => {
    // Act
    const problems = problemsOf(
      readSuspendRequest({ source: '', site: 'mx.example.net', duraton: '2h', duration: 'soon' }),
    );
    // Assert
    expect(problems.map((problem) => problem.path)).toEqual(['duraton', 'source', 'duration', 'reason']);
    expect(problems[0]?.message).toBe('is not a known field (known: source, site, provider, duration, reason)');
    expect(problems[1]?.message).toMatch(/must be a non-empty name/);
  });

  test('names with control characters or of the wrong type are refused by field', () => {
    const problems = problemsOf(readResumeRequest({ source: 'ip-1\n', site: 42 }));
    expect(problems.map((problem) => problem.path)).toEqual(['source', 'site']);
    expect(problems[1]?.message).toMatch(/\(got 42\)/);
  });

  test.each([null, [], 'ip-1', 3])('a body that is not an object (%j) is refused at the root', (body) => {
    expect(problemsOf(readSuspendRequest(body))).toEqual([
      { path: '', message: 'must be an object { source?, site?, provider?, duration, reason }' },
    ]);
    expect(problemsOf(readResumeRequest(body))).toEqual([
      { path: '', message: 'must be an object { source?, site?, provider? }' },
    ]);
  });
});
