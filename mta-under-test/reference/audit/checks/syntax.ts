/**
 * Check `syntax`: is the entry an address an SMTP envelope can carry, and what form was it in?
 * It reuses the engine's own RFC 5321 checks (`inject/address.ts`), so the audit refuses
 * exactly what the injection API would, and accepts the RFC 5322 forms people paste into lists
 * (`Name <addr>`, `<addr>`, `mailto:addr`) by reducing them to the bare address with a flag.
 * Internationalised domains are converted to A-labels (flagged `syntax.idn`); non-ASCII local
 * parts are legal only with SMTPUTF8 (RFC 6531) at both ends, so they are flagged
 * `syntax.smtputf8` for the sender to know, not dropped.
 */
import { addressProblem } from '../../inject/address.ts';
import type { Finding } from '../report.ts';
import { normaliseDomain } from '../normalise.ts';

/** An entry that is an address, reduced to its normalised form. */
export interface ParsedAddress {
  readonly kind: 'address';
  /** local@domain, the domain in lower-case ASCII: the dedupe key and the cleaned-list line. */
  readonly address: string;
  readonly local: string;
  /** Lower-case ASCII domain, or the address literal (`[192.0.2.1]`). */
  readonly domain: string;
  /** Flags about the form the entry was written in. */
  readonly findings: readonly Finding[];
}

/** An entry that is not an address; its one finding says why. */
export interface UnparsableEntry {
  readonly kind: 'invalid';
  readonly finding: Finding;
}

export type ParsedEntry = ParsedAddress | UnparsableEntry;

/** `Display Name <addr>` or `<addr>` (RFC 5322 §3.4 name-addr); the phrase itself is not checked. */
const NAME_ADDR = /^([^<>]*)<([^<>]*)>$/s;
const NON_ASCII = /[^\p{ASCII}]/u;

/**
 * Parses one list entry (already trimmed or not) into its normalised address with form flags,
 * or into the reason it is not an address.
 */
export function parseEntry(text: string): ParsedEntry {
  const findings: Finding[] = [];
  let bare = text.trim();
  if (/^mailto:/i.test(bare)) {
    bare = withoutQuery(bare.slice('mailto:'.length));
    findings.push(flag('syntax.mailto', 'written as a mailto: link; the bare address is used'));
  }
  const nameAddr = NAME_ADDR.exec(bare);
  if (nameAddr !== null) {
    bare = (nameAddr[2] ?? '').trim();
    const name = (nameAddr[1] ?? '').trim();
    findings.push(
      flag(
        'syntax.display-name',
        name === ''
          ? 'written in angle brackets; the bare address is used'
          : `written with the display name ${JSON.stringify(name)}; the bare address is used`,
      ),
    );
  }
  const problem = addressProblem(bare);
  if (problem !== null) return invalid(problem);
  const at = bare.lastIndexOf('@');
  const local = bare.slice(0, at);
  const written = bare.slice(at + 1);
  const domain = normaliseDomain(written);
  const address = `${local}@${domain}`;
  // The normalised form is what the cleaned list carries, so it must pass the same check.
  const normalisedProblem = addressProblem(address);
  if (normalisedProblem !== null) return invalid(`in ASCII form ${address}: ${normalisedProblem}`);
  if (!written.startsWith('[') && NON_ASCII.test(written))
    findings.push(flag('syntax.idn', `internationalised domain ${written} is ${domain} in ASCII (RFC 5890)`));
  if (NON_ASCII.test(local))
    findings.push(
      flag(
        'syntax.smtputf8',
        'non-ASCII local part: deliverable only where both the sender and the receiving MX speak SMTPUTF8 (RFC 6531)',
      ),
    );
  return { kind: 'address', address, local, domain, findings };
}

/** A mailto: link may carry `?subject=…` after the address; a domain never contains '?'. */
function withoutQuery(link: string): string {
  const at = link.lastIndexOf('@');
  const query = link.indexOf('?', at + 1);
  return query === -1 || at === -1 ? link : link.slice(0, query);
}

function invalid(problem: string): UnparsableEntry {
  return {
    kind: 'invalid',
    finding: { check: 'syntax', code: 'syntax.invalid', effect: 'drop', detail: `not an address: ${problem}` },
  };
}

function flag(
  code: 'syntax.mailto' | 'syntax.display-name' | 'syntax.idn' | 'syntax.smtputf8',
  detail: string,
): Finding {
  return { check: 'syntax', code, effect: 'flag', detail };
}
