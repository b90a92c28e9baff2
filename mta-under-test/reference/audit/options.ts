/**
 * What the audit is told besides the list: where DNS answers come from, what the sender
 * already knows is bad, and the role-account policy. The input has optional fields with
 * documented defaults; `resolveAuditOptions` fills every one, once, so the checks never
 * handle a missing option (STYLE §0.5).
 */
import type { MxResolver } from '../core/resolver.ts';
import type { KnownUnknowns } from './known-unknowns.ts';
import { normaliseDomain } from './normalise.ts';

/**
 * What to do with role accounts (postmaster@, info@, sales@ …): `drop` removes them, `keep`
 * only flags them.
 */
export type RolePolicy = 'keep' | 'drop';

/**
 * Role accounts are dropped unless asked otherwise. A role mailbox is read by whoever runs
 * the function, not by a person who opted in, so it complains more and engages less; the
 * operational ones (postmaster@, abuse@) are read by the very people who tune the receiver's
 * filters, and role addresses published on web pages are what list scrapers and trap
 * operators harvest. A B2B sender whose contacts really did opt in as info@ or sales@ passes
 * `keep` (`--roles keep`).
 */
export const DEFAULT_ROLE_POLICY: RolePolicy = 'drop';

/** The audit's options as a caller gives them; every field is optional. */
export interface AuditOptions {
  /**
   * Where the mx check resolves domains. Without one the mx check does not run and the
   * report says so (`config.mxChecked: false`).
   */
  readonly resolver?: MxResolver;
  /**
   * The suppression list: addresses, and whole domains written `@domain` or as a bare domain.
   * Matched case-insensitively.
   * @defaultValue []
   */
  readonly suppressions?: readonly string[];
  /** Addresses the sender learned do not exist (see `learnKnownUnknowns`). @defaultValue none */
  readonly knownUnknowns?: KnownUnknowns;
  /** @defaultValue {@link DEFAULT_ROLE_POLICY} */
  readonly roles?: RolePolicy;
  /** Provenance echoed in the report (list file, scenario, seed …). @defaultValue {} */
  readonly source?: Readonly<Record<string, string>>;
}

/** Every option present, in the shape the checks read. */
export interface ResolvedAuditOptions {
  readonly resolver: MxResolver | null;
  /** Suppressed addresses, lower-cased, domain in ASCII. */
  readonly suppressedAddresses: ReadonlySet<string>;
  /** Suppressed domains, lower-cased ASCII. */
  readonly suppressedDomains: ReadonlySet<string>;
  readonly knownUnknowns: KnownUnknowns;
  readonly roles: RolePolicy;
  readonly source: Readonly<Record<string, string>>;
}

/** Fills every default and splits the suppression list into addresses and domains, once. */
export function resolveAuditOptions(options: AuditOptions): ResolvedAuditOptions {
  const suppressedAddresses = new Set<string>();
  const suppressedDomains = new Set<string>();
  for (const raw of options.suppressions ?? []) {
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    const at = entry.lastIndexOf('@');
    if (at === -1 || at === 0) suppressedDomains.add(normaliseDomain(entry.slice(at + 1)));
    else suppressedAddresses.add(`${entry.slice(0, at)}@${normaliseDomain(entry.slice(at + 1))}`.toLowerCase());
  }
  return {
    resolver: options.resolver ?? null,
    suppressedAddresses,
    suppressedDomains,
    knownUnknowns: options.knownUnknowns ?? new Map(),
    roles: options.roles ?? DEFAULT_ROLE_POLICY,
    source: options.source ?? {},
  };
}
