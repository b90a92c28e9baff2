/**
 * The Gmail profile's policy, driven verb by verb as a transport would, on a virtual clock.
 * Each refusal is checked for its code, its enhanced code, Gmail's words, and the truth
 * record with the rule mark that proves which branch fired.
 */
import { expect, test } from 'vitest';
import { HOUR_MS } from '../../../../sim/clock/clock.ts';
import { replyText } from '../../../../sim/smtp/reply.ts';
import { createGmail } from '../../../../sim/receivers/gmail.ts';
import type { Receiver, ReceiverSession } from '../../../../sim/receivers/receiver.ts';
import { receiverWorld } from '../../../support/receiver-world.ts';

function openSession(gmail: Receiver, peerIp: string): ReceiverSession {
  const { session } = gmail.open({ peerIp });
  if (session === null) throw new Error('Gmail refused the session');
  gmail.helo(session, 'mta1.mailbench.test');
  gmail.mailFrom(session, 'bounces@news.mailbench.test');
  return session;
}

test('an unknown user gets Gmail 550 5.1.1 NoSuchUser and a truth record marked gmail.rcpt.unknown-user', () => {
  // Arrange
  const { context } = receiverWorld({ 'alice@gmail.com': 'active' });
  const gmail = createGmail(context, { limitsOff: false });
  const session = openSession(gmail, '127.0.0.2');
  // Act
  const answer = gmail.rcptTo(session, 'nobody@gmail.com');
  // Assert
  expect(answer.code).toBe(550);
  expect(answer.enhanced).toBe('5.1.1');
  expect(answer.lines.length).toBeGreaterThan(1);
  expect(replyText(answer)).toMatch(/^The email account that you tried to reach does not exist\..*p=NoSuchUser .* - gsmtp$/);
  expect(context.truth.all()).toEqual([
    expect.objectContaining({ receiver: 'gmail', recipient: 'nobody@gmail.com', stage: 'rcpt', cause: 'unknown-user', rule: 'gmail.rcpt.unknown-user', peerIp: '127.0.0.2', reply: answer }),
  ]);
});

test('disabled and full mailboxes get 550 5.2.1 and 452 4.2.2', () => {
  // Arrange
  const { context } = receiverWorld({ 'gone@gmail.com': 'disabled', 'full@gmail.com': 'full' });
  const gmail = createGmail(context, { limitsOff: false });
  const session = openSession(gmail, '127.0.0.2');
  // Act
  const disabled = gmail.rcptTo(session, 'gone@gmail.com');
  const full = gmail.rcptTo(session, 'full@gmail.com');
  // Assert
  expect([disabled.code, disabled.enhanced, full.code, full.enhanced]).toEqual([550, '5.2.1', 452, '4.2.2']);
  expect(context.truth.all().map((truth) => [truth.cause, truth.rule])).toEqual([
    ['mailbox-disabled', 'gmail.rcpt.disabled'],
    ['mailbox-full', 'gmail.rcpt.over-quota'],
  ]);
});

test('a new IP over its hourly budget gets 421 4.7.28 and a closing session; another IP does not; an hour later it may send again', () => {
  // Arrange: a budget of 3 to keep the test small; the profile's default is 2,000.
  const { context, scheduler } = receiverWorld({ 'alice@gmail.com': 'active', 'bob@gmail.com': 'active' });
  const gmail = createGmail(context, { limitsOff: false, newIpMessagesPerHour: 3 });
  const session = openSession(gmail, '127.0.0.2');
  for (let index = 0; index < 3; index++) expect(gmail.rcptTo(session, 'alice@gmail.com').code).toBe(250);
  // Act
  const limited = gmail.rcptTo(session, 'bob@gmail.com');
  const otherIp = gmail.rcptTo(openSession(gmail, '127.0.0.3'), 'bob@gmail.com');
  let later: number | undefined;
  scheduler.at(scheduler.now() + HOUR_MS, () => {
    later = gmail.rcptTo(openSession(gmail, '127.0.0.2'), 'bob@gmail.com').code;
  });
  // Assert
  expect(limited.code).toBe(421);
  expect(limited.enhanced).toBe('4.7.28');
  expect(replyText(limited)).toContain('[127.0.0.2] Our system has detected an unusual rate of unsolicited mail');
  expect(session.closing).toBe(true);
  expect(context.truth.all().at(-1)).toMatchObject({ cause: 'rate-limited', rule: 'gmail.rate.new-ip-hourly', recipient: 'bob@gmail.com' });
  expect(otherIp.code).toBe(250);
  return scheduler.run().then(() => {
    expect(later).toBe(250);
  });
});

test('with limits off the hourly budget never applies', () => {
  // Arrange
  const { context } = receiverWorld({ 'alice@gmail.com': 'active' });
  const gmail = createGmail(context, { limitsOff: true, newIpMessagesPerHour: 1 });
  const session = openSession(gmail, '127.0.0.2');
  // Act
  const codes = Array.from({ length: 5 }, () => gmail.rcptTo(session, 'alice@gmail.com').code);
  // Assert
  expect(codes).toEqual([250, 250, 250, 250, 250]);
});

test('accepted recipients are recorded as delivered-inbox at the end of DATA, with the DATA reply', () => {
  // Arrange
  const { context } = receiverWorld({ 'alice@gmail.com': 'active', 'bob@gmail.com': 'active' });
  const gmail = createGmail(context, { limitsOff: false });
  const session = openSession(gmail, '127.0.0.2');
  gmail.rcptTo(session, 'alice@gmail.com');
  gmail.rcptTo(session, 'nobody@gmail.com');
  gmail.rcptTo(session, 'bob@gmail.com');
  // Act
  const answer = gmail.data(session, { data: 'Subject: hi\r\n\r\nhello\r\n', sizeBytes: 22 });
  // Assert
  expect([answer.code, answer.enhanced]).toEqual([250, '2.0.0']);
  const delivered = context.truth.all().filter((truth) => truth.cause === 'delivered-inbox');
  expect(delivered.map((truth) => [truth.recipient, truth.stage, truth.rule])).toEqual([
    ['alice@gmail.com', 'data', 'gmail.data.accepted'],
    ['bob@gmail.com', 'data', 'gmail.data.accepted'],
  ]);
  expect(delivered[0]?.reply).toBe(answer);
});
