/**
 * Our judgement against mailbench's B2B gateways, which refuse real users as unknown once a
 * sender passes their velocity thresholds. The baseline is the generic sender, which believes
 * every 5.1.1. Ours keeps every real address the gateways refused; its price shows too: the
 * dead addresses behind those gateways are kept as well (the reference engine's bogus-bounce
 * detector tells the two apart by corroboration; this policy does not try).
 */
import { describe, expect, test } from 'vitest';
import { metricValue, reference, run } from 'mailbench';
import { mailbenchMatchers } from 'mailbench/vitest';
import { doubtGatewayUnknownUsers } from '../policy.ts';

expect.extend(mailbenchMatchers);

const B2B = { seed: '11', scale: 0.25 } as const;

describe('believe 5.1.1 except behind known gateways', () => {
  test('keeps the real users the gateways refused, where the believer suppresses them', async () => {
    const ours = await run('b2b-bogus-bounces', {
      ...B2B,
      engine: reference({ name: 'doubt-gateways', policy: doubtGatewayUnknownUsers }),
    });
    const believer = await run('b2b-bogus-bounces', { ...B2B, engine: 'generic' });

    expect(ours.engine.policy).toBe('doubt-gateways');
    expect(ours).toMeetExpectations();
    // The believer suppresses real users behind the gateways; we suppress none.
    expect(metricValue(believer, 'validWronglySuppressedShare')).toBeGreaterThan(0.03);
    expect(ours).toHaveWronglySuppressedBelow(0.01);
    expect(ours).toHaveDeliveredShareAbove(metricValue(believer, 'deliveredShare'));
    // The price: the dead addresses behind those gateways are kept too.
    expect(metricValue(ours, 'invalidKept')).toBeGreaterThan(0);
  });
});
