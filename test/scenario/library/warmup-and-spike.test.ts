/**
 * warmup-30d and black-friday-spike in sim mode with their expectations: the run passes, and
 * what each story claims is in the figures.
 */
import { describe, expect, it } from 'vitest';
import { campaign, runLibraryScenario } from './run-library.ts';

describe('warmup-30d', () => {
  it('meets its expectations, ramps day by day and the planner advances the IPs', async () => {
    const report = await runLibraryScenario('warmup-30d');
    expect(report.outcome).toEqual({ status: 'passed' });
    const first = campaign(report, 'engaged first 1/7');
    const last = campaign(report, 'whole list 23/23');
    expect(last.injected).toBeGreaterThan(first.injected * 100);
    const advances =
      report.series?.decisions.filter(
        (decision) => decision.kind === 'Policy' && decision.rule.startsWith('warmup.advance'),
      ).length ?? 0;
    expect(advances).toBeGreaterThan(20);
    expect(report.scenario.scale).toBe(0.01);
  });
});

describe('black-friday-spike', () => {
  it('sends ten times the daily volume on day 5 and still delivers it', async () => {
    const report = await runLibraryScenario('black-friday-spike');
    expect(report.outcome).toEqual({ status: 'passed' });
    const ordinary = campaign(report, 'daily newsletter 4/7');
    const spike = campaign(report, 'daily newsletter 5/7');
    expect(spike.injected).toBe(ordinary.injected * 10);
    expect(spike.delivered / spike.injected).toBeGreaterThan(0.97);
    // The spike takes longer to get through than an ordinary day.
    expect(spike.hoursToFinish ?? Infinity).toBeGreaterThan(ordinary.hoursToFinish ?? Infinity);
  });
});
