/**
 * The list audit: a pure function from a recipient list (and what the sender knows) to an
 * `AuditReport`. No I/O, no clock, no chance: the same list and options give the same report.
 *
 * Entries are parsed once (check `syntax`), merged by normalised address (check `duplicate`:
 * the domain compared case-insensitively and in ASCII, the local part as written), and each
 * distinct address then goes through every other check, so it carries every finding, not only
 * the first. Domain-level answers (MX, typo, disposable) are computed once per domain. The
 * verdict is `drop` for the first drop finding in `CHECK_IDS` order, else `keep`.
 *
 * Addresses that differ only in the case of the local part stay distinct (RFC 5321 §2.4 leaves
 * that to the receiving host), but every provider the bench models folds case, so mailing both
 * reaches one mailbox twice: the later spellings are dropped as `duplicate.case-variant`.
 */
import { disposableFindings } from './checks/disposable.ts';
import { knownUnknownFindings, suppressionFindings } from './checks/known-bad.ts';
import { mxFindings } from './checks/mx.ts';
import { roleFindings } from './checks/role.ts';
import { parseEntry } from './checks/syntax.ts';
import type { ParsedAddress, ParsedEntry } from './checks/syntax.ts';
import { trapPatternFindings } from './checks/trap-pattern.ts';
import { typoFindings, typoSuggestion } from './checks/typo-domain.ts';
import { resolveAuditOptions } from './options.ts';
import type { AuditOptions, ResolvedAuditOptions } from './options.ts';
import { lookupKey } from './normalise.ts';
import { AUDIT_SCHEMA_VERSION, CHECK_IDS, zeroByCheck } from './report.ts';
import type { AddressAudit, AuditReport, Finding, FindingCode, Verdict } from './report.ts';

/** One entry of a list and where it was (a 1-based line number, or position). */
export interface ListEntry {
  readonly line: number;
  readonly text: string;
}

/** Occurrences of one distinct entry. */
interface Group {
  readonly parsed: ParsedEntry;
  readonly input: string;
  readonly lines: number[];
  readonly spellings: Set<string>;
  /** Form flags (display name, mailto: …) of every occurrence, one per code. */
  readonly formFindings: Map<FindingCode, Finding>;
}

/** How many line numbers a duplicate finding lists before it says "…". */
const DUPLICATE_LINES_SHOWN = 5;

/**
 * Audits `entries` (plain strings are numbered from 1). Blank entries are skipped; anything
 * else is audited, so nothing a person wrote disappears without a verdict.
 */
export function auditList(entries: readonly (string | ListEntry)[], options: AuditOptions = {}): AuditReport {
  const resolved = resolveAuditOptions(options);
  const groups = groupEntries(entries);
  const domainFacts = new Map<string, DomainFacts>();
  const firstByCase = new Map<string, string>();
  const addresses = [...groups.values()].map((group) =>
    auditGroup(group, resolved, domainFacts, caseVariantOf(group, firstByCase)),
  );
  return summarise(addresses, countEntries(groups), resolved);
}

