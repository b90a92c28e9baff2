/**
 * The `reference` child-process adapter on its own: the engine service is spawned with the
 * configuration the adapter writes from an environment (two route domains on 127.0.1.x), six
 * messages are injected over its HTTP API, and the decisions read back from its growing
 * accounting log must match what each smtp-server listener answered: `accept.example` takes
 * every recipient, `users.example` refuses `nobody*` with 550 5.1.1. Each listener must have
 * seen the egress identity's source address.
 *
 * Return mail: what reaches the return-path listener is handed to the adapter (as the bench's
 * inbox does through `onReturnMail`), which hands it on to the engine's inbound listener over
 * SMTP. A receiver's later DSN must come back as an AsyncBounce joined to the delivery; the
 * engine's own DSN about a bounce, which lands on the same return path, must not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { afterAll, expect, test } from 'vitest';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { AccountingRecord, DeliveryRecord } from '../../mta-under-test/accounting.ts';
import type { ReturnMailListener } from '../../mta-under-test/adapters/mta-under-test.ts';
import { referenceChildProcess } from '../../mta-under-test/adapters/reference/index.ts';
import { buildDsn } from '../../mta-under-test/reference/dsn/dsn-message.ts';
import { readInboundReport } from '../../mta-under-test/reference/inbound/read-report.ts';

interface TestListener {
  readonly address: string;
  readonly port: number;
  readonly peers: string[];
  /** Every message taken, as received (once `onMessage` resolved). */
  readonly messages: string[];
  close(): Promise<void>;
}

