/**
 * The reference engine's SMTP client (nodemailer's connection layer) against the Gmail model
 * over real SMTP: each recipient gets the reply and the stage that decided it, a 421 lands on
 * the recipient it answered and closes the session, and a port nobody listens on is a
 * network error, never an exception.
 */
import { afterEach, expect, test } from 'vitest';
import { SmtpClientTransport } from '../../mta-under-test/reference/transport/smtp-client.ts';
import type { Listener } from '../../sim/transport/smtp-listener.ts';
import type { ConnectParams, TransportSession } from '../../kernel/transport/transport.ts';
import { SENDER_IP, gmailListener } from '../support/wire.ts';

const listeners: Listener[] = [];
const sessions: TransportSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

const message = (...recipients: string[]) => ({
  envelope: { mailFrom: 'bounces@news.mailbench.test', recipients },
  data: 'Subject: hi\r\n\r\nhello\r\n',
});

function paramsFor(listener: Listener): ConnectParams {
  return {
    sourceIp: SENDER_IP,
    heloName: 'mta1.mailbench.test',
    mxHost: 'gmail-smtp-in.l.google.com',
    address: listener.address,
    port: listener.port,
  };
}

async function openSession(newIpMessagesPerHour = 2_000): Promise<TransportSession> {
  const { listener } = await gmailListener(
    { 'alice@gmail.com': 'active', 'bob@gmail.com': 'active' },
    { limitsOff: false, newIpMessagesPerHour },
  );
  listeners.push(listener);
  const connected = await new SmtpClientTransport().connect(paramsFor(listener));
  if (connected.kind !== 'open') throw new Error(`expected an open session, got ${JSON.stringify(connected)}`);
  sessions.push(connected.session);
  return connected.session;
}

test('partial acceptance: the accepted recipient gets the DATA reply, the unknown one its RCPT refusal', async () => {
  // Arrange
  const session = await openSession();
  // Act
  const outcome = await session.send(message('alice@gmail.com', 'nobody@gmail.com'));
  const next = await session.send(message('bob@gmail.com'));
  // Assert
  expect(outcome.sessionClosed).toBe(false);
  expect(outcome.recipients).toEqual([
    expect.objectContaining({
      kind: 'reply',
      recipient: 'alice@gmail.com',
      stage: 'data',
      reply: expect.objectContaining({ code: 250, enhanced: '2.0.0' }) as unknown,
    }),
    expect.objectContaining({
      kind: 'reply',
      recipient: 'nobody@gmail.com',
      stage: 'rcpt',
      reply: expect.objectContaining({ code: 550, enhanced: '5.1.1' }) as unknown,
    }),
  ]);
  expect(next.recipients[0]).toMatchObject({ kind: 'reply', stage: 'data', reply: { code: 250 } });
});

test('every recipient refused: the transaction fails, the connection stays usable', async () => {
  // Arrange
  const session = await openSession();
  // Act
  const refused = await session.send(message('nobody@gmail.com', 'noone@gmail.com'));
  const next = await session.send(message('alice@gmail.com'));
  // Assert
  expect(
    refused.recipients.map(
      (recipient) => recipient.kind === 'reply' && [recipient.stage, recipient.reply.code, recipient.reply.enhanced],
    ),
  ).toEqual([
    ['rcpt', 550, '5.1.1'],
    ['rcpt', 550, '5.1.1'],
  ]);
  expect(refused.sessionClosed).toBe(false);
  expect(next.recipients[0]).toMatchObject({ kind: 'reply', reply: { code: 250 } });
});

test('a 421 at RCPT lands on the recipient it answered; the rest are unanswered and the session is closed', async () => {
  // Arrange
  const session = await openSession(1);
  await session.send(message('alice@gmail.com'));
  // Act
  const limited = await session.send(message('bob@gmail.com', 'alice@gmail.com'));
  const after = await session.send(message('alice@gmail.com'));
  // Assert
  expect(limited.sessionClosed).toBe(true);
  expect(limited.recipients[0]).toMatchObject({
    kind: 'reply',
    recipient: 'bob@gmail.com',
    stage: 'rcpt',
    reply: { code: 421, enhanced: '4.7.28' },
  });
  expect(limited.recipients[1]).toMatchObject({ kind: 'network-error', recipient: 'alice@gmail.com' });
  expect(after).toMatchObject({ sessionClosed: true, recipients: [{ kind: 'network-error' }] });
});

test('a port nobody listens on is a network error', async () => {
  // Arrange: open and close a listener to get a port that is free now.
  const { listener } = await gmailListener({}, { limitsOff: true });
  await listener.close();
  // Act
  const connected = await new SmtpClientTransport().connect(paramsFor(listener));
  // Assert
  expect(connected).toMatchObject({
    kind: 'network-error',
    message: expect.stringMatching(/ECONNREFUSED|ECONNECTION/) as unknown,
  });
});

test('an address outside loopback is never a target', async () => {
  // Act
  const connected = await new SmtpClientTransport().connect({
    sourceIp: SENDER_IP,
    heloName: 'mta1.mailbench.test',
    mxHost: 'gmail-smtp-in.l.google.com',
    address: '192.0.2.1',
    port: 25,
  });
  // Assert
  expect(connected).toEqual({
    kind: 'network-error',
    message: 'refusing 192.0.2.1: the bench connects from and to 127.0.0.0/8 only',
  });
});
