/**
 * A small simulated zone for the audit's tests, as an MxResolver: a host routes when it has
 * an A record, as in the CLI and the sim runner.
 */
import { zoneResolver } from '../../../../mta-under-test/reference/core/resolver.ts';
import type { MxResolver } from '../../../../mta-under-test/reference/core/resolver.ts';
import { DnsZone } from '../../../../sim/dns/zone.ts';

export function resolverFor(zone: DnsZone): MxResolver {
  return zoneResolver(zone, (host) => {
    const answer = zone.a(host);
    const address = answer.kind === 'records' ? answer.records[0] : undefined;
    return address === undefined ? undefined : { address, port: 25 };
  });
}

/** gmail.com, orange.fr and mailbench.test with MX hosts that resolve; nothing else exists. */
export function smallZone(): DnsZone {
  return new DnsZone()
    .addMx('gmail.com', 'gmail-smtp-in.l.google.com', 5)
    .addA('gmail-smtp-in.l.google.com', '127.0.1.1')
    .addMx('orange.fr', 'smtp-in.orange.fr')
    .addA('smtp-in.orange.fr', '127.0.1.2')
    .addMx('mailbench.test', 'mx.mailbench.test')
    .addA('mx.mailbench.test', '127.0.1.3');
}
