/**
 * MX rollup: a ready queue is keyed by the *site*, a name built from the destination's MX host
 * set, so every domain hosted on the same MX hosts shares one set of limits (research/engines.md
 * §3.1, "Site name ... MX rollup"). KumoMTA writes Gmail's site as
 * `(alt1|alt2|alt3|alt4)?.gmail-smtp-in.l.google.com`: the common tail of the host names once,
 * the differing heads as alternatives, `?` when one host is the bare tail.
 */

/** Lower case, without the trailing root dot that resolvers leave on host names. */
export function normalizeHostName(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** The longest run of whole labels that ends every host name. */
function commonLabelTail(hosts: readonly string[]): string[] {
  const split = hosts.map((host) => host.split('.'));
  const shortest = Math.min(...split.map((labels) => labels.length));
  const tail: string[] = [];
  for (let fromEnd = 1; fromEnd <= shortest; fromEnd++) {
    const label = split[0]?.at(-fromEnd);
    if (label === undefined || !split.every((labels) => labels.at(-fromEnd) === label)) break;
    tail.unshift(label);
  }
  return tail;
}

/**
 * The site name of an MX host set: sorted, lower-cased and de-duplicated, so the same set always
 * gives the same name whatever the order or case of the DNS answer, and different sets give
 * different names (the set can be read back from the name).
 */
export function siteName(mxHosts: readonly string[]): string {
  const hosts = [...new Set(mxHosts.map(normalizeHostName))].filter((host) => host !== '').sort();
  if (hosts.length === 0)
    throw new RangeError('a site needs at least one MX host (use the domain itself for an implicit MX)');
  if (hosts.length === 1) return hosts[0] ?? '';
  const tail = commonLabelTail(hosts);
  const heads = hosts.map((host) =>
    host
      .split('.')
      .slice(0, host.split('.').length - tail.length)
      .join('.'),
  );
  if (tail.length === 0) return `(${heads.join('|')})`;
  const named = heads.filter((head) => head !== '');
  const optional = named.length < heads.length ? '?' : '';
  return `(${named.join('|')})${optional}.${tail.join('.')}`;
}
