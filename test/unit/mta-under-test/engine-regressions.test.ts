/**
 * Bugs the model-based tests (test/model) found in the engine, each as its smallest case:
 * a delivery behind the head of a rate-limited ready queue expiring late; connections opened
 * and closed unused while a path waits for its message rate; no fallback to the next MX host
 * when the first does not answer.
 */
import { expect, test } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../../kernel/clock/clock.ts';
import type { ConnectParams, ConnectOutcome, Transport } from '../../../kernel/transport/transport.ts';
import { engineHarness, injectMany } from '../../support/engine-harness.ts';

test('a delivery behind the head of a rate-limited queue expires at its time, not when it reaches the head', async () => {
  // Arrange: one message an hour (burst 1), an hour's lifetime.
  const harness = engineHarness(
    (recipient) => (recipient.startsWith('late') ? 'defer' : 'accept'),
    { connectionLimit: 1, maxDeliveriesPerConnection: 50, maxMessageRate: '2/h,max_burst=1' },
    { retry: { expiryMs: HOUR_MS, jitter: 0 } },
  );
  const startMs = harness.scheduler.now();
  harness.engine.inject({ mailFrom: 'b@news.test', recipients: ['late@example.test'], data: 'x' });
  await harness.scheduler.run({ untilMs: startMs + 35 * MINUTE_MS });
  harness.engine.inject({ mailFrom: 'b@news.test', recipients: ['head1@example.test'], data: 'x' });
  harness.engine.inject({ mailFrom: 'b@news.test', recipients: ['head2@example.test'], data: 'x' });
  // Act
  await harness.scheduler.run();
  // Assert
  const expiration = harness.records.find(
    (record) => record.type === 'Expiration' && record.recipient === 'late@example.test',
  );
  expect(expiration?.atMs).toBe(startMs + HOUR_MS);
});

test('a path waiting for its message rate opens no connection it cannot use', async () => {
  // Arrange: one message an hour, connections closed after 30 idle seconds.
  const harness = engineHarness(() => 'accept', {
    connectionLimit: 5,
    maxDeliveriesPerConnection: 50,
    maxMessageRate: '1/h',
    idleTimeoutMs: '30s',
  });
  injectMany(harness, 2);
  // Act
  await harness.scheduler.run();
  // Assert: two messages an hour apart need two connections, not one per idle timeout.
  expect(harness.records.filter((record) => record.type === 'Delivery')).toHaveLength(2);
  expect(harness.transport.connections).toBe(2);
});

test('when the most preferred MX host does not answer, the next one takes the mail', async () => {
  // Arrange: mx1 refuses TCP; mx2 is the scripted receiver.
  const harness = engineHarness(() => 'accept');
  const scripted = harness.transport;
  const transport: Transport = {
    connect: (params: ConnectParams): Promise<ConnectOutcome> =>
      params.mxHost === 'mx1.example.test'
        ? Promise.resolve({ kind: 'network-error', message: 'ECONNREFUSED' })
        : scripted.connect(params),
  };
  const withFallback = engineHarness(() => 'accept', undefined, { transport });
  injectMany(withFallback, 3);
  // Act
  await withFallback.scheduler.run();
  // Assert
  const deliveries = withFallback.records.filter((record) => record.type === 'Delivery');
  expect(deliveries).toHaveLength(3);
  expect(deliveries.every((record) => record.mxHost === 'mx2.example.test' && record.attempt === 1)).toBe(true);
  expect(scripted.connectParams.every((params) => params.mxHost === 'mx2.example.test')).toBe(true);
});
