/**
 * An MTA the bench knows only from outside: started by a command (start-relay.sh), given mail
 * by SMTP, and judged by the DSNs it sends to the envelope sender. The report scores its final
 * outcomes against what the receivers really answered.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { defineScenario, relayCommand, run, SCENARIO_LIBRARY, smtpRelay } from 'mailbench';
import { mailbenchMatchers } from 'mailbench/vitest';

expect.extend(mailbenchMatchers);

const START_RELAY = fileURLToPath(new URL('../start-relay.sh', import.meta.url));
const smoke = SCENARIO_LIBRARY['smoke'];
if (smoke === undefined) throw new Error('mailbench has no smoke scenario');
const fortyAtGmail = defineScenario({ ...smoke, population: { ...smoke.population, recipients: 40 } });

describe('any MTA by relay command', () => {
  test('delivers to Gmail and bounces the unknown users, as its DSNs say', async () => {
    const report = await run(fortyAtGmail, {
      mode: 'wire',
      seed: '11',
      engine: smtpRelay({ name: 'our-mta', prepare: relayCommand(`sh '${START_RELAY}'`) }),
    });

    expect(report.engine.name).toBe('our-mta');
    expect(report.engine.capabilities).toContain('decisions: final outcomes');
    expect(report).toMeetExpectations();
    expect(report.figures.messages.injected).toBe(40);
    expect(report.figures.messages.inFlight).toBe(0);
    expect(report.figures.messages.bounced).toBeGreaterThan(0);
    expect(report.figures.confusion['unknown-user']).toEqual({ 'unknown-user': report.figures.messages.bounced });
  });
});
