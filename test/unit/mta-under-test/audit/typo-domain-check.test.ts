/**
 * Check `typo-domain`: misspelt consumer domains, the sim's typo traps first of all, are
 * dropped with the intended address as the suggestion; the providers' real sibling domains
 * (other country TLDs, look-alike providers) and company domains, short ones included, are
 * not typos.
 */
import { expect, test } from 'vitest';
import { typoFindings, typoSuggestion } from '../../../../mta-under-test/reference/audit/checks/typo-domain.ts';
import { TYPO_TRAP_DOMAINS } from '../../../../sim/world/population.ts';

test.each(TYPO_TRAP_DOMAINS.map((domain) => [domain]))('the simulated typo trap %s is caught', (domain) => {
  // Act and assert
  expect(typoSuggestion(domain)).toBeDefined();
});

test.each([
  ['gmial.com', 'gmail.com'],
  ['gnail.com', 'gmail.com'],
  ['gmail.co', 'gmail.com'],
  ['hotmail.con', 'hotmail.com'],
  ['yahoo.cm', 'yahoo.com'],
  ['orange.fe', 'orange.fr'],
  ['wanado.fr', 'wanadoo.fr'],
  ['lapost.net', 'laposte.net'],
  ['gmx.ed', 'gmx.de'],
  ['t-onlin.de', 't-online.de'],
  ['libero.t', 'libero.it'],
  ['free.fe', 'free.fr'],
  ['gxm.de', 'gmx.de'],
  ['aol.co', 'aol.com'],
])('%s is read as a misspelling of %s', (domain, intended) => {
  // Act and assert
  expect(typoSuggestion(domain)).toBe(intended);
});

test.each([
  'gmail.com',
  'hotmail.fr',
  'yahoo.co.uk',
  'gmx.at',
  'gmx.ch',
  'yahoo.ca',
  'hotmail.be',
  'seznam.sk',
  'live.nl',
  'aol.it',
  'ymail.com',
  'mail.com',
  'email.com',
  'online.de',
  'acme.com',
  'mail.ru',
  'web.com',
  'northwind-trading-0042.example',
  'news.mailbench.test',
  '[192.0.2.1]',
  // Companies one letter away from a short provider name (aol, gmx, live, web, msn) or a long one (icloud).
  'aon.com',
  'amd.com',
  'att.com',
  'bmw.de',
  'lidl.fr',
  'wdr.de',
  'msc.com',
  'cloud.com',
])('%s is not a typo', (domain) => {
  // Act and assert
  expect(typoSuggestion(domain)).toBeUndefined();
});

test('a typo finding drops the address and suggests the intended one', () => {
  // Act
  const findings = typoFindings('marie', 'hotmial.com');
  // Assert
  expect(findings).toEqual([
    {
      check: 'typo-domain',
      code: 'typo-domain.suggestion',
      effect: 'drop',
      detail: expect.stringContaining('hotmail.com') as unknown,
      suggestion: 'marie@hotmail.com',
    },
  ]);
});
