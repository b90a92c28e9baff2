/**
 * The reference policy in the reference engine, against a scripted Microsoft 365 gateway that
 * answers real users with DBEB's "550 5.4.1 … Access denied. AS(201806281)" once the sender
 * passes 60 recipients per hour from its IP (the sim's gateways work the same way, facts §6),
 * and a consumer provider whose unknown users are really unknown. Goal: real users end
 * Delivered after the cool-down, never suppressed; the gateway's true unknown users end
 * suppressed, with an expiry; Gmail's unknown user is suppressed at once. Method: virtual clock,
 * 200 real users and 10 unknown ones at corp.example injected at once, engine shaping unlimited
 * so the first wave crosses the gateway's threshold.
 */
import { expect, test } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../../../kernel/clock/clock.ts';
import type { EpochMs } from '../../../../kernel/clock/clock.ts';
import { DnsZone } from '../../../../sim/dns/zone.ts';
import { reply } from '../../../../kernel/smtp/reply.ts';
import type {
  ConnectOutcome,
  RecipientOutcome,
  Transport,
  TransportSession,
} from '../../../../kernel/transport/transport.ts';
import type { AccountingRecord, SuppressionRecord } from '../../../../mta-under-test/accounting.ts';
import { isFinalRecord } from '../../../../mta-under-test/accounting.ts';
import { zoneResolver } from '../../../../mta-under-test/reference/core/resolver.ts';
import { referencePolicy } from '../../../../mta-under-test/reference/policy/reference-policy.ts';
import { engineHarness } from '../../../support/engine-harness.ts';
import { REPLIES } from './_support/attempts.ts';

const GATEWAY_MX = 'corp-example.mail.protection.outlook.com';
const GMAIL_MX = 'gmail-smtp-in.l.google.com';
const GATEWAY_THRESHOLD_PER_HOUR = 60;

/** A gateway that disguises its velocity limit as unknown users, and Gmail; both answer by recipient and time. */
function scriptedWorld(now: () => EpochMs): Transport {
  const recent: EpochMs[] = [];
  const answer = (recipient: string, mxHost: string): RecipientOutcome => {
    const atMs = now();
    const refuse = (smtp = REPLIES.dbeb): RecipientOutcome => ({
      kind: 'reply',
      recipient,
      stage: 'rcpt',
      reply: smtp,
    });
    if (mxHost === GMAIL_MX)
      return recipient.startsWith('ghost')
        ? refuse(REPLIES.gmailUnknown)
        : { kind: 'reply', recipient, stage: 'data', reply: REPLIES.accept };
    while (recent.length > 0 && (recent[0] as EpochMs) <= atMs - HOUR_MS) recent.shift();
    recent.push(atMs);
    if (recipient.startsWith('ghost') || recent.length > GATEWAY_THRESHOLD_PER_HOUR) return refuse();
    return { kind: 'reply', recipient, stage: 'data', reply: REPLIES.accept };
  };
  return {
    connect(params): Promise<ConnectOutcome> {
      const session: TransportSession = {
        greeting: reply(220, null, 'scripted ESMTP'),
        tls: false,
        send: (message) =>
          Promise.resolve({
            recipients: message.envelope.recipients.map((recipient) => answer(recipient, params.mxHost)),
            sessionClosed: false,
          }),
        close: () => Promise.resolve(),
      };
      return Promise.resolve({ kind: 'open', session });
    },
  };
}

function finalOf(records: readonly AccountingRecord[], recipient: string): AccountingRecord | undefined {
  return records.find((record) => isFinalRecord(record) && record.recipient === recipient);
}

