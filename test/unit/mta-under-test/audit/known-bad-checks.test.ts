/**
 * Checks `suppression` and `known-unknown`: what the sender already knows. Suppressed
 * addresses and domains match however the list capitalises them; the accounting log teaches
 * unknown-user, bad-domain and mailbox-disabled addresses from bounces, async bounces and
 * suppressions, forgets them when a suppression is lifted or a delivery succeeds later, and
 * ignores records that lack the fields it reads.
 */
import { expect, test } from 'vitest';
import type { AccountingRecord } from '../../../../mta-under-test/accounting.ts';
import {
  knownUnknownFindings,
  suppressionFindings,
} from '../../../../mta-under-test/reference/audit/checks/known-bad.ts';
import { parseEntry } from '../../../../mta-under-test/reference/audit/checks/syntax.ts';
import type { ParsedAddress } from '../../../../mta-under-test/reference/audit/checks/syntax.ts';
import { learnKnownUnknowns } from '../../../../mta-under-test/reference/audit/known-unknowns.ts';
import { resolveAuditOptions } from '../../../../mta-under-test/reference/audit/options.ts';

function parsed(address: string): ParsedAddress {
  const entry = parseEntry(address);
  if (entry.kind !== 'address') throw new Error(`test address ${address} does not parse`);
  return entry;
}

const attempt = {
  atMs: 1,
  messageId: 'm1',
  attempt: 1,
  site: 'gmail.com',
  mxHost: 'mx',
  sourceIp: '127.0.0.2',
  action: 'suppress',
  rule: 'test.rule',
} as const;

test('a suppressed address is dropped whatever its case, and a suppressed domain covers its subdomains', () => {
  // Arrange
  const options = resolveAuditOptions({
    suppressions: ['Alice@Gmail.com', '@blocked.test', 'other.test', '# a comment', ''],
  });
  // Act and assert
  expect(suppressionFindings(parsed('alice@GMAIL.com'), options)).toEqual([
    expect.objectContaining({ code: 'suppression.address', effect: 'drop' }),
  ]);
  expect(suppressionFindings(parsed('bob@mail.blocked.test'), options)).toEqual([
    expect.objectContaining({ code: 'suppression.domain', detail: expect.stringContaining('blocked.test') as unknown }),
  ]);
  expect(suppressionFindings(parsed('carol@other.test'), options)).toHaveLength(1);
  expect(suppressionFindings(parsed('bob@gmail.com'), options)).toEqual([]);
});

test('bounces, async bounces and suppressions of unknown classes teach known unknowns; other classes do not', () => {
  // Arrange
  const records: AccountingRecord[] = [
    { ...attempt, type: 'Bounce', recipient: 'gone@gmail.com', class: 'unknown-user' },
    { ...attempt, type: 'Bounce', recipient: 'real@corp.example', class: 'disguised-policy-block', action: 'backoff' },
    {
      type: 'AsyncBounce',
      atMs: 2,
      messageId: 'm2',
      recipient: 'Closed@Orange.fr',
      status: '5.2.1',
      class: 'mailbox-disabled',
      action: 'suppress',
      rule: 'dsn',
      joinedBy: 'verp',
    },
    {
      type: 'Suppression',
      atMs: 3,
      recipient: 'nodomain@nowhere.test',
      change: 'add',
      class: 'bad-domain',
      rule: 'engine.dns.nxdomain',
    },
    { type: 'Suppression', atMs: 4, recipient: 'full@gmail.com', change: 'add', class: 'mailbox-full', rule: 'x' },
  ];
  // Act
  const known = learnKnownUnknowns(records);
  // Assert
  expect([...known.keys()].sort()).toEqual(['closed@orange.fr', 'gone@gmail.com', 'nodomain@nowhere.test']);
  expect(known.get('closed@orange.fr')).toMatchObject({ class: 'mailbox-disabled', learnedFrom: 'AsyncBounce' });
});

test('a lifted suppression or a later delivery forgets a known unknown', () => {
  // Arrange
  const records: AccountingRecord[] = [
    { ...attempt, type: 'Bounce', recipient: 'bogus@corp.example', class: 'unknown-user' },
    {
      type: 'Suppression',
      atMs: 5,
      recipient: 'bogus@corp.example',
      change: 'lift',
      class: 'disguised-policy-block',
      rule: 'bogus.lift',
    },
    { ...attempt, type: 'Bounce', recipient: 'back@gmail.com', class: 'unknown-user' },
    { ...attempt, type: 'Delivery', recipient: 'back@gmail.com', class: 'delivered', action: 'none' },
  ];
  // Act and assert
  expect(learnKnownUnknowns(records).size).toBe(0);
});

test('a known unknown is dropped with its class, record type and rule as the evidence', () => {
  // Arrange
  const knownUnknowns = learnKnownUnknowns([
    { ...attempt, type: 'Bounce', recipient: 'gone@gmail.com', class: 'unknown-user', rule: 'gmail.5.1.1' },
  ]);
  const options = resolveAuditOptions({ knownUnknowns });
  // Act
  const findings = knownUnknownFindings(parsed('Gone@gmail.com'), options);
  // Assert
  expect(findings).toEqual([
    {
      check: 'known-unknown',
      code: 'known-unknown.unknown-user',
      effect: 'drop',
      detail: expect.stringMatching(/unknown-user \(Bounce, rule gmail\.5\.1\.1\)/) as unknown,
    },
  ]);
});

test('a record without a recipient, class or rule teaches nothing', () => {
  // Arrange: records as a damaged or foreign log could hold them.
  const records = [
    { type: 'Bounce', atMs: 1, class: 'unknown-user', rule: 'r' },
    { type: 'Suppression', atMs: 2, recipient: 'a@gmail.com', change: 'add' },
  ] as unknown as AccountingRecord[];
  // Act and assert
  expect(learnKnownUnknowns(records).size).toBe(0);
});
