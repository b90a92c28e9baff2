/**
 * Checks `suppression` and `known-unknown`: what the sender already knows. An address on the
 * suppression list (or at a suppressed domain) is never mailed; an address the accounting log
 * says does not exist is dropped with the evidence (class, record type, rule). Both match on
 * the whole address lower-cased: receivers read local parts case-insensitively in practice,
 * and a known-bad address must not slip back in because a list capitalised it.
 */
import type { ResolvedAuditOptions } from '../options.ts';
import type { Finding } from '../report.ts';
import { lookupKey } from '../normalise.ts';
import type { ParsedAddress } from './syntax.ts';

/** Drops an address on the suppression list, or at a suppressed domain or one of its subdomains. */
export function suppressionFindings(parsed: ParsedAddress, options: ResolvedAuditOptions): Finding[] {
  if (options.suppressedAddresses.has(lookupKey(parsed.address))) {
    return [{ check: 'suppression', code: 'suppression.address', effect: 'drop', detail: 'on the suppression list' }];
  }
  const domain = suppressedParent(parsed.domain, options.suppressedDomains);
  if (domain !== undefined)
    return [
      {
        check: 'suppression',
        code: 'suppression.domain',
        effect: 'drop',
        detail: `its domain ${domain} is on the suppression list`,
      },
    ];
  return [];
}

/** Drops an address the accounting log taught is unknown, naming the evidence. */
export function knownUnknownFindings(parsed: ParsedAddress, options: ResolvedAuditOptions): Finding[] {
  const known = options.knownUnknowns.get(lookupKey(parsed.address));
  if (known === undefined) return [];
  return [
    {
      check: 'known-unknown',
      code: `known-unknown.${known.class}`,
      effect: 'drop',
      detail: `the accounting log has it as ${known.class} (${known.learnedFrom}, rule ${known.rule})`,
    },
  ];
}

/** The domain itself or a parent of it that is suppressed (suppressing a domain covers its subdomains). */
function suppressedParent(domain: string, suppressed: ReadonlySet<string>): string | undefined {
  if (suppressed.size === 0) return undefined;
  const labels = domain.split('.');
  for (let start = 0; start < labels.length; start++) {
    const candidate = labels.slice(start).join('.');
    if (suppressed.has(candidate)) return candidate;
  }
  return undefined;
}
