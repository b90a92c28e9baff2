/**
 * The naive DSN reading that stands for Postfix's (non-)classification: the class comes from
 * RFC 3463's subject and detail alone, every row of the table in dsn-class.ts once.
 */
import { expect, test } from 'vitest';
import { ACTION_OF_STATUS, classifyDsn } from '../../../../../mta-under-test/adapters/postfix/dsn-class.ts';

test.each([
  ['2.0.0', 'delivered', 'postfix.dsn.2.x.x'],
  ['2.6.0', 'delivered', 'postfix.dsn.2.x.x'],
  ['4.2.2', 'mailbox-full', 'postfix.dsn.4.2.2'],
  ['4.4.1', 'network-error', 'postfix.dsn.4.4.x'],
  ['4.4.2', 'network-error', 'postfix.dsn.4.4.x'],
  ['4.5.0', 'protocol-error', 'postfix.dsn.4.5.x'],
  ['4.7.0', 'policy-block', 'postfix.dsn.4.7.x'],
  ['4.7.28', 'policy-block', 'postfix.dsn.4.7.x'],
  ['4.0.0', 'server-error', 'postfix.dsn.4.x.x'],
  ['4.3.0', 'server-error', 'postfix.dsn.4.x.x'],
  ['5.1.1', 'unknown-user', 'postfix.dsn.5.1.x'],
  ['5.1.0', 'unknown-user', 'postfix.dsn.5.1.x'],
  ['5.1.2', 'bad-domain', 'postfix.dsn.5.1.2'],
  ['5.1.10', 'bad-domain', 'postfix.dsn.5.1.10'],
  ['5.4.4', 'bad-domain', 'postfix.dsn.5.4.4'],
  ['5.2.1', 'mailbox-disabled', 'postfix.dsn.5.2.1'],
  ['5.2.2', 'mailbox-full', 'postfix.dsn.5.2.2'],
  ['5.2.3', 'message-too-large', 'postfix.dsn.5.2.3'],
  ['5.3.4', 'message-too-large', 'postfix.dsn.5.3.4'],
  ['5.7.26', 'auth-failure', 'postfix.dsn.5.7.26'],
  ['5.7.1', 'policy-block', 'postfix.dsn.5.7.x'],
  ['5.5.2', 'protocol-error', 'postfix.dsn.5.5.x'],
  ['5.0.0', 'unclassified', 'postfix.dsn.5.x.x'],
  ['x', 'unclassified', 'postfix.dsn.malformed'],
] as const)('dsn=%s reads as %s', (dsn, cls, rule) => {
  // Act / Assert
  expect(classifyDsn(dsn)).toEqual({ class: cls, rule });
});

test("the action is Postfix's status: it retries every deferral and fails every bounce", () => {
  // Act / Assert
  expect(ACTION_OF_STATUS).toEqual({ sent: 'none', deferred: 'retry', bounced: 'fail-message' });
});
