/**
 * Reading a saved report back: what is not a v1 report is refused with every problem named by
 * its path, so a truncated or hand-edited file is caught before a renderer trusts it.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ReportParseError, parseReport } from '../../../reports/parse.ts';

const valid = readFileSync(new URL('../../fixtures/reports/v1-before-series.json', import.meta.url), 'utf8');

function problemsOf(text: string): string[] {
  try {
    parseReport(text, 'x.json');
  } catch (error) {
    if (error instanceof ReportParseError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

test('text that is not JSON is refused as such', () => {
  expect(problemsOf('{"schemaVersion": 1,')).toEqual([expect.stringMatching(/^\(file\): not JSON/)]);
});

test('every problem is listed with its path', () => {
  // Arrange
  const report = JSON.parse(valid) as Record<string, unknown> & { figures: Record<string, unknown> };
  const broken = {
    ...report,
    schemaVersion: 2,
    mode: 'fast',
    seed: 7,
    figures: { ...report.figures, messages: undefined },
  };
  // Act
  const problems = problemsOf(JSON.stringify(broken));
  // Assert
  expect(problems).toEqual(
    expect.arrayContaining([
      'schemaVersion: expected 1, got number 2',
      'mode: expected "sim" or "wire", got "fast"',
      'seed: expected string, got number 7',
      'figures.messages: missing (expected object)',
      'figures.messages.injected: missing (expected number)',
    ]),
  );
});

test('a series whose bucket arrays do not match its bucket count is refused', () => {
  // Arrange
  const report = JSON.parse(valid) as Record<string, unknown>;
  const row = {
    attempted: [1],
    delivered: [1, 0],
    deferred: [0, 0],
    bounced: [0, 0],
    expired: [0, 0],
    placement: { inbox: [1, 0], spam: [0, 0], discarded: [0, 0], trap: [0, 0] },
  };
  const series = {
    bucketWidthMs: 3_600_000,
    firstBucketStartMs: 0,
    bucketCount: 2,
    receivers: { gmail: row },
    bandFloors: [],
    reputation: [],
    decisions: [],
    decisionsDropped: 0,
    decisionsPerBucket: {},
  };
  // Act and assert
  expect(problemsOf(JSON.stringify({ ...report, series }))).toEqual([
    'series.receivers.gmail.attempted: expected 2 numbers (one per bucket), got an array of 1',
  ]);
});
