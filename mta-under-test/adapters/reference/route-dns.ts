/**
 * The environment's transport map (recipient domain → listener) as the engine's static DNS.
 * Every domain routed to one listener gets the same MX host, named after where it listens
 * (`127-0-1-5.port-40123.route.invalid`): the map says those domains share a next hop, so the
 * engine rolls them up into one site and shapes them together, as it would domains that publish
 * the same MX hosts, and as Postfix keeps its concurrency per next hop. The engine is told no
 * more than Postfix's transport_maps tells Postfix (DESIGN rule 3): no MX names, so no shaping
 * preset or receiver family known from them. The runner maps a record's host back to the MX
 * host the world knows, by the recipient's domain.
 */
import type { StaticDns } from '../../reference/service/static-resolver.ts';
import type { LoopbackRoute } from '../mta-under-test.ts';

/** The MX host name the engine is given for a listener (`.invalid`: it is never looked up, RFC 2606). */
export function routeHostName(route: LoopbackRoute): string {
  return `${route.address.replaceAll('.', '-')}.port-${route.port}.route.invalid`;
}

export function staticDnsOf(routes: ReadonlyMap<string, LoopbackRoute>): StaticDns {
  const mx: Record<string, string[]> = {};
  const hosts: Record<string, string> = {};
  for (const [domain, route] of routes) {
    const host = routeHostName(route);
    mx[domain] = [host];
    hosts[host] = `${route.address}:${route.port}`;
  }
  return { mx, hosts };
}
