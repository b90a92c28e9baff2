/**
 * The `reference` child-process adapter on its own: the engine service is spawned with the
 * configuration the adapter writes from an environment (two route domains on 127.0.1.x), six
 * messages are injected over its HTTP API, and the decisions read back from its growing
 * accounting log must match what each smtp-server listener answered: `accept.example` takes
 * every recipient, `users.example` refuses `nobody*` with 550 5.1.1. Each listener must have
 * seen the egress identity's source address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { afterAll, expect, test } from 'vitest';
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { referenceChildProcess } from '../../mta-under-test/adapters/reference/index.ts';

interface TestListener {
  readonly address: string;
  readonly port: number;
  readonly peers: string[];
  close(): Promise<void>;
}

async function listen(address: string, refuse: (recipient: string) => boolean): Promise<TestListener> {
  const peers: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1_000,
    onRcptTo: (recipient, _session, callback) => callback(refuse(recipient.address) ? Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }) : undefined),
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        peers.push(session.remoteAddress);
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, address, () => resolve()));
  const bound = server.server.address();
  if (bound === null || typeof bound === 'string') throw new Error(`no port on ${address}`);
  return { address, port: bound.port, peers, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const workDir = mkdtempSync(join(tmpdir(), 'mailbench-reference-adapter-'));
const mta = referenceChildProcess();
const listeners: TestListener[] = [];

afterAll(async () => {
  await mta.stop();
  await Promise.all(listeners.map((listener) => listener.close()));
  rmSync(workDir, { recursive: true, force: true });
});

test('decisions come back from the child engine through its accounting log', async () => {
  const accepting = await listen('127.0.1.31', () => false);
  const users = await listen('127.0.1.32', (recipient) => recipient.startsWith('nobody'));
  const returnPath = await listen('127.0.1.33', () => false);
  listeners.push(accepting, users, returnPath);
  const records: AccountingRecord[] = [];
  mta.onDecision((record) => records.push(record));
  await mta.start({
    routes: new Map([
      ['accept.example', accepting],
      ['users.example', users],
      ['sender.test', returnPath],
    ]),
    egress: [{ name: 'mta1', sourceIp: '127.0.0.41', heloName: 'mta1.sender.test' }],
    returnPath,
    workDir,
    clockScale: 1,
  });
  const recipients = ['a@accept.example', 'b@accept.example', 'c@users.example', 'nobody1@users.example', 'nobody2@users.example', 'd@accept.example'];
  await mta.inject(recipients.map((to, index) => ({ mailFrom: 'news@sender.test', recipients: [to], data: `From: news@sender.test\r\nTo: ${to}\r\nSubject: m${index}\r\n\r\nHello.\r\n`, campaign: 'c1' })));
  const deadline = Date.now() + 30_000;
  const finalOf = (recipient: string) => records.find((record) => (record.type === 'Delivery' || record.type === 'Bounce') && record.recipient === recipient)?.type;
  while (recipients.some((recipient) => finalOf(recipient) === undefined)) {
    if (Date.now() > deadline) throw new Error(`no final record for ${recipients.filter((recipient) => finalOf(recipient) === undefined).join(', ')}; got ${records.map((record) => record.type).join(', ')}`);
    await sleep(100);
  }
  expect(recipients.map(finalOf)).toEqual(['Delivery', 'Delivery', 'Delivery', 'Bounce', 'Bounce', 'Delivery']);
  expect(records.filter((record) => record.type === 'Reception')).toHaveLength(6);
  const bounce = records.find((record) => record.type === 'Bounce');
  expect(bounce?.type === 'Bounce' && bounce.reply?.code).toBe(550);
  expect(bounce?.type === 'Bounce' && bounce.class).toBe('unknown-user');
  expect(records.find((record) => record.type === 'Reception')?.campaign).toBe('c1');
  expect(new Set([...accepting.peers, ...users.peers])).toEqual(new Set(['127.0.0.41']));
  expect(mta.version()).toMatch(/^\d+\.\d+\.\d+/);
}, 60_000);