test('a gateway that refuses real users past its velocity: real users end Delivered after the cool-down, true unknown users end suppressed', async () => {
  // Arrange
  const dns = new DnsZone().addMx('corp.example', GATEWAY_MX, 10).addMx('gmail.com', GMAIL_MX, 5);
  let clock: () => EpochMs = () => 0;
  // At the default velocity threshold (50/h) the engine slows down before this gateway's 60/h
  // ever refuses a real user; at 100/h it meets the refusals this test is about.
  const policy = referencePolicy({ bogusBounce: { highVelocityPerHour: 100, lowVelocityPerHour: 30 } });
  const harness = engineHarness(
    () => 'accept',
    { connectionLimit: 5, maxDeliveriesPerConnection: 50 },
    {
      transport: scriptedWorld(() => clock()),
      resolver: zoneResolver(dns, () => ({ address: '127.0.1.1', port: 25 })),
      policy,
    },
  );
  clock = () => harness.scheduler.now();
  const startMs = harness.scheduler.now();
  const real = Array.from({ length: 200 }, (_, index) => `real${index}@corp.example`);
  const ghosts = Array.from({ length: 10 }, (_, index) => `ghost${index}@corp.example`);
  const recipients = real.flatMap((address, index) =>
    index % 20 === 10 ? [address, ghosts[index / 20 - 0.5] as string] : [address],
  );
  for (const recipient of [...recipients, 'ghost@gmail.com', 'friend@gmail.com']) {
    harness.engine.inject({
      mailFrom: 'bounces@news.mailbench.test',
      recipients: [recipient],
      data: 'Subject: hi\r\n\r\nhello\r\n',
    });
  }
  // Act
  const result = await harness.scheduler.run({ maxTasks: 500_000 });
  // Assert: every recipient final; real users delivered, none suppressed.
  expect(result.state).toBe('idle');
  const records = harness.records;
  expect(real.filter((address) => finalOf(records, address)?.type !== 'Delivery')).toEqual([]);
  const added = records.filter(
    (record): record is SuppressionRecord => record.type === 'Suppression' && record.change === 'add',
  );
  expect(added.map((record) => record.recipient).sort()).toEqual([...ghosts, 'ghost@gmail.com'].sort());
  // The gateway's unknown users were suppressed on corroboration, each with a 90-day expiry.
  for (const ghost of ghosts) {
    const suppression = added.find((record) => record.recipient === ghost);
    expect(suppression).toMatchObject({
      class: 'unknown-user',
      rule: expect.stringMatching(/^bogus\.corroborated\./) as unknown,
    });
    expect((suppression?.untilMs ?? 0) - (suppression?.atMs ?? 0)).toBe(90 * DAY_MS);
    expect(finalOf(records, ghost)).toMatchObject({ type: 'Bounce', class: 'unknown-user', action: 'suppress' });
  }
  // Gmail's unknown user: suppressed on its first and only refusal, as the classifier says.
  expect(finalOf(records, 'ghost@gmail.com')).toMatchObject({
    type: 'Bounce',
    attempt: 1,
    rule: 'generic.enhanced.5.1.1',
  });
  expect(finalOf(records, 'friend@gmail.com')).toMatchObject({ type: 'Delivery' });
  // The real users refused on the way (past the gateway's threshold) were held back, then delivered and cleared.
  const refusedReal = new Set(
    records.flatMap((record) =>
      record.type === 'TransientFailure' && record.recipient.startsWith('real') ? [record.recipient] : [],
    ),
  );
  expect(refusedReal.size).toBeGreaterThanOrEqual(15);
  expect(
    records.some(
      (record) =>
        record.type === 'TransientFailure' &&
        record.class === 'disguised-policy-block' &&
        record.action === 'backoff' &&
        record.rule === 'bogus.burst',
    ),
  ).toBe(true);
  const cleared = new Set(
    records.flatMap((record) =>
      record.type === 'Policy' && record.decision === 'bogus.cleared' ? [record.subject] : [],
    ),
  );
  expect([...refusedReal].filter((address) => !cleared.has(address))).toEqual([]);
  // The path was cooled down and slowed: a Suspend from the detector, its rate cap, and the cap's ramp.
  expect(records.some((record) => record.type === 'Suspend' && record.rule === 'bogus.cool-down')).toBe(true);
  expect(
    records.some(
      (record) => record.type === 'Throttle' && record.rule === 'bogus.slow-down' && record.ratePerHourAfter === 20,
    ),
  ).toBe(true);
  expect(records.some((record) => record.type === 'Throttle' && record.rule === 'bogus.slow-down.increase')).toBe(true);
  // Every real user was delivered within a day.
  const lastDelivery = Math.max(...real.map((address) => finalOf(records, address)?.atMs ?? Number.POSITIVE_INFINITY));
  expect(lastDelivery - startMs).toBeLessThan(DAY_MS);
});
