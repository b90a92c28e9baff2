/**
 * Check `trap-pattern`: each heuristic catches the shape it names and leaves ordinary
 * addresses (names, names with years, sim-style numbered users, company domains) alone.
 */
import { expect, test } from 'vitest';
import { trapPatternFindings } from '../../../../mta-under-test/reference/audit/checks/trap-pattern.ts';

test.each([
  ['spamtrap', 'gmail.com', 'trap-pattern.trap-word'],
  ['trap.0042', 'orange.fr', 'trap-pattern.trap-word'],
  ['my-honeypot', 'gmail.com', 'trap-pattern.trap-word'],
  ['logo', '2x.png', 'trap-pattern.file-artefact'],
  ['bundle', 'main.min.js', 'trap-pattern.file-artefact'],
  ['u003ejohn', 'gmail.com', 'trap-pattern.escape-artefact'],
  ['%20john', 'gmail.com', 'trap-pattern.escape-artefact'],
  ['john', 'example.com', 'trap-pattern.placeholder-domain'],
  ['john', 'mail.example.org', 'trap-pattern.placeholder-domain'],
  ['you', 'yourdomain.com', 'trap-pattern.placeholder-domain'],
  ['3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b', 'gmail.com', 'trap-pattern.random-local'],
  ['d41d8cd98f00b204e9800998ecf8427e', 'sentry.io', 'trap-pattern.random-local'],
  ['k3j9x2m8q7p1', 'gmail.com', 'trap-pattern.random-local'],
])('%s@%s is dropped as %s', (local, domain, code) => {
  // Act
  const findings = trapPatternFindings(local, domain);
  // Assert
  expect(findings).toContainEqual(expect.objectContaining({ check: 'trap-pattern', code, effect: 'drop' }));
});

test.each([
  ['john.smith', 'gmail.com'],
  ['jsmith1984', 'gmail.com'],
  ['user00042', 'orange.fr'],
  ['trapani.giulia', 'libero.it'],
  ['strapline', 'gmail.com'],
  ['anna', 'northwind-trading-0042.example'],
  ['movie', 'night.mov'],
  ['deadbeefcafe', 'gmail.com'],
  ['abcdefabcdefabcdefabcdefab', 'gmail.com'],
])('%s@%s has no trap pattern', (local, domain) => {
  // Act and assert
  expect(trapPatternFindings(local, domain)).toEqual([]);
});

test('a very long but ordinary local part is only flagged', () => {
  // Act
  const findings = trapPatternFindings('firstname.middlename.lastname.department.team', 'gmail.com');
  // Assert
  expect(findings).toEqual([expect.objectContaining({ code: 'trap-pattern.long-local', effect: 'flag' })]);
});
