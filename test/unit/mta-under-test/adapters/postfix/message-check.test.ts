/**
 * What the adapter refuses before injection: recipients without a route, and a pool that
 * Postfix would not honour because it picks the egress identity by envelope sender.
 */
import { expect, test } from 'vitest';
import type { MtaEnvironment, MtaMessage } from '../../../../../mta-under-test/adapters/mta-under-test.ts';
import { planInstance } from '../../../../../mta-under-test/adapters/postfix/instance-plan.ts';
import { checkMessages, egressNameFor } from '../../../../../mta-under-test/adapters/postfix/message-check.ts';

const ENVIRONMENT: MtaEnvironment = {
  routes: new Map([['gmail.com', { address: '127.0.1.1', port: 40123 }]]),
  egress: [
    { name: 'pool-a', sourceIp: '127.0.0.21', heloName: 'mta-a.sender.test' },
    { name: 'pool-b', sourceIp: '127.0.0.22', heloName: 'mta-b.sender.test' },
  ],
  returnPath: { address: '127.0.2.1', port: 40200 },
  workDir: '/tmp/run-1',
  clockScale: 1,
  onReturnMail: () => undefined,
};
const PLAN = planInstance(ENVIRONMENT, {
  smtpd: { address: '127.0.0.1', port: 40100 },
  egressBySender: new Map([
    ['@b.sender.test', 'pool-b'],
    ['vip@a.sender.test', 'pool-b'],
  ]),
});
const message = (mailFrom: string, recipients: string[], pool?: string): MtaMessage => ({
  mailFrom,
  recipients,
  data: 'Subject: x\r\n\r\nx\r\n',
  ...(pool === undefined ? {} : { pool }),
});

test('Postfix picks the identity by exact sender, then by sender domain, then the first', () => {
  // Act / Assert
  expect(egressNameFor(PLAN, 'VIP@a.sender.test')).toBe('pool-b');
  expect(egressNameFor(PLAN, 'news@b.sender.test')).toBe('pool-b');
  expect(egressNameFor(PLAN, 'news@a.sender.test')).toBe('pool-a');
});

test('routed recipients and honoured pools pass', () => {
  // Act / Assert
  expect(() =>
    checkMessages(PLAN, [
      message('news@b.sender.test', ['a@gmail.com', 'b@GMAIL.com'], 'pool-b'),
      message('news@a.sender.test', ['c@gmail.com'], 'a-pool-name-that-is-no-identity'),
    ]),
  ).not.toThrow();
});

test('every unroutable recipient and every pool Postfix would not honour is listed', () => {
  // Act
  const attempt = () =>
    checkMessages(PLAN, [
      message('news@a.sender.test', ['a@gmail.com', 'b@other.example'], 'pool-b'),
      message('news@a.sender.test', []),
    ]);
  // Assert
  expect(attempt).toThrow(/messages\[0\]: b@other\.example: no route for other\.example/);
  expect(attempt).toThrow(/messages\[0\]\.pool: pool-b, but Postfix sends news@a\.sender\.test from pool-a/);
  expect(attempt).toThrow(/messages\[1\]\.recipients: empty/);
});
