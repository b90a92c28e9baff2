/**
 * Our throttle on Black Friday: an established retailer mails ten times its daily volume in
 * one day, and receivers defer the spike against its history. The generic sender (the same
 * engine, no throttle) runs into deferrals at several providers; ours must keep every
 * provider's deferral rate under 5 % without losing or expiring mail.
 */
import { describe, expect, test } from 'vitest';
import { metricValue, receiversOf, reference, run } from 'mailbench';
import { mailbenchMatchers } from 'mailbench/vitest';
import { aimdThrottle } from '../throttle.ts';

expect.extend(mailbenchMatchers);

const SPIKE = { seed: '1', scale: 0.05 } as const;

describe('an AIMD throttle on black-friday-spike', () => {
  test('keeps every provider deferring under 5 % where the unthrottled sender does not', async () => {
    const ours = await run('black-friday-spike', {
      ...SPIKE,
      engine: reference({ name: 'aimd', policy: () => aimdThrottle() }),
    });
    const unthrottled = await run('black-friday-spike', { ...SPIKE, engine: 'generic' });

    expect(ours).toMeetExpectations();
    const receivers = receiversOf(ours);
    expect(receivers.length).toBeGreaterThan(5);
    for (const receiver of receivers) expect(ours).toHaveDeferralRateBelow(receiver, 0.05);
    // The baseline shows what the throttle is for: some provider deferred it past 5 %.
    const worstUnthrottled = Math.max(
      ...receivers.map((receiver) => metricValue(unthrottled, 'deferralRate', receiver)),
    );
    expect(worstUnthrottled).toBeGreaterThan(0.05);
    expect(metricValue(ours, 'deferralRate')).toBeLessThan(metricValue(unthrottled, 'deferralRate'));
  });
});