function groupEntries(entries: readonly (string | ListEntry)[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  entries.forEach((entry, index) => {
    const { line, text } = typeof entry === 'string' ? { line: index + 1, text: entry } : entry;
    const input = text.trim();
    if (input === '') return;
    const parsed = parseEntry(input);
    // Non-addresses are keyed by their text in their own namespace (a NUL cannot be in an address).
    const key = parsed.kind === 'address' ? parsed.address : `\u0000${input}`;
    const group = groups.get(key) ?? {
      parsed,
      input,
      lines: [],
      spellings: new Set<string>(),
      formFindings: new Map<FindingCode, Finding>(),
    };
    groups.set(key, group);
    group.lines.push(line);
    group.spellings.add(input);
    if (parsed.kind === 'address')
      for (const finding of parsed.findings)
        if (!group.formFindings.has(finding.code)) group.formFindings.set(finding.code, finding);
  });
  return groups;
}

function countEntries(groups: ReadonlyMap<string, Group>): number {
  let total = 0;
  for (const group of groups.values()) total += group.lines.length;
  return total;
}

/** The earlier address `group` equals but for local-part case, recording `group` as first otherwise. */
function caseVariantOf(group: Group, firstByCase: Map<string, string>): string | undefined {
  if (group.parsed.kind !== 'address') return undefined;
  const key = lookupKey(group.parsed.address);
  const first = firstByCase.get(key);
  if (first === undefined) firstByCase.set(key, group.parsed.address);
  return first;
}

function auditGroup(
  group: Group,
  options: ResolvedAuditOptions,
  domainFacts: Map<string, DomainFacts>,
  variantOf: string | undefined,
): AddressAudit {
  const { parsed } = group;
  const findings: Finding[] =
    parsed.kind === 'invalid'
      ? [parsed.finding]
      : [
          ...group.formFindings.values(),
          ...addressFindings(parsed, options, factsOf(parsed.domain, options, domainFacts)),
        ];
  if (group.lines.length > 1) findings.push(duplicateFinding(group));
  if (variantOf !== undefined)
    findings.push({
      check: 'duplicate',
      code: 'duplicate.case-variant',
      effect: 'drop',
      detail: `the same mailbox as ${variantOf} (listed earlier) but for the local part's case, which providers ignore`,
    });
  return {
    input: group.input,
    address: parsed.kind === 'address' ? parsed.address : null,
    lines: group.lines,
    findings,
    verdict: verdictOf(findings),
  };
}

/** What the domain-level checks say about one domain, asked once per audit. */
interface DomainFacts {
  readonly mx: readonly Finding[];
  readonly typoSuggestion: string | undefined;
  readonly disposable: readonly Finding[];
}

function factsOf(domain: string, options: ResolvedAuditOptions, cache: Map<string, DomainFacts>): DomainFacts {
  let facts = cache.get(domain);
  if (facts === undefined) {
    facts = {
      mx: options.resolver === null ? [] : mxFindings(domain, options.resolver),
      typoSuggestion: typoSuggestion(domain),
      disposable: disposableFindings(domain),
    };
    cache.set(domain, facts);
  }
  return facts;
}

/** Every check after syntax, in `CHECK_IDS` order. */
function addressFindings(parsed: ParsedAddress, options: ResolvedAuditOptions, facts: DomainFacts): Finding[] {
  return [
    ...suppressionFindings(parsed, options),
    ...knownUnknownFindings(parsed, options),
    ...facts.mx,
    ...typoFindings(parsed.local, parsed.domain, facts.typoSuggestion),
    ...trapPatternFindings(parsed.local, parsed.domain),
    ...facts.disposable,
    ...roleFindings(parsed.local, options.roles),
  ];
}

function duplicateFinding(group: Group): Finding {
  const shown = group.lines.slice(0, DUPLICATE_LINES_SHOWN).join(', ');
  const more = group.lines.length > DUPLICATE_LINES_SHOWN ? ', …' : '';
  const spelt =
    group.spellings.size > 1
      ? `, spelt ${[...group.spellings].map((spelling) => JSON.stringify(spelling)).join(' / ')}`
      : '';
  return {
    check: 'duplicate',
    code: 'duplicate.repeated',
    effect: 'flag',
    detail: `appears ${group.lines.length} times (lines ${shown}${more})${spelt}; kept once`,
  };
}

/** Drop for the first drop finding by check precedence; findings arrive in that order already, but sort to be sure. */
function verdictOf(findings: readonly Finding[]): Verdict {
  const drops = findings.filter((finding) => finding.effect === 'drop');
  if (drops.length === 0) return { kind: 'keep' };
  const first = [...drops].sort((a, b) => CHECK_IDS.indexOf(a.check) - CHECK_IDS.indexOf(b.check))[0] as Finding;
  return { kind: 'drop', check: first.check, code: first.code, reason: first.detail };
}

function summarise(addresses: readonly AddressAudit[], entries: number, options: ResolvedAuditOptions): AuditReport {
  const findingsByCheck = zeroByCheck();
  const droppedByCheck = zeroByCheck();
  const findingsByCode: Partial<Record<FindingCode, number>> = {};
  const cleaned: string[] = [];
  for (const audit of addresses) {
    for (const check of new Set(audit.findings.map((finding) => finding.check))) findingsByCheck[check]++;
    for (const code of new Set(audit.findings.map((finding) => finding.code)))
      findingsByCode[code] = (findingsByCode[code] ?? 0) + 1;
    if (audit.verdict.kind === 'drop') droppedByCheck[audit.verdict.check]++;
    else if (audit.address !== null) cleaned.push(audit.address);
  }
  const dropped = addresses.length - cleaned.length;
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    config: {
      roles: options.roles,
      mxChecked: options.resolver !== null,
      suppressions: options.suppressedAddresses.size + options.suppressedDomains.size,
      knownUnknowns: options.knownUnknowns.size,
      source: { ...options.source },
    },
    totals: {
      entries,
      unique: addresses.length,
      duplicatesRemoved: entries - addresses.length,
      kept: cleaned.length,
      dropped,
    },
    findingsByCheck,
    droppedByCheck,
    findingsByCode: sortedKeys(findingsByCode),
    addresses,
    cleaned,
  };
}

function sortedKeys(record: Partial<Record<FindingCode, number>>): Partial<Record<FindingCode, number>> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
