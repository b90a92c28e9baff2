/**
 * Gateway fingerprints: the reply texts B2B gateways are known to give for recipients, and
 * what each says (facts/isp-behaviors.md §5 "B2B gateways", §6 "Documented bogus hard
 * bounces"). A fingerprint names the family when the MX name did not (a tenant's own MX in
 * front of Exchange Online, a vanity name for a Proofpoint cluster), and says whether the text
 * itself is a disguise — a policy refusal worded as a recipient problem — or only the gateway's
 * usual "user unknown", which is usually true and sometimes not.
 */
import type { Family } from '../../core/classifier/family.ts';

export interface GatewayFingerprint {
  readonly id: string;
  readonly family: Family;
  /** Matched against the reply as one line: `<code> <enhanced> <text>`, case-insensitive. */
  readonly pattern: RegExp;
  /** The text itself says policy, not address: a refusal with it is suspect at once. */
  readonly disguise: boolean;
  readonly note: string;
}

export const GATEWAY_FINGERPRINTS: readonly GatewayFingerprint[] = [
  {
    id: 'm365.dbeb',
    family: 'microsoft-365',
    pattern: /5\.4\.1 .*access denied\.? ?AS\(201806281\)/i,
    disguise: false,
    note: 'Exchange Online DBEB: usually a true unknown user, but also real users not yet synced to Entra ID (facts §5-6)',
  },
  {
    id: 'barracuda.blocked',
    family: 'barracuda',
    pattern: /\([^()\s]*:blocked\)/i,
    disguise: true,
    note: 'Barracuda "(user@domain:blocked)": the message was blocked for content or policy; another may pass (facts §5, SMTPC 550)',
  },
  {
    id: 'barracuda.nsu',
    family: 'barracuda',
    pattern: /\bcuda_nsu\b/i,
    disguise: false,
    note: 'Barracuda "no such user" (facts §5)',
  },
  {
    id: 'proofpoint.marked-invalid',
    family: 'proofpoint',
    pattern: /user email address is marked as invalid/i,
    disguise: false,
    note: 'Proofpoint sticky invalid list: one earlier downstream refusal, kept until an admin clears it (facts §5-6)',
  },
  {
    id: 'proofpoint.downstream',
    family: 'proofpoint',
    pattern: /undeliverable address: host .* said:/i,
    disguise: false,
    note: "Proofpoint quoting the customer's server (facts §5, §7)",
  },
  {
    id: 'mimecast.invalid-recipient',
    family: 'mimecast',
    pattern: /^550 invalid recipient\b/i,
    disguise: false,
    note: 'Mimecast recipient validation; a real user missing from the synced directory gets it when the account chose 550 over 451 (facts §5)',
  },
  {
    id: 'cisco.dhap',
    family: 'cisco',
    pattern: /too many (invalid )?recipients .*(this|per) hour/i,
    disguise: true,
    note: 'Cisco directory-harvest prevention: past ~10 invalid recipients per hour, valid recipients are refused too (facts §5-6)',
  },
  {
    id: 'symantec.user-unknown',
    family: 'symantec',
    pattern: /554 5\.1\.2 recipient address rejected: user unknown/i,
    disguise: false,
    note: 'Broadcom Messaging Gateway: also for a listener or directory mismatch (facts §5)',
  },
];

/** The first fingerprint the reply line matches, if any. */
export function fingerprintOf(replyLine: string): GatewayFingerprint | undefined {
  return GATEWAY_FINGERPRINTS.find((fingerprint) => fingerprint.pattern.test(replyLine));
}
