/** auth-break and list-audit in sim mode with their expectations. */
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../kernel/clock/clock.ts';
import { runLibraryScenario } from './run-library.ts';

describe('auth-break', () => {
  it('Gmail refuses for authentication only after the rotation, the others keep accepting', async () => {
    const report = await runLibraryScenario('auth-break');
    expect(report.outcome).toEqual({ status: 'passed' });
    expect(report.figures.causesByReceiver?.gmail?.['auth-failure'] ?? 0).toBeGreaterThan(100);
    expect(report.figures.causesByReceiver?.outlook?.['auth-failure'] ?? 0).toBe(0);
    // Every day before the break is delivered in full.
    const early = (report.figures.campaigns ?? []).filter(
      (each) => each.firstInjectedAtMs < report.clock.startMs + 3 * DAY_MS,
    );
    expect(early).toHaveLength(3);
    for (const each of early) expect(each.delivered + each.bounced).toBe(each.injected);
    // mailauth judged a sample before and after the rotation, and agreed with the receivers each time.
    const receivers = Object.keys(report.figures.causesByReceiver ?? {}).length;
    expect(report.figures.authentication).toEqual({
      judgedBy: 'receivers-verifier',
      auditedByMailauth: { messages: receivers * 2 * 20, agreed: receivers * 2 * 20, disagreements: [] },
    });
  });
});

describe('list-audit', () => {
  it('mails what the audit keeps: no typo trap is ever reached', async () => {
    const report = await runLibraryScenario('list-audit');
    expect(report.outcome).toEqual({ status: 'passed' });
    const typoTraps = Math.round(report.scenario.population.recipients * report.scenario.population.traps.typo);
    expect(report.figures.messages.injected).toBeLessThanOrEqual(report.scenario.population.recipients - typoTraps);
    expect(report.figures.causesByReceiver?.['typo-traps']).toBeUndefined();
    // An audit cannot know a dead mailbox at a live domain: those still bounce.
    expect(report.figures.causes['unknown-user']).toBeGreaterThan(0);
  });
});
