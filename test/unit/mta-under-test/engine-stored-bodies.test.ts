/**
 * Messages whose bodies are on disk (the service's spool) rather than in memory: the engine
 * loads a body for each attempt and prepares it then, a body that cannot be read is tried again
 * later (never lost), and a stop that arrives while a body is being read starts no transaction.
 * Method: the engine on a virtual clock with a scripted transport (test/support/engine-harness.ts),
 * bodies given as loaders whose failures the test decides.
 */
import { expect, test } from 'vitest';
import type { StoredData } from '../../../mta-under-test/reference/core/delivery.ts';
import { engineHarness } from '../../support/engine-harness.ts';

const BODY = 'Subject: stored\r\n\r\nhello from disk\r\n';

function storedBody(failures: number): StoredData & { loads: number } {
  const body = {
    bytes: BODY.length,
    loads: 0,
    load: () => {
      body.loads++;
      return body.loads <= failures
        ? Promise.reject(new Error('EIO: the disk could not be read'))
        : Promise.resolve(BODY);
    },
  };
  return body;
}

test('a body on disk is loaded for the attempt; one that cannot be read is tried again later and delivered', async () => {
  // Arrange
  const errors: string[] = [];
  const harness = engineHarness(
    () => 'accept',
    { connectionLimit: 1, maxDeliveriesPerConnection: 50 },
    { onLoadError: (messageId) => errors.push(messageId) },
  );
  const healthy = storedBody(0);
  const flaky = storedBody(2);
  // Act
  harness.engine.inject({ mailFrom: 'bounces@news.mailbench.test', recipients: ['a@example.test'], data: healthy });
  const { messageId } = harness.engine.inject({
    mailFrom: 'bounces@news.mailbench.test',
    recipients: ['b@example.test'],
    data: flaky,
  });
  await harness.scheduler.run();
  // Assert
  const delivered = harness.records
    .filter((record) => record.type === 'Delivery')
    .map((record) => ('recipient' in record ? record.recipient : ''));
  expect(delivered.sort()).toEqual(['a@example.test', 'b@example.test']);
  expect(errors).toEqual([messageId, messageId]);
  expect(flaky.loads).toBe(3);
  expect(healthy.loads).toBe(1);
});

test('a stop that arrives while a body is being read starts no transaction; the recipient stays open', async () => {
  // Arrange: a load that waits until the test lets it finish.
  const harness = engineHarness(() => 'accept');
  let finishLoad: (body: string) => void = () => undefined;
  const slow: StoredData = { bytes: BODY.length, load: () => new Promise((resolve) => (finishLoad = resolve)) };
  harness.engine.inject({ mailFrom: 'bounces@news.mailbench.test', recipients: ['a@example.test'], data: slow });
  const running = harness.scheduler.run();
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
  // Act
  const stopped = harness.engine.stopSending();
  finishLoad(BODY);
  await stopped;
  await harness.engine.shutdown();
  await running;
  // Assert
  expect(harness.transport.messagesPerConnection.reduce((sum, count) => sum + count, 0)).toBe(0);
  expect(harness.records.filter((record) => record.type === 'Delivery')).toEqual([]);
});
