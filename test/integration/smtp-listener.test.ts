/**
 * The Gmail model behind a real smtp-server listener, spoken to by nodemailer's SMTPConnection
 * from another loopback address: Gmail's codes and words arrive intact, the receiver sees the
 * sender's real address, a 421 ends the connection, and the transport never dresses a policy
 * block up as an unknown user (STYLE.md §1.1, hideENHANCEDSTATUSCODES).
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { afterEach, expect, test } from 'vitest';
import { NO_FAULTS } from '../../sim/mechanisms/faults.ts';
import { reply } from '../../kernel/smtp/reply.ts';
import type { Receiver } from '../../sim/receivers/receiver.ts';
import { GMAIL } from '../../sim/receivers/providers/gmail.ts';
import { startListener } from '../../sim/transport/smtp-listener.ts';
import type { Listener } from '../../sim/transport/smtp-listener.ts';
import { receiverFor, receiverWorld } from '../support/receiver-world.ts';
import { RECEIVER_IP, SENDER_IP, connectClient, gmailListener, sendRaw } from '../support/wire.ts';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

test('accepts a known user, refuses an unknown one with 550 5.1.1, and records the real peer address', async () => {
  // Arrange
  const { listener, context } = await gmailListener({ 'alice@gmail.com': 'active' }, { limitsOff: false });
  listeners.push(listener);
  const client = await connectClient(listener);
  // Act
  const result = await sendRaw(client, ['alice@gmail.com', 'nobody@gmail.com']);
  client.quit();
  // Assert
  expect(result.info?.accepted).toEqual(['alice@gmail.com']);
  expect(result.info?.response).toMatch(/^250 2\.0\.0 OK .* - gsmtp$/);
  expect(result.info?.rejectedErrors?.[0]?.response).toMatch(
    /^550 5\.1\.1 The email account that you tried to reach does not exist\. .*NoSuchUser/,
  );
  expect(context.truth.all().map((truth) => [truth.recipient, truth.cause, truth.peerIp])).toEqual([
    ['nobody@gmail.com', 'unknown-user', SENDER_IP],
    ['alice@gmail.com', expect.stringMatching(/^delivered-(inbox|spam)$/) as unknown, SENDER_IP],
  ]);
});

test('over the new-IP budget Gmail answers 421 4.7.28 and the connection is closed', async () => {
  // Arrange
  const { listener } = await gmailListener(
    { 'alice@gmail.com': 'active' },
    { limitsOff: false, newIpMessagesPerHour: 2 },
  );
  listeners.push(listener);
  const client = await connectClient(listener);
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  await sendRaw(client, ['alice@gmail.com']);
  await sendRaw(client, ['alice@gmail.com']);
  // Act
  const limited = await sendRaw(client, ['alice@gmail.com']);
  // Assert
  expect(limited.error?.response).toMatch(
    /^421 4\.7\.28 \[127\.0\.0\.2\] Our system has detected an unusual rate of unsolicited mail/,
  );
  await ended;
});

test('a policy block keeps its own enhanced code; a reply without one gets none added', async () => {
  // Arrange: a receiver that refuses every recipient, once with 5.7.1 and once with no code.
  const { context } = receiverWorld({});
  const gmail = receiverFor(GMAIL, context, true);
  let calls = 0;
  const blocking: Receiver = {
    identity: gmail.identity,
    ehloExtensions: GMAIL.ehloExtensions,
    open: (peer) => gmail.open(peer),
    helo: (session, name) => gmail.helo(session, name),
    mailFrom: (session, address) => gmail.mailFrom(session, address),
    rcptTo: () => (calls++ === 0 ? reply(550, '5.7.1', 'Message rejected by policy') : reply(550, null, 'Rejected')),
    data: (session, message) => gmail.data(session, message),
    reset: (session) => gmail.reset(session),
    close: (session) => gmail.close(session),
  };
  const listener = await startListener(blocking, { address: RECEIVER_IP });
  listeners.push(listener);
  const client = await connectClient(listener);
  // Act
  const first = await sendRaw(client, ['x@example.test']);
  // nodemailer leaves a refused transaction open; end it before the next MAIL FROM.
  await new Promise((resolve) => client.reset(resolve));
  const second = await sendRaw(client, ['y@example.test']);
  client.quit();
  // Assert
  expect(first.error?.response).toBe('550 5.7.1 Message rejected by policy');
  expect(second.error?.response).toBe('550 Rejected');
});

test('a listener refuses to bind outside loopback', async () => {
  // Arrange
  const { context } = receiverWorld({});
  // Act
  const binding = startListener(receiverFor(GMAIL, context, true), { address: '0.0.0.0' });
  // Assert
  await expect(binding).rejects.toThrow(/loopback only/);
});

test('faults on the wire: a 421 at connect, and a connection cut in DATA with no reply', async () => {
  // Arrange: one receiver that refuses every connection, one that drops every DATA.
  const refusing = receiverWorld({ 'alice@gmail.com': 'active' });
  const dropping = receiverWorld({ 'alice@gmail.com': 'active' });
  const refuser = await startListener(
    receiverFor(GMAIL, { ...refusing.context, faults: { ...NO_FAULTS, refuseAtConnect: 1 } }, true),
    { address: RECEIVER_IP },
  );
  const dropper = await startListener(
    receiverFor(GMAIL, { ...dropping.context, faults: { ...NO_FAULTS, dropInData: 1 } }, true),
    { address: '127.0.1.2' },
  );
  listeners.push(refuser, dropper);
  // Act
  const refused = await greetingOf(refuser);
  const client = await connectClient(dropper);
  const dropped = await sendRaw(client, ['alice@gmail.com']);
  // Assert
  expect(refused).toMatchObject({ response: expect.stringMatching(/^421 /) as unknown });
  expect(refusing.context.truth.all()).toEqual([
    expect.objectContaining({
      recipient: '',
      stage: 'connect',
      cause: 'server-error',
      rule: 'gmail.fault.refuse-at-connect',
    }),
  ]);
  expect(dropped.error?.responseCode).toBeUndefined();
  expect(dropped.error?.code).toMatch(/ECONNECTION|ETIMEDOUT|EPROTOCOL/);
  expect(dropping.context.truth.all()).toEqual([
    expect.objectContaining({ recipient: 'alice@gmail.com', stage: 'data', cause: 'network-error', unanswered: true }),
  ]);
});

/** Connects and resolves with the error the greeting produced (nodemailer reports it as an 'error' event). */
function greetingOf(listener: Listener): Promise<{ response?: string }> {
  const connection = new SMTPConnection({
    host: listener.address,
    port: listener.port,
    localAddress: SENDER_IP,
    name: 'mta1.mailbench.test',
    ignoreTLS: true,
  });
  return new Promise((resolve) => {
    connection.once('error', (error: { response?: string }) => resolve(error));
    connection.connect(() => {
      connection.close();
      resolve({});
    });
  });
}
