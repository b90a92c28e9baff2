/** spamtrap-hit and isp-outage-and-greylist in sim mode with their expectations. */
import { describe, expect, it } from 'vitest';
import { runLibraryScenario } from './run-library.ts';

describe('spamtrap-hit', () => {
  it('the traps merged in on day 5 are hit by the sends after it, never before', async () => {
    const report = await runLibraryScenario('spamtrap-hit');
    expect(report.outcome).toEqual({ status: 'passed' });
    const campaigns = report.figures.campaigns ?? [];
    const before = campaigns.filter((each) => each.firstInjectedAtMs < report.clock.startMs + 4.5 * 86_400_000);
    const after = campaigns.filter((each) => each.firstInjectedAtMs > report.clock.startMs + 4.5 * 86_400_000);
    expect(before).toHaveLength(3);
    expect(after).toHaveLength(2);
    // The merged addresses make the later sends larger by exactly the traps injected.
    const traps = Math.round(300 * report.scenario.scale) + Math.round(200 * report.scenario.scale);
    for (const each of after) expect(each.injected).toBe((before[0]?.injected ?? 0) + traps);
    expect(report.figures.causes['delivered-trap']).toBeGreaterThanOrEqual(traps);
  });
});

describe('isp-outage-and-greylist', () => {
  it('retries through an outage and greylisting and delivers everything that exists', async () => {
    const report = await runLibraryScenario('isp-outage-and-greylist');
    expect(report.outcome).toEqual({ status: 'passed' });
    expect(report.figures.causesByReceiver?.orange?.['server-error'] ?? 0).toBeGreaterThan(0);
    expect(report.figures.causesByReceiver?.['t-online']?.greylisted ?? 0).toBeGreaterThan(0);
    expect(report.figures.messages.expired).toBe(0);
    expect(report.figures.classification?.validWronglySuppressed).toBe(0);
  });
});
