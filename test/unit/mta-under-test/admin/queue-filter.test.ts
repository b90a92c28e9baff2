/**
 * `GET /v1/queues` filters: the query is read with every bad parameter named, and the snapshot
 * is narrowed to the ready queues that match every given field, with the suspensions that may
 * hold them; scheduled queues stay whole.
 */
import { expect, test } from 'vitest';
import { filterSnapshot, readQueueFilter } from '../../../../mta-under-test/reference/admin/queue-filter.ts';
import { ANY_SOURCE } from '../../../../mta-under-test/reference/core/suspensions.ts';
import { GMAIL_SITE, SAMPLE_SNAPSHOT } from '../../../support/fake-engine-admin.ts';

test('known parameters are read; unknown, repeated and empty ones are each named', () => {
  expect(readQueueFilter(new URLSearchParams('site=mx.example.net&source=ip-1'))).toEqual({
    ok: true,
    value: { site: 'mx.example.net', source: 'ip-1' },
  });
  expect(readQueueFilter(new URLSearchParams(''))).toEqual({ ok: true, value: {} });
  const bad = readQueueFilter(new URLSearchParams('sight=gmail&source=ip-1&source=ip-2&provider='));
  expect(bad).toEqual({
    ok: false,
    problems: [
      { path: 'query.sight', message: 'is not a known parameter (known: source, site, provider)' },
      { path: 'query.source', message: 'is given 2 times; give it once' },
      { path: 'query.provider', message: expect.stringMatching(/must be a non-empty name/) as unknown },
    ],
  });
});

test('a provider filter keeps its ready queues and the suspensions that may cover them', () => {
  // Act
  const view = filterSnapshot(SAMPLE_SNAPSHOT, { provider: 'gmail' });
  // Assert
  expect(view.ready.map((queue) => queue.name)).toEqual([`ip-1->${GMAIL_SITE}`, `ip-2->${GMAIL_SITE}`]);
  expect(view.suspensions).toEqual(SAMPLE_SNAPSHOT.suspensions);
  expect(view.scheduled).toEqual(SAMPLE_SNAPSHOT.scheduled);
  expect(view.atMs).toBe(SAMPLE_SNAPSHOT.atMs);
});

test('a source filter drops the other source’s queues and the suspensions scoped to it', () => {
  const view = filterSnapshot(SAMPLE_SNAPSHOT, { source: 'ip-1' });
  expect(view.ready.map((queue) => queue.name)).toEqual([`ip-1->${GMAIL_SITE}`, 'ip-1->mx.example.net']);
  expect(view.suspensions).toEqual([]);
});

test('a whole-source suspension shows under a filter on one of its sites', () => {
  // Arrange
  const snapshot = { ...SAMPLE_SNAPSHOT, suspensions: [{ scope: { source: 'ip-1' }, untilMs: 1, reason: 'r' }] };
  // Act
  const view = filterSnapshot(snapshot, { site: 'mx.example.net' });
  // Assert
  expect(view.ready.map((queue) => queue.name)).toEqual(['ip-1->mx.example.net']);
  expect(view.suspensions).toEqual(snapshot.suspensions);
});

test('a queue with no provider block never matches a provider filter', () => {
  expect(filterSnapshot(SAMPLE_SNAPSHOT, { site: 'mx.example.net', provider: 'gmail' }).ready).toEqual([]);
});

test('a site suspended from every source (the engine’s wildcard source) shows under any source filter on that site', () => {
  // Arrange
  const everySource = { scope: { source: ANY_SOURCE, site: GMAIL_SITE }, untilMs: 1, reason: 'r' };
  const snapshot = { ...SAMPLE_SNAPSHOT, suspensions: [everySource] };
  // Act, Assert
  expect(filterSnapshot(snapshot, { source: 'ip-1' }).suspensions).toEqual([everySource]);
  expect(filterSnapshot(snapshot, { source: 'ip-1', site: 'mx.example.net' }).suspensions).toEqual([]);
});
