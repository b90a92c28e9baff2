/**
 * The list audit (issue 5): before a campaign, check a recipient list and produce a report
 * with counts and a cleaned list. Pure functions only; `cli/audit-command.ts` does the I/O.
 *
 * Packages used, and why: `disposable-email-domains-js` for the disposable-mailbox domain list
 * (a maintained community blocklist, rather than a list of our own); `@zootools/email-spell-
 * checker` for the typo-domain distance (Sift3, the mailcheck.js approach, maintained); `tldts`
 * for the public suffix list, to tell a provider's real country sibling (gmx.at) from a typo
 * (gmx.ed) and a file name from a TLD. IDN conversion is node's own `url.domainToASCII`.
 */
export { auditList } from './audit.ts';
export type { ListEntry } from './audit.ts';
export { learnKnownUnknowns, UNKNOWN_CLASSES } from './known-unknowns.ts';
export type { KnownUnknown, KnownUnknowns, UnknownClass } from './known-unknowns.ts';
export { readListText } from './list-text.ts';
export type { ListRead } from './list-text.ts';
export { DEFAULT_ROLE_POLICY, resolveAuditOptions } from './options.ts';
export type { AuditOptions, ResolvedAuditOptions, RolePolicy } from './options.ts';
export { renderAuditSummary } from './render.ts';
export { AUDIT_SCHEMA_VERSION, CHECK_IDS, FINDING_CODES } from './report.ts';
export type {
  AddressAudit,
  AuditConfigEcho,
  AuditReport,
  AuditTotals,
  CheckId,
  Finding,
  FindingCode,
  FindingEffect,
  Verdict,
} from './report.ts';
export { TYPO_TARGET_DOMAINS, KNOWN_MAIL_DOMAINS, typoSuggestion } from './checks/typo-domain.ts';
export { ROLE_LOCAL_PARTS } from './checks/role.ts';
