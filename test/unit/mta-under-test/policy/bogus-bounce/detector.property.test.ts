/**
 * Properties of the detector over arbitrary traffic: deliveries, refusals and other answers to
 * gateway-hosted and consumer domains, from two sources, at arbitrary gaps. Whatever happens:
 * a gateway address is never suppressed on its first refusal, an address that lived is never
 * suppressed before its third, and every suppression expires.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../../support/test-seed.ts';
import { DAY_MS, MINUTE_MS } from '../../../../../kernel/clock/clock.ts';
import { BogusBounceDetector } from '../../../../../mta-under-test/reference/policy/bogus-bounce/index.ts';
import { GMAIL, M365, REPLIES, T0, attempt, deliveryRecord } from '../_support/attempts.ts';
import type { Destination } from '../_support/attempts.ts';

const SEED = testSeed(20_261_201);
const MIMECAST: Destination = {
  domain: 'firm.example',
  mxHost: 'eu-smtp-inbound-1.mimecast.com',
  site: 'eu-smtp-inbound-1.mimecast.com',
  provider: null,
};
const DESTINATIONS = [M365, MIMECAST, GMAIL, { ...M365, source: 'mta2' }];

const step = fc.record({
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 3 * 60 * MINUTE_MS })),
  destination: fc.nat({ max: DESTINATIONS.length - 1 }),
  address: fc.nat({ max: 11 }),
  answer: fc.constantFrom('accept', 'refuse', 'refuse', 'temporary'),
});

test(`a gateway address is never suppressed on its first refusal, nor one that lived before its third; every suppression expires (seed: ${SEED})`, () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 400 }), (steps) => {
      const detector = new BogusBounceDetector();
      const refusals = new Map<string, number>();
      const lived = new Set<string>();
      let atMs = T0;
      for (const { gapMs, destination, address, answer } of steps) {
        atMs += gapMs;
        const where = DESTINATIONS[destination] as Destination;
        const recipient = `a${address}@${where.domain}`;
        const reply =
          answer === 'accept'
            ? REPLIES.accept
            : answer === 'temporary'
              ? REPLIES.temporary
              : where === GMAIL
                ? REPLIES.gmailUnknown
                : REPLIES.dbeb;
        const basic = attempt(recipient, atMs, reply, where);
        const judgement = detector.review({ verdict: basic.verdict, outcome: basic.outcome, context: basic.context });
        if (answer === 'accept') {
          detector.observe(deliveryRecord(recipient, atMs, where));
          lived.add(recipient);
          refusals.delete(recipient);
          continue;
        }
        if (answer !== 'refuse') continue;
        const count = (refusals.get(recipient) ?? 0) + 1;
        refusals.set(recipient, count);
        if (judgement.suppress !== undefined) {
          expect(judgement.suppress.untilMs).toBe(atMs + 90 * DAY_MS);
          expect(judgement.verdict.action).toBe('suppress');
          refusals.delete(recipient);
          if (where !== GMAIL) {
            expect(count).toBeGreaterThanOrEqual(lived.has(recipient) ? 3 : 2);
            expect(judgement.verdict.class).toBe('unknown-user');
          }
        } else {
          expect(judgement.verdict.action).not.toBe('suppress');
        }
        if (where !== GMAIL && count === 1) expect(judgement.suppress).toBeUndefined();
        if (where === GMAIL) expect(judgement.suppress).toBeDefined();
      }
    }),
    { numRuns: 300, seed: SEED },
  );
});
