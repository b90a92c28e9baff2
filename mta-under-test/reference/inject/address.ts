/**
 * Is this a mailbox an SMTP envelope can carry? RFC 5321 §4.1.2 syntax (dot-atom or quoted
 * local part, at most 64 octets; a domain of LDH labels or an address literal, at most 255),
 * with internationalised domains accepted in their Unicode form and checked as A-labels
 * (RFC 5890, through node's `domainToASCII`), and SMTPUTF8 local parts (RFC 6531).
 *
 * Returns why it is not, or null. The reason names the part that is wrong, because the
 * injection API and the list audit show it to a person.
 */
import { domainToASCII } from 'node:url';

const DOT_ATOM = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const QUOTED = /^"([\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
const ADDRESS_LITERAL = /^\[(IPv6:[0-9a-f:.]+|\d{1,3}(\.\d{1,3}){3})\]$/i;

export function addressProblem(address: string): string | null {
  if (typeof address !== 'string') return 'must be a string';
  if (address.length === 0) return 'is empty';
  if (/[\s<>]/.test(address.replace(/"[^"]*"/g, ''))) return 'must be a bare address (no spaces, no angle brackets)';
  const at = address.lastIndexOf('@');
  if (at <= 0) return 'has no local part and domain (expected local@domain)';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (Buffer.byteLength(local) > 64) return `local part is longer than 64 octets (${Buffer.byteLength(local)})`;
  if (!DOT_ATOM.test(local) && !QUOTED.test(local))
    return `local part "${local}" is not a dot-atom or quoted string (RFC 5321 §4.1.2)`;
  return domainProblem(domain);
}

export function domainProblem(domain: string): string | null {
  if (domain.length === 0) return 'has no domain';
  if (ADDRESS_LITERAL.test(domain)) return null;
  // Before the IDN conversion, which reads a name ending in digits as a malformed IPv4 address.
  if (/\.\d+$/.test(domain)) return `domain "${domain}" ends in a numeric label`;
  const ascii = domainToASCII(domain);
  if (ascii === '') return `domain "${domain}" is not a valid internationalised domain name`;
  if (ascii.length > 255) return `domain is longer than 255 octets (${ascii.length})`;
  const labels = ascii.split('.');
  if (labels.length < 2) return `domain "${domain}" has a single label (expected a dotted name)`;
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return `domain "${domain}" has an invalid label "${bad}"`;
  return null;
}
