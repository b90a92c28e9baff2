/**
 * The list audit's report: what `mailbench audit` writes as `audit.json`. It is plain JSON
 * (no Maps, no classes, no undefined), so a saved audit can be rendered again or compared, as
 * a run report can (DESIGN rule 5). Checks and finding codes are closed vocabularies exported
 * once; every per-check table is a `Record<CheckId, number>`, so adding a check breaks
 * compilation wherever it is not counted.
 */
import type { RolePolicy } from './options.ts';

/** Bumped when a field changes meaning or goes away; new fields do not bump it. */
export const AUDIT_SCHEMA_VERSION = 1;

/**
 * The checks, by stable id, in the order the audit applies them. The order is also the
 * precedence of drop reasons: an address that fails several checks is dropped for the first
 * (the strongest evidence first: the sender's own knowledge, then DNS, then heuristics).
 */
export const CHECK_IDS = [
  'syntax',
  'suppression',
  'known-unknown',
  'mx',
  'typo-domain',
  'trap-pattern',
  'disposable',
  'role',
  'duplicate',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** Every finding the checks can make, `<check>.<what>`; the code is the stable key to count by. */
export const FINDING_CODES = [
  'syntax.invalid',
  'syntax.display-name',
  'syntax.mailto',
  'syntax.idn',
  'syntax.smtputf8',
  'suppression.address',
  'suppression.domain',
  'known-unknown.unknown-user',
  'known-unknown.bad-domain',
  'known-unknown.mailbox-disabled',
  'mx.nxdomain',
  'mx.null-mx',
  'mx.no-mail-host',
  'mx.implicit',
  'mx.unroutable',
  'mx.address-literal',
  'typo-domain.suggestion',
  'trap-pattern.trap-word',
  'trap-pattern.file-artefact',
  'trap-pattern.escape-artefact',
  'trap-pattern.placeholder-domain',
  'trap-pattern.random-local',
  'trap-pattern.long-local',
  'disposable.domain',
  'role.account',
  'duplicate.repeated',
  'duplicate.case-variant',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** `drop`: the finding alone removes the address; `flag`: worth knowing, the address stays. */
export type FindingEffect = 'drop' | 'flag';

/** One thing a check found about an address. */
export interface Finding {
  readonly check: CheckId;
  readonly code: FindingCode;
  readonly effect: FindingEffect;
  /** One sentence a person can act on, naming the evidence. */
  readonly detail: string;
  /** typo-domain: the address the sender probably meant. */
  readonly suggestion?: string;
}

/** Keep, or drop for the strongest drop finding (the first in `CHECK_IDS` order). */
export type Verdict =
  | { readonly kind: 'keep' }
  | { readonly kind: 'drop'; readonly check: CheckId; readonly code: FindingCode; readonly reason: string };

/** One distinct address of the list (duplicates merged into it) and what the audit found. */
export interface AddressAudit {
  /** The entry as first written in the list (trimmed). */
  readonly input: string;
  /**
   * The address as the cleaned list writes it: bare (no display name), the local part as
   * written, the domain lower-cased in its ASCII (A-label) form. Null when the entry is not an
   * address at all.
   */
  readonly address: string | null;
  /** 1-based line numbers (or entry positions) of every occurrence, first first. */
  readonly lines: readonly number[];
  readonly findings: readonly Finding[];
  readonly verdict: Verdict;
}

/** The list's size before and after the audit. */
export interface AuditTotals {
  /** Entries given to the audit (blank entries excluded). */
  readonly entries: number;
  /** Distinct addresses (or distinct non-addresses) after merging duplicates; kept + dropped. */
  readonly unique: number;
  /** Entries merged into an earlier one: entries − unique. */
  readonly duplicatesRemoved: number;
  readonly kept: number;
  readonly dropped: number;
}

/** What produced the report, echoed so a saved audit says how to reproduce it. */
export interface AuditConfigEcho {
  readonly roles: RolePolicy;
  /** Whether MX checks ran (they need a resolver). */
  readonly mxChecked: boolean;
  /** Addresses and domains on the suppression list given. */
  readonly suppressions: number;
  /** Addresses learned as unknown from the accounting log given. */
  readonly knownUnknowns: number;
  /** Free-form provenance from the caller (list file, scenario, seed …). */
  readonly source: Readonly<Record<string, string>>;
}

/** The whole audit, as `audit.json` holds it. */
export interface AuditReport {
  readonly schemaVersion: typeof AUDIT_SCHEMA_VERSION;
  readonly config: AuditConfigEcho;
  readonly totals: AuditTotals;
  /** Distinct addresses with at least one finding of each check (flags included). */
  readonly findingsByCheck: Readonly<Record<CheckId, number>>;
  /** Dropped addresses by the check that decided (each dropped address counted once). */
  readonly droppedByCheck: Readonly<Record<CheckId, number>>;
  /** Distinct addresses with each finding code; codes never seen are omitted. */
  readonly findingsByCode: Readonly<Partial<Record<FindingCode, number>>>;
  /** Every distinct entry in first-seen order. */
  readonly addresses: readonly AddressAudit[];
  /** The kept addresses in first-seen order: what to mail. */
  readonly cleaned: readonly string[];
}

/** A `Record<CheckId, number>` of zeros, to count into. */
export function zeroByCheck(): Record<CheckId, number> {
  return Object.fromEntries(CHECK_IDS.map((check) => [check, 0])) as Record<CheckId, number>;
}
