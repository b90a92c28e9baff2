/**
 * The in-process transport keeps the wire's observable behaviour: one outcome per recipient
 * with the stage that decided it, the DATA reply for accepted recipients, and a session the
 * receiver ends with a 421 is closed, its unanswered recipients failing as they would over TCP.
 */
import { expect, test } from 'vitest';
import { buildFleet } from '../../../../sim/receivers/fleet.ts';
import { InProcessTransport } from '../../../../sim/transport/in-process.ts';
import type { ConnectParams, TransportSession } from '../../../../kernel/transport/transport.ts';
import { receiverWorld } from '../../../support/receiver-world.ts';

const GMAIL_MX: ConnectParams = {
  sourceIp: '127.0.0.2',
  heloName: 'mta1.mailbench.test',
  mxHost: 'gmail-smtp-in.l.google.com',
  address: '127.0.1.1',
  port: 25,
};
const message = (...recipients: string[]) => ({
  envelope: { mailFrom: 'bounces@news.mailbench.test', recipients },
  data: 'Subject: hi\r\n\r\nhello\r\n',
});

function gmailTransport(
  mailboxes: Record<string, 'active'>,
  limitsOff = true,
): { connect: () => Promise<TransportSession>; truthCount: () => number } {
  const { context } = receiverWorld(mailboxes);
  const transport = new InProcessTransport(buildFleet(context, { limitsOff }));
  const connect = async (): Promise<TransportSession> => {
    const connected = await transport.connect(GMAIL_MX);
    if (connected.kind !== 'open') throw new Error(`expected an open session, got ${connected.kind}`);
    return connected.session;
  };
  return { connect, truthCount: () => context.truth.all().length };
}

async function openGmail(
  mailboxes: Record<string, 'active'>,
  limitsOff = true,
): Promise<{ session: TransportSession; truthCount: () => number }> {
  const { context } = receiverWorld(mailboxes);
  const transport = new InProcessTransport(buildFleet(context, { limitsOff }));
  const connected = await transport.connect(GMAIL_MX);
  if (connected.kind !== 'open') throw new Error(`expected an open session, got ${connected.kind}`);
  return { session: connected.session, truthCount: () => context.truth.all().length };
}

test('a transaction answers each recipient at the stage that decided it', async () => {
  // Arrange
  const { session } = await openGmail({ 'alice@gmail.com': 'active' });
  // Act
  const outcome = await session.send(message('alice@gmail.com', 'nobody@gmail.com'));
  // Assert
  expect(outcome.sessionClosed).toBe(false);
  expect(
    outcome.recipients.map(
      (recipient) =>
        recipient.kind === 'reply' && [
          recipient.recipient,
          recipient.stage,
          recipient.reply.code,
          recipient.reply.enhanced,
        ],
    ),
  ).toEqual([
    ['alice@gmail.com', 'data', 250, '2.0.0'],
    ['nobody@gmail.com', 'rcpt', 550, '5.1.1'],
  ]);
});

test('after a 421 the session is closed: unanswered recipients fail as network errors, later sends too', async () => {
  // Arrange: Gmail's real budget (2,000 an hour for a new IP), spent over sessions of 50 messages.
  const { connect, truthCount } = gmailTransport({ 'alice@gmail.com': 'active', 'bob@gmail.com': 'active' }, false);
  let session = await connect();
  for (let sent = 0; sent < 2_000;) {
    const outcome = await session.send(message('alice@gmail.com'));
    // The 51st MAIL FROM of a session is answered 421 (messages per connection): reconnect.
    if (outcome.recipients[0]?.stage === 'data') sent++;
    if (outcome.sessionClosed) session = await connect();
  }
  session = await connect();
  // Act
  const limited = await session.send(message('alice@gmail.com', 'bob@gmail.com'));
  const afterwards = await session.send(message('alice@gmail.com'));
  // Assert
  expect(limited.sessionClosed).toBe(true);
  expect(limited.recipients[0]).toMatchObject({
    kind: 'reply',
    stage: 'rcpt',
    reply: { code: 421, enhanced: '4.7.28' },
  });
  expect(limited.recipients[1]).toMatchObject({ kind: 'network-error', stage: 'rcpt' });
  expect(afterwards).toMatchObject({ sessionClosed: true, recipients: [{ kind: 'network-error' }] });
  // 2,000 deliveries and the 421 each have a recipient's truth; each of the 39 sessions that
  // reached 50 messages was refused at MAIL with one session-level truth.
  expect(truthCount()).toBe(2_001 + 39);
});

test('an MX host no receiver serves is a network error naming it', async () => {
  // Arrange
  const { context } = receiverWorld({});
  const transport = new InProcessTransport(buildFleet(context, { limitsOff: false }));
  // Act
  const connected = await transport.connect({ ...GMAIL_MX, mxHost: 'mx.nowhere.test' });
  // Assert
  expect(connected).toEqual({ kind: 'network-error', message: 'no receiver answers at mx.nowhere.test' });
});
