/**
 * From Postfix 3.7 log lines (test/fixtures/postfix/maillog-3.7.txt) to accounting records:
 * a Reception per recipient dated by arrival, attempts numbered per recipient, the source
 * read from the egress service, the reply and stage from the text, the naive class from
 * dsn=, Expiration for what was still queued, and nothing for Postfix's own DSNs.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { AccountingRecord } from '../../../../../mta-under-test/accounting.ts';
import { parseLogLine } from '../../../../../mta-under-test/adapters/postfix/log-line.ts';
import { PostfixLogInterpreter } from '../../../../../mta-under-test/adapters/postfix/log-records.ts';
import { scaledTimers } from '../../../../../mta-under-test/adapters/postfix/timers.ts';

const NOW_MS = new Date(2026, 11, 1, 19, 0, 0).getTime();
const at = (seconds: number) => new Date(2026, 11, 1, 18, 24, seconds).getTime();
const FIXTURE = readFileSync(new URL('../../../../fixtures/postfix/maillog-3.7.txt', import.meta.url), 'utf8').split(
  '\n',
);
const EGRESS = [
  { service: 'egress-0', identity: { name: 'pool-a', sourceIp: '127.0.0.21', heloName: 'mta-a.sender.test' } },
  { service: 'egress-1', identity: { name: 'pool-b', sourceIp: '127.0.0.22', heloName: 'mta-b.sender.test' } },
];

function interpret(
  options: {
    ownerOf?: (queueId: string) => { tenant: string } | undefined;
    toRunTimeMs?: (wallMs: number) => number;
  } = {},
): AccountingRecord[] {
  const interpreter = new PostfixLogInterpreter({ egress: EGRESS, timers: scaledTimers(60), ...options });
  return FIXTURE.flatMap((text) => {
    const line = parseLogLine(text, NOW_MS);
    return line === undefined ? [] : interpreter.accept(line);
  });
}

const ofRecipient = (records: AccountingRecord[], recipient: string) =>
  records.filter((record) => 'recipient' in record && record.recipient === recipient);

test('one Reception per recipient, dated by arrival, with the queue id as message id', () => {
  // Act
  const receptions = interpret().filter((record) => record.type === 'Reception');
  // Assert
  expect(receptions).toEqual([
    {
      type: 'Reception',
      atMs: at(0),
      messageId: '4516F20C29F',
      recipient: 'alice@gmail.com',
      mailFrom: 'news@a.sender.test',
    },
    {
      type: 'Reception',
      atMs: at(0),
      messageId: '4516F20C29F',
      recipient: 'nobody@gmail.com',
      mailFrom: 'news@a.sender.test',
    },
    {
      type: 'Reception',
      atMs: at(0),
      messageId: '4516F20C29F',
      recipient: 'bob@yahoo.com',
      mailFrom: 'news@a.sender.test',
    },
    {
      type: 'Reception',
      atMs: at(1),
      messageId: '71A8620C333',
      recipient: 'carol@gone.example',
      mailFrom: 'news@b.sender.test',
    },
    {
      type: 'Reception',
      atMs: at(12),
      messageId: '9C0D120C400',
      recipient: 'dave@orange.fr',
      mailFrom: 'news@a.sender.test',
    },
  ]);
});

test("Postfix's own DSN (no client=, null sender) gives no record", () => {
  // Act
  const records = interpret();
  // Assert
  expect(
    records.some(
      (record) => 'messageId' in record && (record.messageId === '7A20A20C253' || record.messageId === '83BAC20C027'),
    ),
  ).toBe(false);
});

test('a delivery: source from the egress service, site = relay host, the DATA reply', () => {
  // Act
  const [, delivery] = ofRecipient(interpret(), 'alice@gmail.com');
  // Assert
  expect(delivery).toEqual({
    type: 'Delivery',
    atMs: at(0),
    messageId: '4516F20C29F',
    recipient: 'alice@gmail.com',
    attempt: 1,
    site: '127.0.1.1',
    mxHost: '127.0.1.1',
    sourceIp: '127.0.0.21',
    source: 'pool-a',
    reply: {
      code: 250,
      enhanced: '2.0.0',
      lines: ['OK  1733077440 a1-20020a05600c000000b00430000000si1234567wmq.1 - gsmtp'],
    },
    stage: 'data',
    class: 'delivered',
    action: 'none',
    rule: 'postfix.dsn.2.x.x',
    evidence: ['dsn=2.0.0', 'status=sent'],
  });
});

test('a bounce at RCPT with a multi-line reply: unknown-user from 5.1.1, fail-message', () => {
  // Act
  const [, bounce] = ofRecipient(interpret(), 'nobody@gmail.com');
  // Assert
  expect(bounce).toMatchObject({
    type: 'Bounce',
    attempt: 1,
    stage: 'rcpt',
    class: 'unknown-user',
    action: 'fail-message',
    rule: 'postfix.dsn.5.1.x',
    reply: {
      code: 550,
      enhanced: '5.1.1',
      lines: [
        "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
      ],
    },
  });
});

test('a deferral then a delivery: attempts 1 and 2, the next attempt estimated from the backoff', () => {
  // Act
  const records = ofRecipient(interpret(), 'bob@yahoo.com');
  // Assert
  expect(records.map((record) => [record.type, 'attempt' in record ? record.attempt : undefined])).toEqual([
    ['Reception', undefined],
    ['TransientFailure', 1],
    ['Delivery', 2],
  ]);
  // A Yahoo TSS04 deferral: Postfix reads 4.7.0 and retries, as it retries everything.
  expect(records[1]).toMatchObject({
    stage: 'mail',
    class: 'policy-block',
    action: 'retry',
    nextAttemptAtMs: at(0) + 5_000,
    reply: { code: 421, enhanced: '4.7.0' },
  });
});

test('connection failures are network errors at connect, the site taken from the text; then the message expires', () => {
  // Act
  const records = ofRecipient(interpret(), 'carol@gone.example');
  // Assert
  expect(records.map((record) => record.type)).toEqual([
    'Reception',
    'TransientFailure',
    'TransientFailure',
    'TransientFailure',
    'Expiration',
  ]);
  expect(records[1]).toMatchObject({
    site: '127.0.1.9',
    sourceIp: '127.0.0.22',
    source: 'pool-b',
    stage: 'connect',
    class: 'network-error',
    networkError: 'connect to 127.0.1.9[127.0.1.9]:2525: Connection refused',
  });
  expect(records[1]).not.toHaveProperty('reply');
  expect(records[2]).toMatchObject({
    attempt: 2,
    networkError: expect.stringMatching(/^delivery temporarily suspended/) as unknown,
  });
  expect(records[4]).toEqual({
    type: 'Expiration',
    atMs: at(11),
    messageId: '71A8620C333',
    recipient: 'carol@gone.example',
    attempts: 3,
  });
});

test('a block at end of DATA: policy-block from 5.7.1, data stage', () => {
  // Act
  const [, bounce] = ofRecipient(interpret(), 'dave@orange.fr');
  // Assert
  expect(bounce).toMatchObject({
    type: 'Bounce',
    stage: 'data',
    class: 'policy-block',
    rule: 'postfix.dsn.5.7.x',
    reply: { code: 554, enhanced: '5.7.1' },
  });
});

test('the owner learned at injection and the run clock are applied to every record', () => {
  // Act
  const records = interpret({
    ownerOf: (queueId) => (queueId === '71A8620C333' ? { tenant: 'tenant-b' } : undefined),
    toRunTimeMs: (wallMs) => wallMs - at(0),
  });
  // Assert
  const carol = ofRecipient(records, 'carol@gone.example');
  expect(carol.every((record) => 'tenant' in record && record.tenant === 'tenant-b')).toBe(true);
  expect(carol.map((record) => record.atMs)).toEqual([1_000, 1_000, 6_000, 11_000, 11_000]);
  expect(ofRecipient(records, 'alice@gmail.com').some((record) => 'tenant' in record)).toBe(false);
});
