/**
 * SPF (RFC 7208) evaluated against the sim DNS: the subset real bulk senders publish —
 * `ip4:` (with CIDR), `a`, `mx`, `include:`, `all`, qualifiers, and `redirect=`. Other
 * mechanisms (`exists`, `ptr`, macros) give `permerror`, as a strict receiver would treat an
 * SPF record it cannot evaluate. The ten-lookup limit (§4.6.4) is enforced.
 */
import type { DnsZone } from '../../dns/zone.ts';

/** `temperror` comes only from a verifier resolving over a network (wire mode's mailauth); the sim DNS always answers. */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

const DNS_LOOKUP_LIMIT = 10;
const QUALIFIERS: Record<string, SpfResult> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** The domain's SPF record, or null when it has none (several records are a permerror). */
function spfRecord(dns: DnsZone, domain: string): { readonly text: string } | null | 'permerror' {
  const answer = dns.txt(domain);
  if (answer.kind !== 'records') return null;
  const records = answer.records.filter((text) => /^v=spf1(\s|$)/i.test(text));
  if (records.length > 1) return 'permerror';
  return records[0] === undefined ? null : { text: records[0] };
}

function ipv4ToInt(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

function inCidr(ip: string, network: string, prefix: number): boolean {
  const ipValue = ipv4ToInt(ip);
  const networkValue = ipv4ToInt(network);
  if (ipValue === null || networkValue === null || prefix < 0 || prefix > 32) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(ipValue / size) === Math.floor(networkValue / size);
}

function hostAddresses(dns: DnsZone, host: string): readonly string[] {
  const answer = dns.a(host);
  return answer.kind === 'records' ? answer.records : [];
}

interface Evaluation {
  lookups: number;
}

export function checkSpf(dns: DnsZone, ip: string, domain: string): SpfResult {
  if (domain === '') return 'none';
  return evaluate(dns, ip, domain, { lookups: 0 });
}

function evaluate(dns: DnsZone, ip: string, domain: string, evaluation: Evaluation): SpfResult {
  const record = spfRecord(dns, domain);
  if (record === 'permerror') return 'permerror';
  if (record === null) return 'none';
  const terms = record.text
    .split(/\s+/)
    .slice(1)
    .filter((term) => term !== '');
  let redirect: string | null = null;
  for (const term of terms) {
    if (term.toLowerCase().startsWith('redirect=')) {
      redirect = term.slice('redirect='.length);
      continue;
    }
    if (/^[a-z][a-z0-9_.-]*=/i.test(term)) continue; // other modifiers (exp=) do not decide
    const qualifier = QUALIFIERS[term[0] ?? ''] === undefined ? '+' : (term[0] as string);
    const mechanism = qualifier === term[0] ? term.slice(1) : term;
    const matched = matches(dns, ip, domain, mechanism, evaluation);
    if (matched === 'permerror') return 'permerror';
    if (matched) return QUALIFIERS[qualifier] as SpfResult;
  }
  if (redirect !== null) {
    if (++evaluation.lookups > DNS_LOOKUP_LIMIT) return 'permerror';
    const result = evaluate(dns, ip, redirect, evaluation);
    return result === 'none' ? 'permerror' : result;
  }
  return 'neutral';
}

function matches(
  dns: DnsZone,
  ip: string,
  domain: string,
  mechanism: string,
  evaluation: Evaluation,
): boolean | 'permerror' {
  const { name, argument, prefix } = splitMechanism(mechanism);
  switch (name.toLowerCase()) {
    case 'all':
      return true;
    case 'ip4': {
      if (argument === undefined) return 'permerror';
      return inCidr(ip, argument, prefix ?? 32);
    }
    case 'ip6':
      return false; // the bench's sending IPs are IPv4 loopback addresses
    case 'a': {
      if (++evaluation.lookups > DNS_LOOKUP_LIMIT) return 'permerror';
      return hostAddresses(dns, argument ?? domain).some((address) => inCidr(ip, address, prefix ?? 32));
    }
    case 'mx': {
      if (++evaluation.lookups > DNS_LOOKUP_LIMIT) return 'permerror';
      const answer = dns.mx(argument ?? domain);
      if (answer.kind !== 'records') return false;
      return answer.records.some((record) =>
        hostAddresses(dns, record.exchange).some((address) => inCidr(ip, address, prefix ?? 32)),
      );
    }
    case 'include': {
      if (argument === undefined) return 'permerror';
      if (++evaluation.lookups > DNS_LOOKUP_LIMIT) return 'permerror';
      const result = evaluate(dns, ip, argument, evaluation);
      if (result === 'permerror' || result === 'none') return 'permerror';
      return result === 'pass';
    }
    default:
      return 'permerror';
  }
}

/** `name[:argument][/prefix]`, e.g. `ip4:192.0.2.0/24`, `a/24`, `include:_spf.example`. */
function splitMechanism(mechanism: string): { name: string; argument: string | undefined; prefix: number | undefined } {
  const match = /^([a-z0-9]+)(?::([^/]*))?(?:\/(\d{1,2}))?$/i.exec(mechanism);
  if (match === null) return { name: '', argument: undefined, prefix: undefined };
  return {
    name: match[1] as string,
    argument: match[2],
    prefix: match[3] === undefined ? undefined : Number(match[3]),
  };
}
