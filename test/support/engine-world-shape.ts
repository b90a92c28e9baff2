/**
 * The fixed world of the engine's model-based tests: two sources in two pools (a tenant's
 * dedicated pool and a shared one), four sites — two of one provider (bigmail), one plain, one
 * held to a few messages an hour — five recipient domains (two of them on one site, MX rollup;
 * one that does not exist), the shaping the engine gets, and the same limits written out again
 * by hand (LIMITS), which engine-model-checks.ts checks the wire against.
 */
import type { EgressConfig } from '../../mta-under-test/reference/core/egress.ts';
import type { ShapingConfigInput } from '../../mta-under-test/reference/core/shaping/config.ts';
import { HOUR_MS } from '../../kernel/clock/clock.ts';
import type { Milliseconds } from '../../kernel/clock/clock.ts';
import { DnsZone } from '../../sim/dns/zone.ts';

export const SOURCES = [
  { name: 'mta1', sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test' },
  { name: 'mta2', sourceIp: '127.0.0.3', heloName: 'mta2.mailbench.test' },
] as const;

export const EGRESS: EgressConfig = {
  sources: SOURCES,
  pools: [
    { name: 'shared', members: [{ source: 'mta1' }, { source: 'mta2' }] },
    { name: 'dedicated', members: [{ source: 'mta2' }] },
  ],
  defaultPool: 'shared',
  tenants: { acme: { pool: 'dedicated' }, globex: { pool: 'shared' } },
};

/** The sites by the engine's MX-rollup names, with their MX hosts (most preferred first). */
export const SITES = {
  west: { site: '(mx1|mx2).bigmail.test', mxHosts: ['mx1.bigmail.test', 'mx2.bigmail.test'], provider: 'bigmail' },
  east: { site: 'mx.east.bigmail.test', mxHosts: ['mx.east.bigmail.test'], provider: 'bigmail' },
  corp: { site: 'mx.corp.test', mxHosts: ['mx.corp.test'], provider: null },
  /** A site the shaping holds to a few messages an hour, so that mail waits in its ready queue. */
  slow: { site: 'mx.slow.test', mxHosts: ['mx.slow.test'], provider: null },
} as const;

export type SiteId = keyof typeof SITES;
export const SITE_IDS = Object.keys(SITES) as readonly SiteId[];

/** Recipient domains and their site; `gone.test` does not exist. a.test and b.test share a site (MX rollup). */
export const DOMAINS: Readonly<Record<string, SiteId | null>> = {
  'a.test': 'west',
  'b.test': 'west',
  'c.test': 'east',
  'corp.test': 'corp',
  'slow.test': 'slow',
  'gone.test': null,
};

export const POOLS = ['shared', 'dedicated'] as const;
export const TENANTS = ['acme', 'globex'] as const;

/** A message's lifetime: short, so that expiry happens within a run. */
export const EXPIRY_MS: Milliseconds = 4 * HOUR_MS;

export const SHAPING: ShapingConfigInput = {
  builtInProviders: false,
  default: {
    connectionLimit: 2,
    maxDeliveriesPerConnection: 3,
    maxRecipientsPerMessage: 2,
    maxMessageRate: '10/min',
    maxConnectionRate: '30/min',
    idleTimeoutMs: '30s',
    consecutiveConnectionFailuresBeforeDelay: 3,
    sourceConnectionLimit: 4,
  },
  providers: {
    bigmail: { match: [{ mxSuffix: '.bigmail.test' }], providerConnectionLimit: 3, providerMaxMessageRate: '15/min' },
  },
  // Below the source layer: mta2's own rate overrides it there.
  domains: { 'slow.test': { maxMessageRate: '6/h,max_burst=2' } },
  sources: { mta2: { connectionLimit: 1, maxMessageRate: '4/min,max_burst=2', sourceMaxMessageRate: '6/min' } },
};

/** A GCRA limit as checked on the wire: at most `burst + count × W / perMs` in any window W. */
export interface RateLimit {
  readonly count: number;
  readonly perMs: Milliseconds;
  readonly burst: number;
}

/** The limits SHAPING sets, written out again by hand so that the checks do not trust the engine's resolver. */
export interface WorldLimits {
  readonly connectionLimit: (source: string) => number;
  readonly maxDeliveriesPerConnection: number;
  readonly maxRecipientsPerMessage: number;
  readonly messageRate: (source: string, site: string) => RateLimit;
  readonly connectionRate: RateLimit;
  readonly providerConnectionLimit: number;
  readonly providerMessageRate: RateLimit;
  readonly sourceConnectionLimit: number;
  readonly sourceMessageRate: (source: string) => RateLimit | null;
}

const MINUTE = 60_000;
export const LIMITS: WorldLimits = {
  connectionLimit: (source) => (source === 'mta2' ? 1 : 2),
  maxDeliveriesPerConnection: 3,
  maxRecipientsPerMessage: 2,
  messageRate: (source, site) => {
    if (source === 'mta2') return { count: 4, perMs: MINUTE, burst: 2 };
    return site === SITES.slow.site
      ? { count: 6, perMs: 60 * MINUTE, burst: 2 }
      : { count: 10, perMs: MINUTE, burst: 10 };
  },
  connectionRate: { count: 30, perMs: MINUTE, burst: 30 },
  providerConnectionLimit: 3,
  providerMessageRate: { count: 15, perMs: MINUTE, burst: 15 },
  sourceConnectionLimit: 4,
  sourceMessageRate: (source) => (source === 'mta2' ? { count: 6, perMs: MINUTE, burst: 6 } : null),
};

export function providerOfSite(site: string): string | null {
  return Object.values(SITES).find((entry) => entry.site === site)?.provider ?? null;
}

export function siteOfMxHost(mxHost: string): string {
  const entry = Object.values(SITES).find((candidate) =>
    (candidate.mxHosts as readonly string[]).includes(mxHost.toLowerCase()),
  );
  if (entry === undefined) throw new Error(`no site has the MX host ${mxHost}`);
  return entry.site;
}

export function sourceOfIp(sourceIp: string): string {
  const source = SOURCES.find((candidate) => candidate.sourceIp === sourceIp);
  if (source === undefined) throw new Error(`no source sends from ${sourceIp}`);
  return source.name;
}

export const REF_HEADER = 'X-Model-Ref';

export function messageIdOf(data: string): string {
  const match = new RegExp(`(?:^|\\r\\n)${REF_HEADER}: (\\S+)`).exec(data);
  if (match?.[1] === undefined) throw new Error('an outgoing message lost its correlation header');
  return match[1];
}

export function worldDns(): DnsZone {
  const dns = new DnsZone();
  for (const [domain, site] of Object.entries(DOMAINS)) {
    if (site === null) continue;
    SITES[site].mxHosts.forEach((host, index) => dns.addMx(domain, host, 10 * (index + 1)));
  }
  return dns;
}
