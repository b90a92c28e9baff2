/**
 * The mailbench matchers through vitest's own `expect`: each passes on a real sim run of the
 * smoke scenario (at a fifth of its volume) where its figure holds, and fails on a report where
 * it must not hold, with a message that names the metric, the receiver, the value found, the
 * bound and the seed. Missing figures and bad arguments are errors whatever the `.not`.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../../api/index.ts';
import type { ReportV1 } from '../../../api/index.ts';
import { installMailbenchMatchers } from '../../../api/vitest.ts';
import { handBuiltReport } from './_support/hand-built-report.ts';

installMailbenchMatchers();

const REPLAY = '(scenario smoke, seed hand-built, mode sim)';
const handBuilt = handBuiltReport();

describe('on a real sim run of smoke (2,000 Gmail recipients, 3 % unknown)', () => {
  let report: ReportV1;
  beforeAll(async () => {
    report = await run('smoke', { seed: '5', scale: 0.2 });
  });

  test('the run passes, delivers nearly everything, and bounces the unknown 3 %, no more', () => {
    expect(report.figures.messages.injected).toBe(2_000);
    expect(report).toMeetExpectations();
    expect(report).toHaveDeliveredShareAbove(0.95);
    expect(report).toHaveDeliveredShareAbove(0.95, 'gmail');
    expect(report).toHaveBounceRateBelow(0.05, 'gmail');
    expect(report).not.toHaveBounceRateBelow(0.02);
    expect(report).toHaveDeferralRateBelow('gmail', 0.05);
    // A new, unwarmed IP: Gmail puts a good share of it in spam, but not most of it.
    expect(report).toHaveInboxPlacementAbove(0.3, 'gmail');
    expect(report).not.toHaveInboxPlacementAbove(0.9, 'gmail');
    expect(report).toHaveWronglySuppressedBelow(0.01);
    expect(report).toHaveMetric('macroF1', '>=', 0.9);
    expect(report).toHaveMetric('bounced', '>', 0, 'gmail');
  });

  test('a bound the run misses fails with the run’s own value and seed', () => {
    expect(() => expect(report).toHaveDeliveredShareAbove(0.99)).toThrow(
      /^expected deliveredShare > 0.99, got 0\.9\d+ \(scenario smoke, seed 5, mode sim\)$/,
    );
  });
});

describe('failures on a hand-built report (gmail: 10 % deferred; orange: 50 % deferred, half the mail in spam)', () => {
  test.each<[string, () => void, string]>([
    [
      'toHaveDeferralRateBelow',
      () => expect(handBuilt).toHaveDeferralRateBelow('orange', 0.3),
      `expected deferralRate for orange < 0.3, got 0.5 ${REPLAY}`,
    ],
    [
      'toHaveDeliveredShareAbove',
      () => expect(handBuilt).toHaveDeliveredShareAbove(0.8, 'orange'),
      `expected deliveredShare for orange > 0.8, got 0.6667 ${REPLAY}`,
    ],
    [
      'toHaveBounceRateBelow',
      () => expect(handBuilt).toHaveBounceRateBelow(0.1),
      `expected bounceRate < 0.1, got 0.1304 ${REPLAY}`,
    ],
    [
      'toHaveInboxPlacementAbove',
      () => expect(handBuilt).toHaveInboxPlacementAbove(0.9, 'gmail'),
      `expected inboxPlacement for gmail > 0.9, got 0.75 ${REPLAY}`,
    ],
    [
      'toHaveWronglySuppressedBelow',
      () => expect(handBuilt).toHaveWronglySuppressedBelow(0.01),
      `expected validWronglySuppressedShare < 0.01, got 0.04 ${REPLAY}`,
    ],
    [
      'toHaveMetric',
      () => expect(handBuilt).toHaveMetric('blockRate', '<=', 0.25, 'orange'),
      `expected blockRate for orange <= 0.25, got 0.5 ${REPLAY}`,
    ],
    [
      '.not',
      () => expect(handBuilt).not.toHaveDeferralRateBelow('gmail', 0.2),
      `expected deferralRate for gmail not < 0.2, got 0.1 ${REPLAY}`,
    ],
  ])('%s says the metric, the receiver, the value and the bound', (_name, assertion, message) => {
    expect(assertion).toThrow(message);
  });

  test('the same bounds on the other receiver hold', () => {
    expect(handBuilt).toHaveDeferralRateBelow('gmail', 0.3);
    expect(handBuilt).toHaveInboxPlacementAbove(0.5, 'gmail');
    expect(handBuilt).toHaveMetric('blockRate', '<=', 0.25, 'gmail');
  });

  test('toMeetExpectations lists every failed check, and an interrupted run says why', () => {
    const failed: ReportV1 = {
      ...handBuilt,
      outcome: {
        status: 'failed',
        failedChecks: ['expected deferralRate for gmail < 0.05, got 0.1', '10 messages are not final'],
      },
    };
    expect(() => expect(failed).toMeetExpectations()).toThrow(
      'expected the run to meet its expectations, but it failed:\n  - expected deferralRate for gmail < 0.05, got 0.1\n  - 10 messages are not final',
    );
    const interrupted: ReportV1 = {
      ...handBuilt,
      outcome: { status: 'interrupted', reason: 'the run reached its simulated duration limit', atMs: 0 },
    };
    expect(() => expect(interrupted).toMeetExpectations()).toThrow(
      'but it was interrupted: the run reached its simulated duration limit',
    );
    expect(() => expect(handBuilt).not.toMeetExpectations()).toThrow(
      `expected the run not to meet its expectations, but it passed ${REPLAY}`,
    );
  });

  test('a figure the report does not have is an error, with or without .not', () => {
    const message = `toHaveDeferralRateBelow: the report has no deferralRate for yahoo; receivers in the report: gmail, orange ${REPLAY}`;
    expect(() => expect(handBuilt).toHaveDeferralRateBelow('yahoo', 0.05)).toThrow(message);
    expect(() => expect(handBuilt).not.toHaveDeferralRateBelow('yahoo', 0.05)).toThrow(message);
    expect(() => expect(handBuilt).toHaveMetric('disguisedRecall', '>', 0.5)).toThrow(
      'toHaveMetric: the report has no disguisedRecall',
    );
  });

  test('bad arguments are errors naming what is wrong', () => {
    expect(() => expect({ figures: {} }).toHaveDeliveredShareAbove(0.5)).toThrow(
      'toHaveDeliveredShareAbove: expected a mailbench report (schemaVersion 1, what run() returns), got object',
    );
    // @ts-expect-error the receiver comes first: the types catch the swapped arguments too
    expect(() => expect(handBuilt).toHaveDeferralRateBelow(0.05, 'gmail')).toThrow(
      'toHaveDeferralRateBelow: the first argument is the receiver id, such as "gmail" (got 0.05)',
    );
    expect(() => expect(handBuilt).toHaveBounceRateBelow(Number.NaN)).toThrow(
      'toHaveBounceRateBelow: the bound must be a finite number (got null)',
    );
    expect(() => expect(handBuilt).toHaveMetric('macroF1', '>', 0.5, 'gmail')).toThrow(
      'macroF1 is a figure of the whole run, not per receiver (asked for "gmail")',
    );
    // @ts-expect-error an operator the thresholds do not know
    expect(() => expect(handBuilt).toHaveMetric('macroF1', '=', 0.5)).toThrow(
      'toHaveMetric: the operator must be one of < <= > >= (got "=")',
    );
  });
});

describe('run() refuses bad input before running anything', () => {
  test('an unknown scenario name lists the built-in ones', async () => {
    await expect(run('smok')).rejects.toThrow(
      /^run\(\): unknown scenario "smok"; built-in scenarios: smoke, fleet-tour/,
    );
  });

  test('every bad option is named at once', async () => {
    // @ts-expect-error wrong option values on purpose
    await expect(run('smoke', { mode: 'live', seed: '', scale: 2, sead: '1' })).rejects.toThrow(
      'run(): unknown option "sead" (known: seed, mode, engine, scale, onProgress); seed must be a non-empty string (got ""); mode must be sim or wire (got "live"); scale must be a number more than 0 and at most 1 (got 2)',
    );
  });

  test('an invalid scenario object is a ScenarioError listing its problems', async () => {
    await expect(run({ name: 'Bad Name', population: { recipients: 0 } })).rejects.toThrow(
      /scenario Bad Name is invalid:\n {2}name: must be lowercase.*\n {2}population.recipients: must be a whole number/s,
    );
  });
});
