/**
 * The engine's egress and its operator controls, on the virtual clock with a scripted
 * receiver: each tenant's mail leaves from its own pool's sources, with their addresses and
 * EHLO names, weighted as configured; an operator's suspension of a path stops attempts on it
 * until it is resumed, both on record; the snapshot shows the queues as they are.
 */
import { expect, test } from 'vitest';
import { HOUR_MS } from '../../../kernel/clock/clock.ts';
import type { EgressConfig } from '../../../mta-under-test/reference/core/egress.ts';
import { engineHarness } from '../../support/engine-harness.ts';

const EGRESS: EgressConfig = {
  sources: [
    { name: 'acme-1', sourceIp: '127.0.0.11', heloName: 'acme1.mta.test' },
    { name: 'grid-1', sourceIp: '127.0.0.21', heloName: 'grid1.mta.test' },
    { name: 'grid-2', sourceIp: '127.0.0.22', heloName: 'grid2.mta.test' },
  ],
  pools: [
    { name: 'acme-dedicated', members: [{ source: 'acme-1' }] },
    {
      name: 'grid',
      members: [
        { source: 'grid-1', weight: 3 },
        { source: 'grid-2', weight: 1 },
      ],
    },
  ],
  defaultPool: 'grid',
  tenants: { acme: { pool: 'acme-dedicated' } },
};

test('a tenant mails from its dedicated pool; the grid rotates its sources 3:1 by weight', async () => {
  // Arrange: one connection per message, so each connection shows the source chosen for it.
  const harness = engineHarness(
    () => 'accept',
    { connectionLimit: 1, maxDeliveriesPerConnection: 1 },
    { egress: EGRESS },
  );
  for (let index = 0; index < 4; index++)
    harness.engine.inject({
      mailFrom: 'b@news.test',
      recipients: [`acme${index}@example.test`],
      data: 'Subject: a\r\n\r\nx\r\n',
      owner: { tenant: 'acme' },
    });
  for (let index = 0; index < 8; index++)
    harness.engine.inject({
      mailFrom: 'b@news.test',
      recipients: [`other${index}@example.test`],
      data: 'Subject: b\r\n\r\nx\r\n',
      owner: { tenant: 'beta' },
    });
  // Act
  await harness.scheduler.run();
  // Assert
  const used = harness.transport.connectParams.map((params) => `${params.sourceIp} ${params.heloName}`);
  expect(used.filter((entry) => entry === '127.0.0.11 acme1.mta.test')).toHaveLength(4);
  expect(used.filter((entry) => entry === '127.0.0.21 grid1.mta.test')).toHaveLength(6);
  expect(used.filter((entry) => entry === '127.0.0.22 grid2.mta.test')).toHaveLength(2);
  const deliveries = harness.records.filter((record) => record.type === 'Delivery');
  expect(
    deliveries
      .filter((record) => record.recipient.startsWith('acme'))
      .every((record) => record.source === 'acme-1' && record.tenant === 'acme'),
  ).toBe(true);
});

test('an unknown pool named at injection is refused, naming the pools there are', () => {
  const harness = engineHarness(() => 'accept', undefined, { egress: EGRESS });
  expect(() =>
    harness.engine.inject({
      mailFrom: 'b@news.test',
      recipients: ['x@example.test'],
      data: 'x',
      owner: { pool: 'nope' },
    }),
  ).toThrow(/unknown pool 'nope' \(known: acme-dedicated, grid\)/);
});

test('an operator suspension stops a source until resumed; both are records, and the snapshot shows the wait', async () => {
  // Arrange
  const harness = engineHarness(
    () => 'accept',
    { connectionLimit: 2, maxDeliveriesPerConnection: 100 },
    { egress: EGRESS },
  );
  const suspended = harness.engine.suspend(
    { source: 'acme-1' },
    { durationMs: 2 * HOUR_MS, reason: 'customer asked for a pause' },
  );
  for (let index = 0; index < 3; index++)
    harness.engine.inject({
      mailFrom: 'b@news.test',
      recipients: [`acme${index}@example.test`],
      data: 'x',
      owner: { tenant: 'acme' },
    });
  const startMs = harness.scheduler.now();
  // Act: an hour passes under the suspension, then the operator resumes.
  await harness.scheduler.run({ untilMs: startMs + HOUR_MS });
  const during = harness.engine.snapshot();
  const attemptsDuring = harness.records.filter((record) => record.type === 'Delivery').length;
  const resumed = harness.engine.resume({ source: 'acme-1' });
  harness.engine.inject({
    mailFrom: 'b@news.test',
    recipients: ['acme-late@example.test'],
    data: 'x',
    owner: { tenant: 'acme' },
  });
  await harness.scheduler.run();
  // Assert
  expect(suspended).toMatchObject({ ok: true });
  expect(resumed).toEqual({ ok: true, detail: 'resumed source acme-1' });
  expect(harness.engine.suspend({ source: 'nobody' }, { durationMs: 1, reason: 'x' })).toMatchObject({
    ok: false,
    message: expect.stringMatching(/unknown source 'nobody'/) as unknown,
  });
  expect(attemptsDuring).toBe(0);
  expect(during.scheduled.reduce((sum, queue) => sum + queue.recipients, 0)).toBe(3);
  expect(during.suspensions).toMatchObject([{ scope: { source: 'acme-1' }, reason: 'customer asked for a pause' }]);
  const types = harness.records.map((record) => record.type);
  expect(types.indexOf('Suspend')).toBeLessThan(types.indexOf('Resume'));
  expect(harness.records.find((record) => record.type === 'Resume')).toMatchObject({ rule: 'operator.resume' });
  expect(harness.records.filter((record) => record.type === 'Delivery')).toHaveLength(4);
  // The deliveries waiting out the suspension go as soon as it is lifted, not at its planned end.
  expect(harness.records.filter((record) => record.type === 'Delivery').map((record) => record.atMs - startMs)).toEqual(
    [HOUR_MS, HOUR_MS, HOUR_MS, HOUR_MS],
  );
});
