/**
 * The reference engine's queue, shaping and retries, on a virtual clock with scripted
 * answers: what it records for each kind of answer, when it retries, and how it shapes its
 * connections.
 */
import { expect, test } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../kernel/clock/clock.ts';
import { engineHarness, injectMany } from '../../support/engine-harness.ts';
import { isRecipientRecord } from '../../../mta-under-test/accounting.ts';

test('2xx is a Delivery, 5xx a Bounce without retry, each with the class and rule that decided', async () => {
  // Arrange
  const harness = engineHarness((recipient) => (recipient.startsWith('user0') ? 'accept' : 'reject'));
  injectMany(harness, 2);
  // Act
  await harness.scheduler.run();
  // Assert
  expect(
    harness.records
      .filter(isRecipientRecord)
      .map((record) => [
        record.type,
        record.recipient,
        'class' in record ? record.class : '',
        'rule' in record ? record.rule : '',
      ]),
  ).toEqual([
    ['Reception', 'user0-0@example.test', '', ''],
    ['Reception', 'user1-0@example.test', '', ''],
    ['Delivery', 'user0-0@example.test', 'delivered', 'generic.positive'],
    ['Bounce', 'user1-0@example.test', 'unknown-user', 'generic.enhanced.5.1.1'],
  ]);
  expect(harness.engine.idle).toBe(true);
});

test('4xx is a TransientFailure, retried at its scheduled time, then delivered', async () => {
  // Arrange
  const harness = engineHarness((_, attempt) => (attempt < 3 ? 'defer' : 'accept'));
  injectMany(harness, 1);
  const startMs = harness.scheduler.now();
  // Act
  await harness.scheduler.run();
  // Assert
  const attempts = harness.records.filter((record) => record.type !== 'Reception');
  expect(attempts.map((record) => record.type)).toEqual(['TransientFailure', 'TransientFailure', 'Delivery']);
  const [first, second, third] = attempts;
  if (first?.type !== 'TransientFailure' || second?.type !== 'TransientFailure' || third === undefined)
    throw new Error('unexpected records');
  expect(first.atMs).toBe(startMs);
  expect(second.atMs).toBe(first.nextAttemptAtMs);
  expect(third.atMs).toBe(second.nextAttemptAtMs);
  // 5 then 10 minutes, each within the ±10 % jitter.
  expect(first.nextAttemptAtMs - first.atMs).toBeGreaterThanOrEqual(4.5 * MINUTE_MS);
  expect(first.nextAttemptAtMs - first.atMs).toBeLessThanOrEqual(5.5 * MINUTE_MS);
  expect(second.nextAttemptAtMs - second.atMs).toBeGreaterThanOrEqual(9 * MINUTE_MS);
  expect(second.nextAttemptAtMs - second.atMs).toBeLessThanOrEqual(11 * MINUTE_MS);
  expect(third).toMatchObject({ attempt: 3, class: 'delivered' });
});

test('a recipient deferred for ever expires after 5 days, with its attempt count', async () => {
  // Arrange
  const harness = engineHarness(() => 'defer');
  injectMany(harness, 1);
  const startMs = harness.scheduler.now();
  // Act
  await harness.scheduler.run();
  // Assert
  const expiration = harness.records.at(-1);
  if (expiration?.type !== 'Expiration') throw new Error(`expected an Expiration, got ${expiration?.type}`);
  const transientFailures = harness.records.filter((record) => record.type === 'TransientFailure');
  expect(expiration.attempts).toBe(transientFailures.length);
  expect(expiration.atMs - startMs).toBeLessThanOrEqual(5 * DAY_MS);
  expect(expiration.atMs - startMs).toBeGreaterThan(5 * DAY_MS - 2 * HOUR_MS);
});

test('connections are reused up to maxDeliveriesPerConnection, at most connectionLimit at once, from the egress address', async () => {
  // Arrange
  const harness = engineHarness(() => 'accept', { connectionLimit: 3, maxDeliveriesPerConnection: 10 });
  injectMany(harness, 95);
  // Act
  await harness.scheduler.run();
  // Assert
  expect(harness.transport.openMax).toBe(3);
  expect(Math.max(...harness.transport.messagesPerConnection)).toBe(10);
  expect(harness.transport.messagesPerConnection.reduce((sum, count) => sum + count, 0)).toBe(95);
  // 95 messages need at least 10 connections; the 3 slots share the last round's 5 messages.
  expect(harness.transport.connections).toBeGreaterThanOrEqual(10);
  expect(harness.transport.connections).toBeLessThanOrEqual(10 + 3 - 1);
  expect(
    harness.transport.connectParams.every(
      (params) => params.sourceIp === '127.0.0.2' && params.mxHost === 'mx1.example.test',
    ),
  ).toBe(true);
});

test('a 421 that closes the session holds the site: the rest of the queue waits and is not charged an attempt', async () => {
  // Arrange: the first attempt at the site is rate limited, everything after is accepted.
  let answered = 0;
  const harness = engineHarness(() => (answered++ === 0 ? 'rate-limit-and-close' : 'accept'), {
    connectionLimit: 1,
    maxDeliveriesPerConnection: 50,
  });
  injectMany(harness, 20);
  const startMs = harness.scheduler.now();
  // Act
  await harness.scheduler.run();
  // Assert
  const attempts = harness.records.filter((record) => record.type === 'Delivery' || record.type === 'TransientFailure');
  expect(attempts).toHaveLength(21);
  expect(attempts[0]).toMatchObject({
    type: 'TransientFailure',
    class: 'rate-limited',
    action: 'backoff',
    atMs: startMs,
  });
  // Nothing else was tried until the 5-minute hold ended.
  expect(attempts.slice(1).every((record) => record.atMs >= startMs + 5 * MINUTE_MS)).toBe(true);
  expect(
    attempts
      .slice(1)
      .every(
        (record) =>
          record.type === 'Delivery' &&
          (record.recipient === 'user0-0@example.test' ? record.attempt === 2 : record.attempt === 1),
      ),
  ).toBe(true);
});

test('a domain that does not exist is failed at once as bad-domain (an AdminBounce), suppressed, without a connection', async () => {
  // Arrange
  const harness = engineHarness(() => 'accept');
  // Act
  harness.engine.inject({ mailFrom: 'bounces@news.mailbench.test', recipients: ['someone@nowhere.test'], data: 'x' });
  await harness.scheduler.run();
  // Assert
  expect(harness.records.filter((record) => record.type !== 'Reception')).toMatchObject([
    { type: 'AdminBounce', reason: 'no-mail-domain', class: 'bad-domain', rule: 'engine.dns.nxdomain' },
    { type: 'Suppression', change: 'add', recipient: 'someone@nowhere.test', class: 'bad-domain' },
  ]);
  expect(harness.transport.connections).toBe(0);
});
