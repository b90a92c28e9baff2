/**
 * MX resolution from a table, for the engine as a service: the bench hands it the simulated
 * world's DNS (domain → MX hosts) and where each MX host listens (host → loopback address and
 * port), as Postfix takes a transport map. No real DNS is ever asked: the bench has no network,
 * and a resolver that could reach one could mail outside loopback (DESIGN rule 6).
 */
import { isLoopbackIpv4 } from '../../../kernel/index.ts';
import type { MxResolver, Route } from '../core/resolver.ts';

export interface StaticDns {
  /** Recipient domain → MX host names, most preferred first. */
  readonly mx: Readonly<Record<string, readonly string[]>>;
  /** MX host → `address:port` on loopback. */
  readonly hosts: Readonly<Record<string, string>>;
}

export interface DnsIssue {
  readonly path: string;
  readonly message: string;
}

/** Parses `127.0.1.4:40123`; undefined when it is not a loopback address with a port. */
export function parseHostRoute(text: string): Route | undefined {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text.trim());
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (!isLoopbackIpv4(match[1] as string) || port < 1 || port > 65_535) return undefined;
  return { address: match[1] as string, port };
}

/** Every problem of a table, with its path under `dns`. */
export function validateStaticDns(dns: StaticDns): DnsIssue[] {
  const issues: DnsIssue[] = [];
  for (const [domain, hosts] of Object.entries(dns.mx)) {
    if (!Array.isArray(hosts) || hosts.some((host) => typeof host !== 'string'))
      issues.push({ path: `dns.mx["${domain}"]`, message: 'must be a list of MX host names' });
  }
  for (const [host, where] of Object.entries(dns.hosts)) {
    if (typeof where !== 'string' || parseHostRoute(where) === undefined)
      issues.push({
        path: `dns.hosts["${host}"]`,
        message: `must be "127.x.y.z:port" on loopback (got ${JSON.stringify(where)})`,
      });
  }
  return issues;
}

/** A resolver over the table: a domain it does not list does not exist (NXDOMAIN). */
export function staticResolver(dns: StaticDns): MxResolver {
  const mx = new Map(Object.entries(dns.mx).map(([domain, hosts]) => [domain.toLowerCase(), hosts]));
  const hosts = new Map(Object.entries(dns.hosts).map(([host, where]) => [host.toLowerCase(), parseHostRoute(where)]));
  return {
    resolveMx(domain) {
      const found = mx.get(domain.toLowerCase());
      return found === undefined ? { kind: 'nxdomain' } : { kind: 'hosts', hosts: found };
    },
    route: (mxHost) => hosts.get(mxHost.toLowerCase()),
  };
}
