/**
 * How the engine finds where a domain's mail goes: MX hosts in preference order, and where
 * an MX host listens. In the bench both come from the world's DNS zone (and, in wire mode,
 * from the listeners' ports); a production engine would ask a real resolver.
 */

export type MxAnswer =
  | { readonly kind: 'hosts'; readonly hosts: readonly string[] }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'nodata' };

export interface Route {
  readonly address: string;
  readonly port: number;
}

export interface MxResolver {
  /** The MX hosts of `domain`, most preferred first. */
  resolveMx(domain: string): MxAnswer;
  /** Where `mxHost` accepts connections, or undefined if it does not resolve. */
  route(mxHost: string): Route | undefined;
}

/**
 * What the engine asks of a DNS zone: the MX answer for a domain, as a stub resolver returns it.
 * The bench's simulated zone (sim/dns/zone.ts) answers it; the engine knows only this shape, not
 * the world behind it.
 */
export interface MxZone {
  mx(
    domain: string,
  ):
    | { readonly kind: 'records'; readonly records: readonly { readonly exchange: string }[] }
    | { readonly kind: 'nxdomain' }
    | { readonly kind: 'nodata' };
}

export function zoneResolver(zone: MxZone, route: (mxHost: string) => Route | undefined): MxResolver {
  return {
    resolveMx(domain) {
      const answer = zone.mx(domain);
      if (answer.kind !== 'records') return answer;
      return { kind: 'hosts', hosts: answer.records.map((record) => record.exchange) };
    },
    route: (mxHost) => route(mxHost.toLowerCase()),
  };
}
