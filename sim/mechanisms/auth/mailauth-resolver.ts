/**
 * The sim DNS as a resolver in the shape mailauth asks for (node's `dns.resolve(name, type)`):
 * TXT as chunk arrays, A, MX, PTR by reverse name, and the two misses that matter to mail as
 * node spells them: ENOTFOUND (no such name) and ENODATA (the name has no records of that type).
 * The zone holds no AAAA records, so every AAAA question is NODATA or NXDOMAIN.
 */
import type { DnsAnswer, DnsZone } from '../../dns/zone.ts';

export type MailauthResolver = (name: string, type: string) => Promise<unknown[]>;

function miss(code: 'ENOTFOUND' | 'ENODATA', name: string, type: string): Error {
  return Object.assign(
    new Error(`${type} ${name}: ${code === 'ENOTFOUND' ? 'no such name' : 'no records of that type'}`),
    { code, hostname: name },
  );
}

/** `4.3.2.1.in-addr.arpa` → `1.2.3.4`; null for a name that is not an IPv4 reverse name. */
export function addressOfReverseName(name: string): string | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.?$/i.exec(name);
  return match === null ? null : `${match[4]}.${match[3]}.${match[2]}.${match[1]}`;
}

export function mailauthResolver(dns: DnsZone): MailauthResolver {
  const answered = <T>(answer: DnsAnswer<T>, name: string, type: string): Promise<T[]> =>
    answer.kind === 'records'
      ? Promise.resolve([...answer.records])
      : Promise.reject(miss(answer.kind === 'nxdomain' ? 'ENOTFOUND' : 'ENODATA', name, type));
  return (name, type) => {
    switch (type.toUpperCase()) {
      case 'TXT':
        return answered(dns.txt(name), name, type).then((records) => records.map((text) => [text]));
      case 'A':
        return answered(dns.a(name), name, type);
      case 'MX':
        return answered(dns.mx(name), name, type);
      case 'PTR': {
        const address = addressOfReverseName(name);
        return address === null
          ? Promise.reject(miss('ENOTFOUND', name, type))
          : answered(dns.ptr(address), name, type);
      }
      default: {
        // A name the zone knows, asked for a type it never holds (AAAA among them): NODATA.
        return Promise.reject(miss(dns.a(name).kind === 'nxdomain' ? 'ENOTFOUND' : 'ENODATA', name, type));
      }
    }
  };
}
