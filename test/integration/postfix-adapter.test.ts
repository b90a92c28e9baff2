/**
 * The `postfix` adapter end to end: a private Postfix instance (Debian's package, installed by
 * mta-under-test/adapters/postfix/install-postfix.sh) relays ~20 injected messages to three
 * smtp-server listeners on 127.0.1.x: one accepts, one refuses some recipients with
 * `550 5.1.1 no such user`, one answers `451 4.7.0 try later`. The records the adapter derives
 * from Postfix's maillog_file must match what each listener answered, each listener must have
 * seen the source address and HELO name of the sender's egress identity, and Postfix's DSNs
 * must reach the return-path listener. The wait is bounded and ends when every recipient has
 * a final record or a deferral. A second, short-lived instance (lifetime 4 s) shows a deferred
 * recipient expiring.
 *
 * Postfix missing is a failure, not a skip: CI installs it (.ci/run).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { PostfixMta, postfixCommand } from '../../mta-under-test/adapters/postfix/index.ts';
import type { LoopbackRoute, MtaMessage } from '../../mta-under-test/adapters/mta-under-test.ts';

interface Seen {
  readonly remoteAddress: string;
  readonly helo: string;
  readonly from: string;
  readonly recipients: string[];
}

interface TestListener extends LoopbackRoute {
  readonly seen: Seen[];
  close(): Promise<void>;
}

type RcptAnswer = (recipient: string) => { code: number; text: string } | undefined;

/** An smtp-server that answers RCPT with `answer` and records who sent what. */
async function listen(address: string, answer: RcptAnswer): Promise<TestListener> {
  const seen: Seen[] = [];
  const refuse = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    hideENHANCEDSTATUSCODES: true,
    logger: false,
    closeTimeout: 1_000,
    onRcptTo(recipient, _session, callback) {
      const refusal = answer(recipient.address);
      callback(refusal === undefined ? undefined : refuse(refusal.code, refusal.text));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      stream.resume();
      stream.on('end', () => {
        seen.push({
          remoteAddress: session.remoteAddress,
          helo: session.hostNameAppearsAs,
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        });
        callback(null, '2.0.0 accepted');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  const bound = server.server.address();
  if (bound === null || typeof bound === 'string') throw new Error(`no port on ${address}`);
  return {
    address,
    port: bound.port,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const EGRESS = [
  { name: 'pool-a', sourceIp: '127.0.0.21', heloName: 'mta-a.sender.test' },
  { name: 'pool-b', sourceIp: '127.0.0.22', heloName: 'mta-b.sender.test' },
];
const SENDER_A = 'news@a.sender.test';
const SENDER_B = 'news@b.sender.test';
const MESSAGE_COUNT = 20;
const WAIT_MS = 60_000;

let accepting: TestListener;
let users: TestListener;
let later: TestListener;
let returnPath: TestListener;
let workDir: string;
const mta = new PostfixMta({ egressBySender: new Map([['@b.sender.test', 'pool-b']]) });
const records: AccountingRecord[] = [];

/** Message i: who sends it and to whom (see the file comment for what each domain answers). */
function message(index: number): MtaMessage {
  const recipients =
    [
      [`u${index}@accept.example`],
      [`u${index}@users.example`, `nobody${index}@users.example`],
      [`u${index}@later.example`],
      [`v${index}@accept.example`, `v${index}@later.example`],
    ][index % 4] ?? [];
  const mailFrom = index % 2 === 0 ? SENDER_A : SENDER_B;
  const data = `From: ${mailFrom}\r\nTo: ${recipients.join(', ')}\r\nSubject: message ${index}\r\nMessage-ID: <m${index}@sender.test>\r\n\r\nHello ${index}.\r\n`;
  return { mailFrom, recipients, data, ...(index % 2 === 0 ? {} : { pool: 'pool-b', tenant: 'tenant-b' }) };
}

beforeAll(async () => {
  // Throws E_POSTFIX_NOT_INSTALLED naming install-postfix.sh when Postfix is missing.
  postfixCommand('postfix');
  accepting = await listen('127.0.1.11', () => undefined);
  users = await listen('127.0.1.12', (recipient) =>
    recipient.startsWith('nobody') ? { code: 550, text: '5.1.1 no such user' } : undefined,
  );
  later = await listen('127.0.1.13', () => ({ code: 451, text: '4.7.0 try later' }));
  returnPath = await listen('127.0.2.1', () => undefined);
  workDir = mkdtempSync(join(tmpdir(), 'mailbench-postfix-'));
  chmodSync(workDir, 0o755);
  mta.onDecision((record) => records.push(record));
  await mta.start({
    routes: new Map([
      ['accept.example', accepting],
      ['users.example', users],
      ['later.example', later],
    ]),
    egress: EGRESS,
    returnPath,
    workDir,
    clockScale: 60,
    onReturnMail: () => undefined,
  });
});

afterAll(async () => {
  await mta.stop();
  await Promise.all(
    [accepting, users, later, returnPath]
      .filter((listener) => listener !== undefined)
      .map((listener) => listener.close()),
  );
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

function expectedRecipients(): string[] {
  return Array.from({ length: MESSAGE_COUNT }, (_, index) => message(index).recipients).flat();
}

/** Polls until every recipient has a final record or a deferral, and every bounce its DSN; bounded. */
async function settle(): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  const expected = expectedRecipients();
  const bouncedCount = () =>
    new Set(
      records
        .filter((record) => record.type === 'Bounce')
        .map((record) => record.type === 'Bounce' && record.messageId),
    ).size;
  for (;;) {
    const decided = new Set(
      records
        .filter(
          (record) => record.type === 'Delivery' || record.type === 'Bounce' || record.type === 'TransientFailure',
        )
        .map((record) => 'recipient' in record && record.recipient),
    );
    if (expected.every((recipient) => decided.has(recipient)) && returnPath.seen.length >= bouncedCount()) return;
    if (Date.now() > deadline)
      throw new Error(
        `after ${WAIT_MS} ms, ${expected.filter((recipient) => !decided.has(recipient)).length} recipients have no decision and ${returnPath.seen.length}/${bouncedCount()} DSNs arrived`,
      );
    await sleep(100);
  }
}

test('every recipient gets the record that matches what its listener answered', { timeout: 120_000 }, async () => {
  // Arrange
  const messages = Array.from({ length: MESSAGE_COUNT }, (_, index) => message(index));
  expect(mta.version()).toMatch(/^3\.\d+\.\d+/);
  // Act
  await mta.inject(messages);
  await settle();
  // Assert: one Reception per recipient, the queue id as message id.
  const expected = expectedRecipients();
  const receptions = records.filter((record) => record.type === 'Reception');
  expect(receptions.map((record) => record.recipient).sort()).toEqual([...expected].sort());
  for (const reception of receptions) expect(reception.messageId).toMatch(/^[0-9A-F]{6,}$/);
  // Assert: the first attempt per recipient, as each listener answered it.
  const firstAttempts = new Map<string, AccountingRecord>();
  for (const record of records) {
    if (
      (record.type === 'Delivery' || record.type === 'Bounce' || record.type === 'TransientFailure') &&
      record.attempt === 1
    )
      firstAttempts.set(record.recipient, record);
  }
  for (const [index, sent] of messages.entries()) {
    const egress = index % 2 === 0 ? EGRESS[0] : EGRESS[1];
    for (const recipient of sent.recipients) {
      const record = firstAttempts.get(recipient);
      const common = {
        recipient,
        sourceIp: egress?.sourceIp,
        source: egress?.name,
        stage: expect.any(String) as unknown,
      };
      if (recipient.startsWith('nobody')) {
        expect(record).toMatchObject({
          ...common,
          type: 'Bounce',
          site: '127.0.1.12',
          stage: 'rcpt',
          class: 'unknown-user',
          action: 'fail-message',
          rule: 'postfix.dsn.5.1.x',
          reply: { code: 550, enhanced: '5.1.1', lines: ['no such user'] },
        });
      } else if (recipient.endsWith('@later.example')) {
        expect(record).toMatchObject({
          ...common,
          type: 'TransientFailure',
          site: '127.0.1.13',
          stage: 'rcpt',
          class: 'policy-block',
          action: 'retry',
          reply: { code: 451, enhanced: '4.7.0', lines: ['try later'] },
        });
        if (record?.type === 'TransientFailure') expect(record.nextAttemptAtMs).toBeGreaterThan(record.atMs);
      } else {
        expect(record).toMatchObject({
          ...common,
          type: 'Delivery',
          stage: 'data',
          class: 'delivered',
          action: 'none',
          reply: { code: 250, enhanced: '2.0.0' },
        });
      }
      if (index % 2 === 1) expect(record).toMatchObject({ tenant: 'tenant-b', pool: 'pool-b' });
    }
  }
  // Assert: listeners saw each sender's configured source address and HELO name.
  for (const seen of [...accepting.seen, ...users.seen]) {
    const egress = seen.from === SENDER_A ? EGRESS[0] : EGRESS[1];
    expect({ remoteAddress: seen.remoteAddress, helo: seen.helo }).toEqual({
      remoteAddress: egress?.sourceIp,
      helo: egress?.heloName,
    });
  }
  expect(accepting.seen.flatMap((seen) => seen.recipients)).toHaveLength(
    messages.filter((_, index) => index % 4 === 0 || index % 4 === 3).length,
  );
  // Assert: Postfix's DSNs (null sender) went to the return-path listener, one per bounced message.
  expect(returnPath.seen.length).toBeGreaterThanOrEqual(messages.filter((_, index) => index % 4 === 1).length);
  expect(returnPath.seen.every((seen) => seen.from === '')).toBe(true);
});

test('stop ends the master and is safe twice', async () => {
  // Arrange
  const pidFile = join(workDir, 'postfix', 'queue', 'pid', 'master.pid');
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  // Act
  await mta.stop();
  await mta.stop();
  // Assert: no live master (a zombie left for an init that does not reap counts as gone).
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  expect(stat === '' || / [ZX] /.test(stat.slice(stat.lastIndexOf(')')))).toBe(true);
});

test(
  'a recipient deferred past maximal_queue_lifetime expires, with its attempts counted',
  { timeout: 60_000 },
  async () => {
    // Arrange: a second instance whose timers are short enough to see expiry (real seconds).
    const expiringDir = mkdtempSync(join(tmpdir(), 'mailbench-postfix-expiry-'));
    const expiring = new PostfixMta({
      timers: {
        minimalBackoffS: 3,
        queueRunDelayS: 1,
        maximalBackoffS: 3,
        maximalQueueLifetimeS: 4,
        bounceQueueLifetimeS: 4,
      },
    });
    const seen: AccountingRecord[] = [];
    expiring.onDecision((record) => seen.push(record));
    try {
      await expiring.start({
        routes: new Map([['later.example', later]]),
        egress: EGRESS,
        returnPath,
        workDir: expiringDir,
        clockScale: 1,
        onReturnMail: () => undefined,
      });
      // Act
      await expiring.inject([
        { mailFrom: SENDER_A, recipients: ['slow@later.example'], data: 'Subject: slow\r\n\r\nslow\r\n' },
      ]);
      const deadline = Date.now() + 30_000;
      while (!seen.some((record) => record.type === 'Expiration') && Date.now() < deadline) await sleep(100);
    } finally {
      await expiring.stop();
      rmSync(expiringDir, { recursive: true, force: true });
    }
    // Assert
    const deferrals = seen.filter((record) => record.type === 'TransientFailure');
    const expiration = seen.find((record) => record.type === 'Expiration');
    // How many attempts fit in 4 s depends on the machine's load; at least the first is made.
    const trail = JSON.stringify(seen);
    expect(deferrals.length, trail).toBeGreaterThanOrEqual(1);
    expect(
      deferrals.map((record) => record.type === 'TransientFailure' && record.attempt),
      trail,
    ).toEqual(deferrals.map((_, index) => index + 1));
    expect(expiration, trail).toMatchObject({
      type: 'Expiration',
      recipient: 'slow@later.example',
      attempts: deferrals.length,
    });
  },
);
