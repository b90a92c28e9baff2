/**
 * Envelope address syntax: what RFC 5321 allows passes (dot-atoms, quoted local parts, IDN
 * domains, address literals, SMTPUTF8 local parts), and each kind of mistake is named.
 */
import { expect, test } from 'vitest';
import { addressProblem } from '../../../../mta-under-test/reference/inject/address.ts';

test.each([
  'alice@example.com',
  'first.last+tag@sub.example.co.uk',
  '"john doe"@example.com',
  'user@[127.0.0.1]',
  'josé@exämple.de',
  "o'brien@example.ie",
])('%s is a valid envelope address', (address) => {
  expect(addressProblem(address)).toBeNull();
});

test.each([
  ['', /is empty/],
  ['alice', /no local part and domain/],
  ['@example.com', /no local part and domain/],
  ['alice@', /has no domain/],
  ['alice..bob@example.com', /not a dot-atom/],
  ['.alice@example.com', /not a dot-atom/],
  ['alice@localhost', /single label/],
  ['alice@-bad-.com', /invalid label "-bad-"/],
  ['alice@example.123', /numeric label/],
  ['Alice <alice@example.com>', /bare address/],
  [`${'a'.repeat(65)}@example.com`, /longer than 64 octets/],
])('%s is refused: %s', (address, reason) => {
  expect(addressProblem(address)).toMatch(reason);
});
