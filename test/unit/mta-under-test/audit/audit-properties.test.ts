/**
 * Properties of the audit over arbitrary input: it never throws; every distinct entry is kept
 * or dropped (kept + dropped = distinct entries) and every drop has a reason backed by a drop
 * finding; auditing the cleaned list again drops nothing and changes nothing; and merging
 * counts exactly the addresses that differ only in their domain's case. Inputs mix arbitrary
 * strings with address-shaped ones (real, typo, trap-like, role, unknown domains; display
 * names; case variants) so that every check fires. The seed comes from MAILBENCH_TEST_SEED and is in the
 * suite's title.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { testSeed } from '../../../support/test-seed.ts';
import { auditList, learnKnownUnknowns } from '../../../../mta-under-test/reference/audit/index.ts';
import type { AuditOptions, AuditReport } from '../../../../mta-under-test/reference/audit/index.ts';
import { resolverFor, smallZone } from './zone-resolver.ts';

const SEED = testSeed(20260105);
const RUNS = 200;

const LOCALS = [
  'alice',
  'Bob',
  'info',
  'postmaster',
  'spamtrap',
  'k3j9x2m8q7p1',
  'user0042',
  'josé',
  'a.b+tag',
  '"john doe"',
  'u003ejoe',
  'gone',
];
const DOMAINS = [
  'gmail.com',
  'GMail.com',
  'orange.fr',
  'gmial.com',
  'orange.fe',
  'nowhere.test',
  'mailinator.com',
  'example.com',
  'müller.de',
  '2x.png',
  'mailbench.test',
  '[192.0.2.1]',
];

const addressLike = fc
  .record({
    local: fc.constantFrom(...LOCALS),
    domain: fc.constantFrom(...DOMAINS),
    form: fc.constantFrom('bare', 'named', 'angle', 'mailto', 'padded'),
  })
  .map(({ local, domain, form }) => {
    const bare = `${local}@${domain}`;
    return form === 'named'
      ? `Someone <${bare}>`
      : form === 'angle'
        ? `<${bare}>`
        : form === 'mailto'
          ? `mailto:${bare}`
          : form === 'padded'
            ? `  ${bare}\t`
            : bare;
  });
const entry = fc.oneof(addressLike, fc.string(), fc.string({ unit: 'binary' }), fc.constant(''));
const entries = fc.array(entry, { maxLength: 40 });

const options: AuditOptions = {
  resolver: resolverFor(smallZone()),
  suppressions: ['bob@orange.fr', '@mailbench.test'],
  knownUnknowns: learnKnownUnknowns([
    {
      type: 'Bounce',
      atMs: 1,
      messageId: 'm',
      recipient: 'gone@gmail.com',
      attempt: 1,
      site: 'gmail.com',
      mxHost: 'mx',
      sourceIp: '127.0.0.2',
      class: 'unknown-user',
      action: 'suppress',
      rule: 'r',
    },
  ]),
};

function assertConsistent(report: AuditReport, given: readonly string[]): void {
  const nonBlank = given.filter((text) => text.trim() !== '').length;
  expect(report.totals.entries).toBe(nonBlank);
  expect(report.totals.unique).toBe(report.addresses.length);
  expect(report.totals.kept + report.totals.dropped).toBe(report.totals.unique);
  expect(report.totals.unique + report.totals.duplicatesRemoved).toBe(nonBlank);
  expect(report.cleaned).toHaveLength(report.totals.kept);
  for (const audit of report.addresses) {
    const drops = audit.findings.filter((finding) => finding.effect === 'drop');
    if (audit.verdict.kind === 'drop') {
      expect(audit.verdict.reason.length).toBeGreaterThan(0);
      expect(drops.map((finding) => finding.code)).toContain(audit.verdict.code);
    } else {
      expect(drops).toEqual([]);
    }
  }
}

describe(`list audit properties (seed: ${SEED})`, () => {
  test('the audit never throws, and kept + dropped = distinct entries, each drop with a reason', () => {
    fc.assert(
      fc.property(entries, (given) => {
        // Act
        const report = auditList(given, options);
        // Assert
        assertConsistent(report, given);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('auditing the cleaned list again drops nothing and keeps it as it is', () => {
    fc.assert(
      fc.property(entries, (given) => {
        // Arrange
        const first = auditList(given, options);
        // Act
        const again = auditList(first.cleaned, options);
        // Assert
        expect(again.totals.dropped).toBe(0);
        expect(again.cleaned).toEqual(first.cleaned);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('addresses that differ only in their domain case are merged into one', () => {
    const casing = fc.record({
      local: fc.constantFrom('alice', 'bob', 'carol'),
      domain: fc.constantFrom('gmail.com', 'orange.fr'),
      upper: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    });
    fc.assert(
      fc.property(fc.array(casing, { minLength: 1, maxLength: 30 }), (items) => {
        // Arrange
        const given = items.map(
          ({ local, domain, upper }) =>
            `${local}@${[...domain].map((char, index) => (upper[index] === true ? char.toUpperCase() : char)).join('')}`,
        );
        const distinct = new Set(items.map(({ local, domain }) => `${local}@${domain}`));
        // Act
        const report = auditList(given, options);
        // Assert
        expect(report.totals.unique).toBe(distinct.size);
        expect(report.totals.duplicatesRemoved).toBe(given.length - distinct.size);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
