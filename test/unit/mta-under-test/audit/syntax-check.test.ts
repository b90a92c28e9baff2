/**
 * Check `syntax`: the engine's RFC 5321 rules decide what is an address; the RFC 5322 forms
 * people paste (display name, angle brackets, mailto:) are reduced to the bare address with a
 * flag; IDN domains become A-labels; SMTPUTF8 local parts are flagged, not dropped.
 */
import { expect, test } from 'vitest';
import { parseEntry } from '../../../../mta-under-test/reference/audit/checks/syntax.ts';

test.each([
  ['alice@gmail.com', 'alice@gmail.com'],
  ['Alice@GMAIL.COM', 'Alice@gmail.com'],
  ['"john doe"@example.org', '"john doe"@example.org'],
  ['user@[192.0.2.1]', 'user@[192.0.2.1]'],
])('%s is an address, normalised to %s', (entry, address) => {
  // Act
  const parsed = parseEntry(entry);
  // Assert
  expect(parsed).toMatchObject({ kind: 'address', address });
});

test.each([
  ['Alice Martin <alice@gmail.com>', 'syntax.display-name'],
  ['<alice@gmail.com>', 'syntax.display-name'],
  ['mailto:alice@gmail.com?subject=Hello', 'syntax.mailto'],
])('%s is reduced to the bare address and flagged %s', (entry, code) => {
  // Act
  const parsed = parseEntry(entry);
  // Assert
  expect(parsed).toMatchObject({
    kind: 'address',
    address: 'alice@gmail.com',
    findings: [{ check: 'syntax', code, effect: 'flag' }],
  });
});

test('an internationalised domain becomes its A-label and is flagged syntax.idn', () => {
  // Act
  const parsed = parseEntry('hans@müller.de');
  // Assert
  expect(parsed).toMatchObject({ kind: 'address', address: 'hans@xn--mller-kva.de', domain: 'xn--mller-kva.de' });
  expect(parsed.kind === 'address' && parsed.findings.map((finding) => finding.code)).toEqual(['syntax.idn']);
});

test('a non-ASCII local part is kept but flagged syntax.smtputf8', () => {
  // Act
  const parsed = parseEntry('josé@gmail.com');
  // Assert
  expect(parsed.kind === 'address' && parsed.findings).toEqual([
    expect.objectContaining({ code: 'syntax.smtputf8', effect: 'flag' }),
  ]);
});

test.each([
  ['alice', /no local part and domain/],
  ['alice@', /has no domain/],
  ['alice..bob@gmail.com', /not a dot-atom/],
  ['alice@localhost', /single label/],
  ['alice bob@gmail.com', /bare address/],
  ['Alice <alice@>', /has no domain/],
  [`${'a'.repeat(65)}@gmail.com`, /longer than 64 octets/],
])('%s is not an address: the reason says %s', (entry, reason) => {
  // Act
  const parsed = parseEntry(entry);
  // Assert
  expect(parsed.kind).toBe('invalid');
  expect(parsed.kind === 'invalid' && parsed.finding).toMatchObject({
    check: 'syntax',
    code: 'syntax.invalid',
    effect: 'drop',
    detail: expect.stringMatching(reason) as unknown,
  });
});
