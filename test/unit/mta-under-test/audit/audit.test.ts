/**
 * The whole audit: a list with one of everything goes in; the report counts each check, tags
 * every distinct address with every finding, drops for the strongest reason, merges
 * duplicates, echoes its configuration, survives a JSON round trip, and renders a summary.
 */
import { expect, test } from 'vitest';
import { auditList, learnKnownUnknowns, renderAuditSummary } from '../../../../mta-under-test/reference/audit/index.ts';
import type { AuditReport } from '../../../../mta-under-test/reference/audit/index.ts';
import { resolverFor, smallZone } from './zone-resolver.ts';

const LIST = [
  'alice@gmail.com',
  'Alice Martin <alice@GMAIL.com>',
  'ALICE@gmail.com',
  'bob@gmial.com',
  'carol@nowhere.test',
  'not an address',
  'postmaster@orange.fr',
  'gone@gmail.com',
  'dave@orange.fr',
  'spamtrap@gmail.com',
  'eve@mailinator.com',
  'josé@gmail.com',
  'frank@gmail.com',
];

function auditOfList(options: { roles?: 'keep' | 'drop' } = {}): AuditReport {
  const knownUnknowns = learnKnownUnknowns([
    {
      type: 'Suppression',
      atMs: 1,
      recipient: 'gone@gmail.com',
      change: 'add',
      class: 'unknown-user',
      rule: 'gmail.5.1.1',
    },
  ]);
  return auditList(LIST, {
    resolver: resolverFor(smallZone()),
    suppressions: ['frank@gmail.com'],
    knownUnknowns,
    source: { list: 'test' },
    ...options,
  });
}

function verdictOf(report: AuditReport, address: string): string {
  const audit = report.addresses.find((candidate) => (candidate.address ?? candidate.input) === address);
  if (audit === undefined) throw new Error(`${address} is not in the report`);
  return audit.verdict.kind === 'keep' ? 'keep' : audit.verdict.code;
}

test('every distinct address gets a verdict with the strongest reason, and the totals add up', () => {
  // Act
  const report = auditOfList();
  // Assert
  expect(report.totals).toEqual({ entries: 13, unique: 12, duplicatesRemoved: 1, kept: 3, dropped: 9 });
  expect(
    Object.fromEntries(
      report.addresses.map((audit) => [
        audit.address ?? audit.input,
        audit.verdict.kind === 'keep' ? 'keep' : audit.verdict.code,
      ]),
    ),
  ).toEqual({
    'alice@gmail.com': 'keep',
    'ALICE@gmail.com': 'duplicate.case-variant',
    'bob@gmial.com': 'mx.nxdomain',
    'carol@nowhere.test': 'mx.nxdomain',
    'not an address': 'syntax.invalid',
    'postmaster@orange.fr': 'role.account',
    'gone@gmail.com': 'known-unknown.unknown-user',
    'dave@orange.fr': 'keep',
    'spamtrap@gmail.com': 'trap-pattern.trap-word',
    'eve@mailinator.com': 'mx.nxdomain',
    'josé@gmail.com': 'keep',
    'frank@gmail.com': 'suppression.address',
  });
  expect(report.cleaned).toEqual(['alice@gmail.com', 'dave@orange.fr', 'josé@gmail.com']);
});

test('an address carries every finding, not only the one it was dropped for', () => {
  // Act
  const report = auditOfList();
  // Assert
  const bob = report.addresses.find((audit) => audit.address === 'bob@gmial.com');
  expect(bob?.findings.map((finding) => finding.code)).toEqual([
    'mx.nxdomain',
    'typo-domain.suggestion',
    'disposable.domain',
  ]);
  expect(bob?.findings.find((finding) => finding.check === 'typo-domain')?.suggestion).toBe('bob@gmail.com');
  const alice = report.addresses.find((audit) => audit.address === 'alice@gmail.com');
  expect(alice?.lines).toEqual([1, 2]);
  expect(alice?.findings.map((finding) => finding.code)).toEqual(['syntax.display-name', 'duplicate.repeated']);
});

test('counts per check count distinct addresses; drops count each dropped address once', () => {
  // Act
  const report = auditOfList();
  // Assert
  expect(report.findingsByCheck).toEqual({
    syntax: 3,
    suppression: 1,
    'known-unknown': 1,
    mx: 3,
    'typo-domain': 1,
    'trap-pattern': 1,
    disposable: 2,
    role: 1,
    duplicate: 2,
  });
  expect(report.droppedByCheck).toEqual({
    syntax: 1,
    suppression: 1,
    'known-unknown': 1,
    mx: 3,
    'typo-domain': 0,
    'trap-pattern': 1,
    disposable: 0,
    role: 1,
    duplicate: 1,
  });
  expect(Object.values(report.droppedByCheck).reduce((sum, count) => sum + count, 0)).toBe(report.totals.dropped);
  expect(report.findingsByCode['syntax.display-name']).toBe(1);
});

test('with the keep policy role accounts stay in the cleaned list, flagged', () => {
  // Act
  const report = auditOfList({ roles: 'keep' });
  // Assert
  expect(verdictOf(report, 'postmaster@orange.fr')).toBe('keep');
  expect(report.findingsByCheck.role).toBe(1);
  expect(report.config.roles).toBe('keep');
});

test('without a resolver the mx check does not run, and the report says so', () => {
  // Act
  const report = auditList(['carol@nowhere.test']);
  // Assert
  expect(report.config).toEqual({ roles: 'drop', mxChecked: false, suppressions: 0, knownUnknowns: 0, source: {} });
  expect(report.cleaned).toEqual(['carol@nowhere.test']);
});

test('the report is plain JSON and echoes its configuration', () => {
  // Act
  const report = auditOfList();
  // Assert
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  expect(report.config).toEqual({
    roles: 'drop',
    mxChecked: true,
    suppressions: 1,
    knownUnknowns: 1,
    source: { list: 'test' },
  });
});

test('the summary names the totals, each check with findings, and typo suggestions', () => {
  // Act
  const summary = renderAuditSummary(auditOfList());
  // Assert
  expect(summary).toMatch(/13 entries, 12 distinct \(1 duplicate merged\)/);
  expect(summary).toMatch(/kept 3 · dropped 9/);
  expect(summary).toMatch(/typo-domain\s+1\s+0\s+bob@gmial\.com → bob@gmail\.com/);
  expect(summary).not.toMatch(/^syntax\s+0/m);
});
