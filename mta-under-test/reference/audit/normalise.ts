/**
 * One spelling per address, so that duplicates, suppressions and learned unknowns match
 * however a list wrote them: the domain lower-cased in its ASCII (A-label) form, through
 * node's `url.domainToASCII` (UTS #46, the WHATWG URL rules browsers use), and the local part
 * as written (RFC 5321 §2.4: only the receiving host may read it case-insensitively).
 */
import { domainToASCII } from 'node:url';

/** The ASCII, lower-case form of `domain`; an address literal or an unconvertible name is only lower-cased. */
export function normaliseDomain(domain: string): string {
  if (domain.startsWith('[')) return domain.toLowerCase();
  const ascii = domainToASCII(domain);
  return ascii === '' ? domain.toLowerCase() : ascii.toLowerCase();
}

/** The key known-bad lists are matched on: the whole normalised address lower-cased. */
export function lookupKey(address: string): string {
  return address.toLowerCase();
}
