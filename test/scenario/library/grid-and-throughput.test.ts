/** grid-graduation and eu-isp-throughput in sim mode with their expectations. */
import { describe, expect, it } from 'vitest';
import { campaign, runLibraryScenario } from './run-library.ts';

describe('grid-graduation', () => {
  it('promotes good-shop after its first clean week and demotes bad-shop for its bounces', async () => {
    const report = await runLibraryScenario('grid-graduation');
    expect(report.outcome).toEqual({ status: 'passed' });
    const moves = (report.series?.decisions ?? []).flatMap((decision) =>
      decision.kind === 'Policy' && /^grid\.(promote|demote)/.test(decision.rule) ? [decision] : [],
    );
    const promotion = moves.find((move) => move.rule.startsWith('grid.promote'));
    const demotion = moves.find((move) => move.rule.startsWith('grid.demote'));
    expect(promotion?.subject).toContain('good-shop');
    expect(demotion?.subject).toContain('bad-shop');
    expect(demotion?.rule).toBe('grid.demote.bounces');
    expect(promotion?.atMs ?? 0).toBeGreaterThanOrEqual(report.clock.startMs + 7 * 86_400_000);
  });
});

describe('eu-isp-throughput', () => {
  it('the four-IP grid finishes the same list much sooner than the dedicated IP', async () => {
    const report = await runLibraryScenario('eu-isp-throughput');
    expect(report.outcome).toEqual({ status: 'passed' });
    const solo = campaign(report, 'solo newsletter');
    const pooled = campaign(report, 'pooled newsletter');
    expect(pooled.injected).toBe(solo.injected);
    expect(pooled.hoursToFinish ?? Infinity).toBeLessThan((solo.hoursToFinish ?? 0) / 2);
  });
});
