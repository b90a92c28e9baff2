/**
 * The fleet's listeners against peers that abuse them, spoken to from a raw socket: a 600 MB
 * message to a receiver that advertises 25 MB is answered with the receiver's own 552 5.3.4
 * (and costs the fleet no more than the limit in memory), a receiver whose code throws ends
 * that one session with a 421 while every other session goes on, and a connection cut in the
 * middle of DATA leaves the listener answering.
 */
import { afterEach, expect, test } from 'vitest';
import { GMAIL } from '../../sim/receivers/providers/gmail.ts';
import type { Receiver } from '../../sim/receivers/receiver.ts';
import { startListener } from '../../sim/transport/smtp-listener.ts';
import type { Listener } from '../../sim/transport/smtp-listener.ts';
import { bodyChunks, rawSmtp } from '../support/raw-smtp.ts';
import type { RawSmtp } from '../support/raw-smtp.ts';
import { receiverFor, receiverWorld } from '../support/receiver-world.ts';
import { RealScheduler } from '../../kernel/clock/real-clock.ts';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

async function gmail(address: string): Promise<{ listener: Listener; receiver: Receiver }> {
  const { context } = receiverWorld({ 'alice@gmail.com': 'active', 'bob@gmail.com': 'active' }, new RealScheduler());
  const receiver = receiverFor(GMAIL, context, true);
  const listener = await startListener(receiver, { address });
  listeners.push(listener);
  return { listener, receiver };
}

async function openTransaction(listener: Listener, recipient = 'alice@gmail.com'): Promise<RawSmtp> {
  const client = await rawSmtp({ host: listener.address, port: listener.port, localAddress: '127.0.0.2' });
  expect(await client.reply()).toMatch(/^220 /);
  expect(await client.command('EHLO mta1.mailbench.test')).toMatch(/^250/);
  expect(await client.command('MAIL FROM:<bounces@news.mailbench.test>')).toMatch(/^250/);
  expect(await client.command(`RCPT TO:<${recipient}>`)).toMatch(/^250/);
  expect(await client.command('DATA')).toMatch(/^354/);
  return client;
}

test('a 600 MB message gets the receiver’s 552 5.3.4, the fleet holds at most its limit, and keeps answering', async () => {
  // Arrange
  const { listener } = await gmail('127.0.1.11');
  const other = await gmail('127.0.1.12');
  const client = await openTransaction(listener);
  const rssBeforeBytes = process.memoryUsage().rss;
  let rssPeakBytes = rssBeforeBytes;
  const sampler = setInterval(() => (rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage().rss)), 50);
  // Act
  await client.stream(bodyChunks(600));
  const answer = await client.command('.');
  clearInterval(sampler);
  // Assert
  expect(answer).toMatch(/^552[ -]5\.3\.4 /);
  // The listener kept no more than the 25 MB it advertises (plus the stream's own buffers).
  expect(rssPeakBytes - rssBeforeBytes).toBeLessThan(GMAIL.maxMessageBytes.value * 6);
  expect(await client.command('RSET')).toMatch(/^250/);
  client.end();
  for (const target of [listener, other.listener]) {
    const next = await openTransaction(target, 'bob@gmail.com');
    expect(await next.command('Subject: after\r\n\r\nstill here\r\n.')).toMatch(/^250 /);
    next.end();
  }
});

test('a receiver that throws ends that session with 421; other sessions go on', async () => {
  // Arrange: a Gmail whose RCPT fails for one address, as a bug would.
  const { listener, receiver } = await gmail('127.0.1.13');
  const rcptTo = receiver.rcptTo.bind(receiver);
  receiver.rcptTo = (session, address) => {
    if (address === 'boom@gmail.com') throw new Error('a bug in the receiver');
    return rcptTo(session, address);
  };
  const bystander = await openTransaction(listener);
  const victim = await rawSmtp({ host: listener.address, port: listener.port, localAddress: '127.0.0.3' });
  await victim.reply();
  await victim.command('EHLO mta2.mailbench.test');
  await victim.command('MAIL FROM:<bounces@news.mailbench.test>');
  const originalError = console.error;
  console.error = () => undefined;
  // Act
  const refused = await victim.command('RCPT TO:<boom@gmail.com>').finally(() => (console.error = originalError));
  // Assert
  expect(refused).toMatch(/^421 4\.3\.0 local error in processing/);
  await victim.closed;
  expect(await bystander.command('Subject: hi\r\n\r\nhello\r\n.')).toMatch(/^250 /);
  bystander.end();
});

test('a client cut off in the middle of DATA leaves the listener answering', async () => {
  // Arrange
  const { listener } = await gmail('127.0.1.14');
  const client = await openTransaction(listener);
  // Act
  await client.stream(bodyChunks(5));
  client.socket.destroy();
  // Assert
  const next = await openTransaction(listener, 'bob@gmail.com');
  expect(await next.command('Subject: after\r\n\r\nhello\r\n.')).toMatch(/^250 /);
  next.end();
});
