/**
 * B2B gateways: below their thresholds a real user is accepted and only true unknown users get
 * the user-unknown text; past them real users get exactly the same text, and the truth says
 * `disguised-policy-block`. Downstream-validating tenants accept and bounce later by DSN.
 */
import { describe, expect, test } from 'vitest';
import { MINUTE_MS } from '../../../../kernel/clock/clock.ts';
import { GATEWAY_FAMILY_LIST } from '../../../../sim/receivers/gateways/families.ts';
import { createGatewayReceiver } from '../../../../sim/receivers/gateways/gateway.ts';
import type { GatewayFamily } from '../../../../sim/receivers/gateways/gateway.ts';
import type { LaterEvent } from '../../../../sim/later/events.ts';
import { replyText } from '../../../../kernel/smtp/reply.ts';
import type { Tenant } from '../../../../sim/world/tenants.ts';
import { openSession, sendOne } from '../../../support/dialogue.ts';
import { receiverWorld } from '../../../support/receiver-world.ts';

function tenantOf(family: GatewayFamily, validation: Tenant['validation']): Tenant {
  return {
    domain: 'northwind-0001.example',
    family: family.id,
    slug: 'northwind-0001',
    number: 100_001,
    validation,
    region: 'eu',
  };
}

/** The family with admission wide open and no greylisting, so a test sees only the policy under test. */
function calm(family: GatewayFamily): GatewayFamily {
  const open = (value: number) => ({ value, unit: 'test', source: 'test override' });
  const admission = {
    ...family.profile.admission,
    newIpPerHour: open(100_000),
    maxPerHour: open(1_000_000),
    messagesPerConnection: open(1_000_000),
  };
  return { ...family, profile: { ...family.profile, admission, greylist: null } };
}

function gateway(family: GatewayFamily, validation: Tenant['validation'], mailboxes: Record<string, 'active'>) {
  const world = receiverWorld(mailboxes);
  const receiver = createGatewayReceiver(family, [tenantOf(family, validation)], world.context, { limitsOff: false });
  return { ...world, receiver };
}

/** Enough real users to cross the family's velocity threshold within the hour. */
function users(count: number): Record<string, 'active'> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => [`user${index}@northwind-0001.example`, 'active' as const]),
  );
}

describe.each(GATEWAY_FAMILY_LIST.map((family) => [family.id, family] as const))('%s', (id, family) => {
  const threshold = family.thresholds.velocityPerTenantHour.value;

  test('bogus bounces appear only past the velocity threshold, in the same words as a true unknown user', () => {
    const { context, receiver } = gateway(calm(family), 'edge', users(threshold + 5));
    const session = openSession(receiver);
    const unknownBefore = sendOne(receiver, session, ['ghost@northwind-0001.example']).rcpt[0];
    const answers = Array.from(
      { length: threshold + 5 },
      (_, index) => sendOne(receiver, session, [`user${index}@northwind-0001.example`]).rcpt[0],
    );
    const truths = context.truth.all().filter((truth) => truth.recipient.startsWith('user'));
    const disguised = truths.filter((truth) => truth.cause === 'disguised-policy-block');
    const firstDisguise = truths.findIndex((truth) => truth.cause === 'disguised-policy-block');
    // Nothing disguised before the threshold (the unknown user above counts toward velocity).
    expect(firstDisguise).toBeGreaterThanOrEqual(threshold - 1);
    const disguisedReply = disguised[0]?.reply;
    if (disguisedReply !== undefined && unknownBefore !== undefined) {
      expect(disguisedReply.code).toBe(unknownBefore.code);
      expect(disguisedReply.enhanced).toBe(unknownBefore.enhanced);
      // Only the address and the per-reply ids ([…] references, Gmail's queue id) differ.
      const words = (text: string, local: RegExp) =>
        text
          .replace(local, 'X')
          .replace(/\[[^\]]*\]/g, '[]')
          .replace(/\S+ - gsmtp/, 'T - gsmtp');
      expect(words(replyText(disguisedReply), /user\d+/g)).toBe(words(replyText(unknownBefore), /ghost/g));
      expect(disguised[0]?.rule).toMatch(new RegExp(`^${id}\\.bogus\\.velocity$`));
    }
    expect(answers.length).toBe(threshold + 5);
    expect(disguised.length).toBeGreaterThan(0);
    expect(answers.slice(0, threshold - 1).every((answer) => answer?.code === 250)).toBe(true);
  });

  test('a downstream-validating tenant accepts an unknown user and bounces it later by DSN', async () => {
    const { context, receiver, scheduler } = gateway(calm(family), 'downstream', users(1));
    const events: LaterEvent[] = [];
    context.later.subscribe((event) => events.push(event));
    const result = sendOne(receiver, openSession(receiver), ['ghost@northwind-0001.example']);
    expect(result.rcpt[0]?.code).toBe(250);
    expect(result.data?.code).toBe(250);
    expect(context.truth.all().at(-1)).toMatchObject({ cause: 'delivered-inbox', later: { cause: 'unknown-user' } });
    scheduler.at(scheduler.now() + family.asyncBounceDelayMs.value + MINUTE_MS, () =>
      receiver.settle?.(scheduler.now()),
    );
    await scheduler.run();
    expect(events.filter((event) => event.kind === 'async-bounce')).toEqual([
      expect.objectContaining({ recipient: 'ghost@northwind-0001.example', cause: 'unknown-user' }),
    ]);
  });
});

test('Proofpoint keeps a refused address on its sticky invalid list', () => {
  const family = GATEWAY_FAMILY_LIST.find((candidate) => candidate.id === 'proofpoint') as GatewayFamily;
  const { receiver, context } = gateway(calm(family), 'edge', users(1));
  const session = openSession(receiver);
  sendOne(receiver, session, ['ghost@northwind-0001.example']);
  const again = sendOne(receiver, session, ['ghost@northwind-0001.example']).rcpt[0];
  expect(replyText(again ?? { code: 0, enhanced: null, lines: [] })).toContain(
    'User email address is marked as invalid.',
  );
  expect(context.truth.all().at(-1)).toMatchObject({ cause: 'unknown-user', rule: 'proofpoint.sticky-invalid' });
});

test('Mimecast greylists a new triplet, then accepts the retry from the same IP after the delay', async () => {
  const family = GATEWAY_FAMILY_LIST.find((candidate) => candidate.id === 'mimecast') as GatewayFamily;
  const calmed = calm(family);
  const { receiver, context, scheduler } = gateway(
    { ...calmed, profile: { ...calmed.profile, greylist: family.profile.greylist } },
    'edge',
    users(1),
  );
  const first = sendOne(receiver, openSession(receiver), ['user0@northwind-0001.example']).rcpt[0];
  let retry: number | undefined;
  let otherIp: number | undefined;
  scheduler.at(scheduler.now() + 2 * MINUTE_MS, () => {
    retry = sendOne(receiver, openSession(receiver), ['user0@northwind-0001.example']).rcpt[0]?.code;
    otherIp = sendOne(receiver, openSession(receiver, '127.0.0.3'), ['user0@northwind-0001.example']).rcpt[0]?.code;
  });
  await scheduler.run();
  expect(first?.code).toBe(451);
  expect(replyText(first ?? { code: 0, enhanced: null, lines: [] })).toContain(
    'Internal resource temporarily unavailable',
  );
  expect(context.truth.all()[0]).toMatchObject({ cause: 'greylisted', rule: 'mimecast.greylist.new-triplet' });
  expect(retry).toBe(250);
  expect(otherIp).toBe(451);
});
