/**
 * Check `mx`: can the domain receive mail at all? Asked of an `MxResolver`, never of real DNS
 * (the bench resolves through the simulated world's zone). RFC 5321 §5.1 and RFC 7505:
 * - NXDOMAIN: no such domain, drop (TAXONOMY `bad-domain`);
 * - MX records: fine; a lone null MX (`MX 0 .`) says the domain accepts no mail, drop; MX
 *   hosts that none resolve are flagged (a broken zone is often fixed, so not proof);
 * - no MX but an address record: the domain is its own implicit MX, kept with a flag;
 * - neither: nothing to connect to, drop.
 * An address literal (`user@[192.0.2.1]`) bypasses DNS; no mailbox provider hands those to
 * its users, so it is dropped.
 */
import type { MxResolver } from '../../core/resolver.ts';
import type { Finding } from '../report.ts';

/** What the resolver says about `domain` (lower-case ASCII or an address literal), as findings. */
export function mxFindings(domain: string, resolver: MxResolver): Finding[] {
  if (domain.startsWith('['))
    return [
      drop(
        'mx.address-literal',
        `${domain} is an address literal: no DNS to check, and no provider gives its users such addresses`,
      ),
    ];
  const answer = resolver.resolveMx(domain);
  switch (answer.kind) {
    case 'nxdomain':
      return [drop('mx.nxdomain', `${domain} does not exist (NXDOMAIN)`)];
    case 'nodata':
      return resolver.route(domain) === undefined
        ? [drop('mx.no-mail-host', `${domain} has no MX and no address record: nothing to deliver to`)]
        : [
            {
              check: 'mx',
              code: 'mx.implicit',
              effect: 'flag',
              detail: `${domain} has no MX; its address record is the implicit MX (RFC 5321 §5.1)`,
            },
          ];
    case 'hosts':
      return hostFindings(domain, answer.hosts, resolver);
  }
}

function hostFindings(domain: string, hosts: readonly string[], resolver: MxResolver): Finding[] {
  const real = hosts.filter((host) => !isNullMx(host));
  if (real.length === 0) return [drop('mx.null-mx', `${domain} publishes a null MX: it accepts no mail (RFC 7505)`)];
  if (real.every((host) => resolver.route(host) === undefined)) {
    return [
      {
        check: 'mx',
        code: 'mx.unroutable',
        effect: 'flag',
        detail: `none of ${domain}'s MX hosts (${real.join(', ')}) resolves`,
      },
    ];
  }
  return [];
}

/** The zone stores `MX 0 .` with its root dot dropped, so the exchange reads as '' (or '.'). */
function isNullMx(host: string): boolean {
  return host === '' || host === '.';
}

function drop(code: 'mx.nxdomain' | 'mx.null-mx' | 'mx.no-mail-host' | 'mx.address-literal', detail: string): Finding {
  return { check: 'mx', code, effect: 'drop', detail };
}
