/**
 * The injection API over real HTTP on loopback, backed by the durable spool: 202 comes only
 * once the messages are in the spool (a reopen finds them), templates are rendered per
 * recipient, and every kind of bad input is refused with its path and reason and nothing
 * enqueued.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startInjectionApi } from '../../mta-under-test/reference/inject/http-api.ts';
import type { InjectionApi } from '../../mta-under-test/reference/inject/http-api.ts';
import { Spool } from '../../mta-under-test/reference/spool/spool.ts';

const dir = mkdtempSync(join(tmpdir(), 'mailbench-inject-'));
const TOKEN = 's3cret-token';
let spool: Spool;
let api: InjectionApi;

beforeAll(async () => {
  spool = await Spool.open(dir);
  api = await startInjectionApi({
    address: '127.0.0.1',
    pools: new Set(['dedicated-acme', 'grid']),
    bearerToken: TOKEN,
    limits: { messageBytesMax: 64 * 1024 },
    enqueue: (messages) =>
      spool.enqueue(messages.map((message) => ({ ...message, receivedAtMs: 0, meta: { ...message.meta } }))),
  });
});

afterAll(async () => {
  await api.close();
  await spool.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(
  path: string,
  body: unknown,
  token = TOKEN,
): Promise<{
  status: number;
  json: { accepted?: number; ids?: string[]; error?: string; problems?: { path: string; message: string }[] };
}> {
  const response = await fetch(`http://${api.address}:${api.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as never };
}

const RAW = 'From: News <news@news.example>\r\nTo: <a@example.com>\r\nSubject: hi\r\n\r\nhello\r\n';

test('a single message and a templated batch are enqueued durably before the 202', async () => {
  // Act
  const single = await post('/v1/messages', {
    from: 'bounces@news.example',
    to: 'a@example.com',
    raw: RAW,
    pool: 'grid',
    tenant: 'acme',
  });
  const batch = await post('/v1/messages/batch', {
    from: 'bounces@news.example',
    pool: 'dedicated-acme',
    campaign: 'spring',
    content: { from: 'News <news@news.example>', subject: 'Hello {{name}}', text: 'Dear {{name}}, spring is here.' },
    recipients: [
      { to: 'b@example.com', vars: { name: 'Bea' } },
      { to: 'c@example.com', vars: { name: 'Cem' } },
    ],
  });
  // Assert: what a reopened spool holds is what was acknowledged.
  expect(single).toMatchObject({ status: 202, json: { accepted: 1 } });
  expect(batch).toMatchObject({ status: 202, json: { accepted: 2 } });
  // The running spool is the live one: a copy of its folder is what a restart would read.
  const copy = mkdtempSync(join(tmpdir(), 'mailbench-inject-copy-'));
  await spool.sync();
  cpSync(dir, copy, { recursive: true, filter: (source) => !source.endsWith('/lock') });
  const reopened = await Spool.open(copy);
  const held = await Promise.all(
    reopened.recoveredMessages().map(async (message) => ({ ...message, data: await reopened.body(message.id).load() })),
  );
  await reopened.close();
  rmSync(copy, { recursive: true, force: true });
  expect(held.map((message) => message.id)).toEqual([...(single.json.ids ?? []), ...(batch.json.ids ?? [])]);
  expect(held[0]).toMatchObject({
    mailFrom: 'bounces@news.example',
    recipients: ['a@example.com'],
    data: RAW,
    meta: { pool: 'grid', tenant: 'acme' },
  });
  expect(held[2]?.data).toMatch(/^Subject: Hello Cem\r$/m);
  expect(held[2]?.data).toMatch(/Dear Cem, spring is here\./);
  expect(held[2]?.meta).toEqual({ pool: 'dedicated-acme', campaign: 'spring' });
});

test('bad input gets 400 with every problem named, and nothing is enqueued', async () => {
  // Act
  const bad = await post('/v1/messages/batch', {
    messages: [
      { from: 'bounces@news.example', to: ['ok@example.com', 'not an address'], raw: RAW },
      {
        from: 'bounces@news.example',
        to: 'x@example.com',
        pool: 'nosuch',
        content: { from: 'N <n@news.example>', subject: 's' },
      },
      { to: 'y@example.com', raw: RAW, colour: 'blue' },
    ],
  });
  const template = await post('/v1/messages/batch', {
    from: 'bounces@news.example',
    content: { from: 'N <n@news.example>', subject: 'Hi {{name}}', text: 't' },
    recipients: [{ to: 'z@example.com' }],
  });
  // Assert
  expect(bad.status).toBe(400);
  expect(bad.json.problems?.map((problem) => problem.path)).toEqual([
    'messages[0].to[1]',
    'messages[1].content',
    'messages[1].pool',
    'messages[2].colour',
    'messages[2].from',
  ]);
  expect(bad.json.problems?.[2]?.message).toBe('unknown pool "nosuch" (known: dedicated-acme, grid)');
  expect(template).toMatchObject({
    status: 400,
    json: { problems: [{ path: 'recipients[0].vars', message: 'has no value for {{name}}' }] },
  });
  expect(spool.stats().liveMessages).toBe(3);
});

test('a wrong token is 401, an oversized message 413, malformed JSON 400, an unknown endpoint 404', async () => {
  // Act
  const unauthorized = await post(
    '/v1/messages',
    { from: 'bounces@news.example', to: 'a@example.com', raw: RAW },
    'wrong',
  );
  const oversized = await post('/v1/messages', {
    from: 'bounces@news.example',
    to: 'a@example.com',
    raw: `Subject: big\r\n\r\n${'x'.repeat(70 * 1024)}`,
  });
  const malformed = await post('/v1/messages', '{"from": ');
  const unknown = await post('/v1/nothing', {});
  // Assert
  expect(unauthorized).toMatchObject({ status: 401, json: { error: 'missing or wrong bearer token' } });
  expect(oversized).toMatchObject({
    status: 413,
    json: {
      problems: [{ path: 'raw', message: expect.stringMatching(/over the 65536-byte message limit/) as unknown }],
    },
  });
  expect(malformed).toMatchObject({ status: 400, json: { error: expect.stringMatching(/not valid JSON/) as unknown } });
  expect(unknown.status).toBe(404);
  expect(spool.stats().liveMessages).toBe(3);
});

test('the API refuses to bind outside loopback', async () => {
  await expect(
    startInjectionApi({ address: '0.0.0.0', pools: new Set(), enqueue: () => Promise.resolve([]) }),
  ).rejects.toThrow(/loopback only/);
});