/** A listener that refuses some recipients; `onMessage` is awaited before the 250 (a return path's hand-on). */
async function listen(
  address: string,
  refuse: (recipient: string) => boolean,
  onMessage?: (raw: string, recipient: string | undefined) => Promise<void>,
): Promise<TestListener> {
  const peers: string[] = [];
  const messages: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1_000,
    onRcptTo: (recipient, _session, callback) =>
      callback(
        refuse(recipient.address) ? Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }) : undefined,
      ),
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        peers.push(session.remoteAddress);
        const raw = Buffer.concat(chunks).toString('utf8');
        // Listed once handed on: a test that finds it knows the hand-on is over.
        void (onMessage?.(raw, session.envelope.rcptTo[0]?.address) ?? Promise.resolve()).then(() => {
          messages.push(raw);
          callback(null);
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, address, () => resolve()));
  const bound = server.server.address();
  if (bound === null || typeof bound === 'string') throw new Error(`no port on ${address}`);
  return {
    address,
    port: bound.port,
    peers,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends one message by SMTP from the null reverse-path, as a receiver sends a report. */
async function sendReport(to: TestListener, recipient: string, data: string): Promise<void> {
  const connection = new SMTPConnection({
    host: to.address,
    port: to.port,
    localAddress: '127.0.1.45',
    name: 'mx.accept.example',
    ignoreTLS: true,
  });
  await new Promise<void>((resolve, reject) =>
    connection.connect((error?: Error) => (error === undefined ? resolve() : reject(error))),
  );
  try {
    await new Promise<void>((resolve, reject) =>
      connection.send({ from: '', to: [recipient] }, data, (error) => (error === null ? resolve() : reject(error))),
    );
  } finally {
    connection.quit();
  }
}

async function until<T>(what: string, found: () => T | undefined, records: readonly AccountingRecord[]): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen; records: ${records.map((record) => record.type).join(', ')}`);
    await sleep(100);
  }
}

const workDir = mkdtempSync(join(tmpdir(), 'mailbench-reference-adapter-'));
const returnWorkDir = mkdtempSync(join(tmpdir(), 'mailbench-reference-adapter-return-'));
const mta = referenceChildProcess();
const returnMta = referenceChildProcess();
const listeners: TestListener[] = [];

afterAll(async () => {
  await Promise.all([mta.stop(), returnMta.stop()]);
  await Promise.all(listeners.map((listener) => listener.close()));
  rmSync(workDir, { recursive: true, force: true });
  rmSync(returnWorkDir, { recursive: true, force: true });
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
    onReturnMail: () => undefined,
  });
  const recipients = [
    'a@accept.example',
    'b@accept.example',
    'c@users.example',
    'nobody1@users.example',
    'nobody2@users.example',
    'd@accept.example',
  ];
  await mta.inject(
    recipients.map((to, index) => ({
      mailFrom: 'news@sender.test',
      recipients: [to],
      data: `From: news@sender.test\r\nTo: ${to}\r\nSubject: m${index}\r\n\r\nHello.\r\n`,
      campaign: 'c1',
    })),
  );
  const deadline = Date.now() + 30_000;
  const finalOf = (recipient: string) =>
    records.find((record) => (record.type === 'Delivery' || record.type === 'Bounce') && record.recipient === recipient)
      ?.type;
  while (recipients.some((recipient) => finalOf(recipient) === undefined)) {
    if (Date.now() > deadline)
      throw new Error(
        `no final record for ${recipients.filter((recipient) => finalOf(recipient) === undefined).join(', ')}; got ${records.map((record) => record.type).join(', ')}`,
      );
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

test('return mail reaches the child engine: a later DSN becomes an AsyncBounce, its own DSNs do not', async () => {
  const handOn: ReturnMailListener[] = [];
  const accepting = await listen('127.0.1.41', () => false);
  const users = await listen('127.0.1.42', (recipient) => recipient.startsWith('nobody'));
  // The bench's return path: each message is handed to the adapter before the 250.
  const returnPath = await listen(
    '127.0.1.43',
    () => false,
    async (raw, recipient) => {
      await Promise.all(handOn.map((listener) => listener(raw, recipient)));
    },
  );
  listeners.push(accepting, users, returnPath);
  const records: AccountingRecord[] = [];
  returnMta.onDecision((record) => records.push(record));
  await returnMta.start({
    routes: new Map([
      ['accept.example', accepting],
      ['users.example', users],
      ['sender.test', returnPath],
    ]),
    egress: [{ name: 'mta1', sourceIp: '127.0.0.44', heloName: 'mta1.sender.test' }],
    returnPath,
    workDir: returnWorkDir,
    clockScale: 1,
    onReturnMail: (listener) => handOn.push(listener),
  });
  const message = (to: string) => ({
    mailFrom: 'news@sender.test',
    recipients: [to],
    data: `From: news@sender.test\r\nTo: ${to}\r\nSubject: for ${to}\r\n\r\nHello.\r\n`,
  });
  await returnMta.inject([message('a@accept.example'), message('nobody@users.example')]);
  const delivery = await until(
    'the delivery to a@accept.example',
    () =>
      records.find(
        (record): record is DeliveryRecord => record.type === 'Delivery' && record.recipient === 'a@accept.example',
      ),
    records,
  );
  await until(
    'the bounce of nobody@users.example',
    () => records.find((record) => record.type === 'Bounce' && record.recipient === 'nobody@users.example'),
    records,
  );
  // The engine's own DSN about nobody@ has reached the return path and been handed to the adapter,
  // which has handed it on (or kept it back) before the 250.
  const ownDsn = await until(
    "the engine's DSN on the return path",
    () => returnPath.messages.find((raw) => raw.includes('nobody@users.example')),
    records,
  );
  const own = await readInboundReport(ownDsn);
  expect(own.kind).toBe('dsn');

  // Later, the receiver behind accept.example bounces what it accepted, by DSN to the envelope sender.
  const original = accepting.messages.find((raw) => raw.includes('To: a@accept.example'));
  expect(original).toContain('X-Mailbench-Ref:');
  const dsn = buildDsn({
    kind: 'failed',
    id: 'later-1',
    dateMs: Date.now(),
    engineHost: 'mx.accept.example',
    envelopeSender: 'news@sender.test',
    original: { data: original ?? '', arrivalMs: Date.now() },
    recipients: [
      {
        recipient: 'a@accept.example',
        reply: { code: 550, enhanced: '5.1.1', lines: ['5.1.1 <a@accept.example>: mailbox unavailable'] },
        remoteMta: 'mx.accept.example',
      },
    ],
  });
  await sendReport(returnPath, dsn.recipient, dsn.data);
  const asyncBounce = await until(
    'the AsyncBounce for a@accept.example',
    () => records.find((record) => record.type === 'AsyncBounce' && record.recipient === 'a@accept.example'),
    records,
  );
  expect(asyncBounce).toMatchObject({
    messageId: delivery.messageId,
    status: '5.1.1',
    class: 'unknown-user',
    joinedBy: 'header',
    reportingMta: 'mx.accept.example',
  });
  // The engine's own DSN went to the return path before the receiver's: had it been handed back,
  // its AsyncBounce would be on the log before this one.
  expect(records.filter((record) => record.type === 'AsyncBounce')).toHaveLength(1);
}, 60_000);
