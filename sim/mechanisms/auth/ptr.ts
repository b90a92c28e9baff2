/**
 * Forward-confirmed reverse DNS: the sending IP has a PTR, and that name's A records include
 * the IP. Gmail, Yahoo, Microsoft, GMX, Orange and Comcast require it (facts §1, §4).
 */
import type { DnsZone } from '../../dns/zone.ts';

export function forwardConfirmedPtr(dns: DnsZone, ip: string): boolean {
  const names = dns.ptr(ip);
  if (names.kind !== 'records') return false;
  return names.records.some((name) => {
    const addresses = dns.a(name);
    return addresses.kind === 'records' && addresses.records.includes(ip);
  });
}
