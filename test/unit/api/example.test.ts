/**
 * The README's "Use it from vitest" example, as a user would copy it: the package's own
 * entry points (`mailbench`, `mailbench/vitest`), a small scenario of its own and the smoke
 * scenario, checked with the mailbench matchers. Real sim runs; nothing is stubbed.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, readMetric, run } from 'mailbench';
import { mailbenchMatchers } from 'mailbench/vitest';

expect.extend(mailbenchMatchers);

const newsletter = defineScenario({
  name: 'newsletter-2k',
  population: { recipients: 2_000, domains: ['gmail.com', 'orange.fr'], unknownShare: 0.02 },
  sender: { sourceIp: '127.0.0.2', heloName: 'mta1.example.test', mailFrom: 'bounces@news.example.test' },
});

describe('our newsletter setup', () => {
  test('delivers to Gmail and Orange without being throttled much', async () => {
    const report = await run(newsletter, { seed: '42' });

    expect(report).toMeetExpectations();
    expect(report).toHaveDeliveredShareAbove(0.95);
    expect(report).toHaveBounceRateBelow(0.03);
    expect(report).toHaveDeferralRateBelow('gmail', 0.05);
    expect(report).toHaveInboxPlacementAbove(0.5, 'orange');
    expect(report).toHaveWronglySuppressedBelow(0.01);
    expect(report).toHaveMetric('trapHits', '<=', 0);
    expect(readMetric(report, 'expired')).toBe(0);
  });

  test('the built-in smoke scenario at a tenth of its volume', async () => {
    const report = await run('smoke', { scale: 0.1 });

    expect(report).toMeetExpectations();
    expect(report).toHaveMetric('macroF1', '>=', 0.9);
  });
});
