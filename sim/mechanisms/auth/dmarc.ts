/**
 * DMARC (RFC 7489): the From domain's policy and whether SPF or DKIM passed for a domain
 * aligned with it. Organizational domains come from the Public Suffix List (tldts), so
 * `news.example.co.uk` aligns with `example.co.uk` and not with `co.uk`.
 */
import { getDomain } from 'tldts';
import type { DnsZone } from '../../dns/zone.ts';
import { memoised } from '../../../kernel/index.ts';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcVerdict {
  /** `none`: the From domain publishes no DMARC record. */
  readonly result: 'pass' | 'fail' | 'none';
  readonly policy: DmarcPolicy | null;
  readonly fromDomain: string;
}

/** The Public Suffix List lookup, remembered: a run asks about the same few domains for every message. */
const organizationalDomainOf = memoised(
  (domain) => getDomain(domain, { allowPrivateDomains: false }) ?? domain.toLowerCase(),
  { capacity: 4096, maxKeyLength: 253 },
);

export function organizationalDomain(domain: string): string {
  return organizationalDomainOf(domain);
}

function aligned(authenticated: string, fromDomain: string, strict: boolean): boolean {
  const a = authenticated.toLowerCase();
  const b = fromDomain.toLowerCase();
  return strict ? a === b : organizationalDomain(a) === organizationalDomain(b);
}

interface DmarcRecord {
  readonly policy: DmarcPolicy;
  readonly strictSpf: boolean;
  readonly strictDkim: boolean;
}

/** A DMARC record's text → what it says (null: no usable policy). Every message from a domain reads the same record. */
const parseRecord = memoised(
  (text: string): DmarcRecord | null => {
    const tags = new Map(
      text.split(';').map((part) => {
        const [key = '', value = ''] = part.split('=');
        return [key.trim().toLowerCase(), value.trim().toLowerCase()] as const;
      }),
    );
    const policy = tags.get('p');
    if (policy !== 'none' && policy !== 'quarantine' && policy !== 'reject') return null;
    return { policy, strictSpf: tags.get('aspf') === 's', strictDkim: tags.get('adkim') === 's' };
  },
  { capacity: 1024, maxKeyLength: 1024 },
);

function dmarcRecord(dns: DnsZone, fromDomain: string): DmarcRecord | null {
  const lookup = (name: string): DmarcRecord | null => {
    const answer = dns.txt(`_dmarc.${name}`);
    if (answer.kind !== 'records') return null;
    const text = answer.records.find((record) => /^v=DMARC1(\s*;|$)/i.test(record));
    return text === undefined ? null : parseRecord(text);
  };
  const organizational = organizationalDomain(fromDomain);
  return lookup(fromDomain) ?? (organizational !== fromDomain.toLowerCase() ? lookup(organizational) : null);
}

export interface DmarcInput {
  readonly fromDomain: string;
  /** The MAIL FROM domain, when SPF passed for it. */
  readonly spfPassDomain: string | null;
  /** The d= of every DKIM signature that passed. */
  readonly dkimPassDomains: readonly string[];
}

export function checkDmarc(dns: DnsZone, input: DmarcInput): DmarcVerdict {
  const record = dmarcRecord(dns, input.fromDomain);
  if (record === null) return { result: 'none', policy: null, fromDomain: input.fromDomain };
  const spfAligned = input.spfPassDomain !== null && aligned(input.spfPassDomain, input.fromDomain, record.strictSpf);
  const dkimAligned = input.dkimPassDomains.some((domain) => aligned(domain, input.fromDomain, record.strictDkim));
  return { result: spfAligned || dkimAligned ? 'pass' : 'fail', policy: record.policy, fromDomain: input.fromDomain };
}
