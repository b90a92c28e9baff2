/**
 * Checks `role` and `disposable`: role local parts are found through tags and separators and
 * dropped or flagged by policy; disposable-mailbox domains (and their subdomains) are dropped.
 */
import { expect, test } from 'vitest';
import { disposableFindings } from '../../../../mta-under-test/reference/audit/checks/disposable.ts';
import { roleFindings } from '../../../../mta-under-test/reference/audit/checks/role.ts';

test.each([
  'postmaster',
  'Abuse',
  'info',
  'sales',
  'no-reply',
  'no_reply',
  'noreply',
  'info+newsletter',
  'mailer-daemon',
])('%s is a role account', (local) => {
  // Act and assert
  expect(roleFindings(local, 'drop')).toEqual([
    expect.objectContaining({ check: 'role', code: 'role.account', effect: 'drop' }),
  ]);
});

test('under the keep policy a role account is only flagged', () => {
  // Act and assert
  expect(roleFindings('info', 'keep')).toEqual([expect.objectContaining({ effect: 'flag' })]);
});

test.each(['john.smith', 'information.desk.paris', 'salesforce.admin.jane', 'user0042'])(
  '%s is not a role account',
  (local) => {
    // Act and assert
    expect(roleFindings(local, 'drop')).toEqual([]);
  },
);

test.each(['mailinator.com', 'yopmail.com', 'inbox.mailinator.com'])('%s is a disposable-mailbox domain', (domain) => {
  // Act and assert
  expect(disposableFindings(domain)).toEqual([
    expect.objectContaining({ check: 'disposable', code: 'disposable.domain', effect: 'drop' }),
  ]);
});

test.each(['gmail.com', 'orange.fr', 'gmx.de', 'seznam.cz', 'northwind-trading-0042.example'])(
  '%s is not disposable',
  (domain) => {
    // Act and assert
    expect(disposableFindings(domain)).toEqual([]);
  },
);
