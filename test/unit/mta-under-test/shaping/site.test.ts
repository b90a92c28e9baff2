/**
 * MX rollup: the site name depends only on the set of MX hosts (not on order, case, duplicates or
 * the trailing root dot), different sets give different names, and Gmail's name has KumoMTA's shape.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { siteName } from '../../../../mta-under-test/reference/core/shaping/site.ts';

const GMAIL_MX = [
  'gmail-smtp-in.l.google.com',
  'alt1.gmail-smtp-in.l.google.com',
  'alt2.gmail-smtp-in.l.google.com',
  'alt3.gmail-smtp-in.l.google.com',
  'alt4.gmail-smtp-in.l.google.com',
];

test("Gmail's MX set rolls up to KumoMTA's site name", () => {
  expect(siteName(GMAIL_MX)).toBe('(alt1|alt2|alt3|alt4)?.gmail-smtp-in.l.google.com');
});

test('order, case, duplicates and the root dot do not change the site', () => {
  expect(siteName(['MX2.free.fr.', 'mx1.free.fr', 'mx1.free.fr'])).toBe('(mx1|mx2).free.fr');
  expect(siteName(['mx1.free.fr', 'mx2.free.fr'])).toBe(siteName(['mx2.free.fr', 'MX1.FREE.FR.']));
});

test('one host is its own site; hosts without a common tail are listed whole', () => {
  expect(siteName(['smtp-in.sfr.fr'])).toBe('smtp-in.sfr.fr');
  expect(siteName(['mx.wp.pl', 'mx.o2.pl'])).toBe('(mx.o2|mx.wp).pl');
  expect(siteName(['a.example', 'b.test'])).toBe('(a.example|b.test)');
});

test('an empty MX set has no site', () => {
  expect(() => siteName([])).toThrow(/at least one MX host/);
});

const label = fc.stringMatching(/^[a-z0-9]{1,4}$/);
const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));

test('domains share a site exactly when they share the MX host set', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(host, { minLength: 1, maxLength: 5 }),
      fc.uniqueArray(host, { minLength: 1, maxLength: 5 }),
      (a, b) => {
        const sameSet = a.length === b.length && a.every((name) => b.includes(name));
        expect(siteName(a) === siteName(b)).toBe(sameSet);
      },
    ),
  );
});

test('shuffling and re-casing a set never changes its site', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(host, { minLength: 1, maxLength: 6 }),
      fc.infiniteStream(fc.boolean()),
      (hosts, flips) => {
        const shuffled = [...hosts].reverse().map((name) => (flips.next().value ? `${name.toUpperCase()}.` : name));
        expect(siteName(shuffled)).toBe(siteName(hosts));
      },
    ),
  );
});
