/**
 * Corporate domains (tenants) and the gateway family that fronts each. A tenant's MX names
 * follow its family's real naming (a Microsoft 365 tenant is `<domain-with-dashes>.mail.
 * protection.outlook.com`, a Cisco customer `esa1.<name>.iphmx.com`, a Mimecast customer uses
 * the regional inbound hosts), so a sender can only tell the gateway from MX names, as in
 * reality.
 *
 * Names are drawn from the population's stream under the `.example` TLD (RFC 2606), so no
 * simulated company collides with a real one.
 */
import type { Rng } from '../../kernel/index.ts';

export const GATEWAY_FAMILIES = [
  'microsoft-365',
  'google-workspace',
  'mimecast',
  'proofpoint',
  'barracuda',
  'cisco-secure-email',
  'exchange-onprem',
] as const;
export type GatewayFamilyId = (typeof GATEWAY_FAMILIES)[number];

export interface Tenant {
  /** The corporate domain, e.g. `northwind-trading-0042.example`. */
  readonly domain: string;
  readonly family: GatewayFamilyId;
  /** A short stable name for per-tenant host names. */
  readonly slug: string;
  /** A per-tenant number, as gateways give customers (Proofpoint `mx0a-00123401`). */
  readonly number: number;
  /** `edge`: unknown recipients are refused at RCPT; `downstream`: accepted, bounced later by DSN. */
  readonly validation: 'edge' | 'downstream';
  /** The gateway's regional site, for families with regions (Mimecast). */
  readonly region: 'eu' | 'us';
}

/**
 * Share of corporate domains per gateway family.
 * @assumption: no census is public; Microsoft 365 and Google Workspace front most corporate
 * domains, the secure email gateways (Mimecast, Proofpoint, Barracuda, Cisco) a large minority,
 * on-premise Exchange a remainder.
 */
export const DEFAULT_FAMILY_SHARES: Record<GatewayFamilyId, number> = {
  'microsoft-365': 0.4,
  'google-workspace': 0.22,
  mimecast: 0.1,
  proofpoint: 0.1,
  barracuda: 0.07,
  'cisco-secure-email': 0.06,
  'exchange-onprem': 0.05,
};

const WORDS_A = [
  'north',
  'blue',
  'silver',
  'green',
  'red',
  'east',
  'west',
  'bright',
  'iron',
  'oak',
  'stone',
  'swift',
  'clear',
  'prime',
  'true',
  'high',
];
const WORDS_B = [
  'wind',
  'river',
  'field',
  'bridge',
  'harbor',
  'peak',
  'forge',
  'works',
  'labs',
  'logic',
  'point',
  'gate',
  'line',
  'way',
  'path',
  'crest',
];
const WORDS_C = [
  'trading',
  'systems',
  'partners',
  'group',
  'holdings',
  'industries',
  'consulting',
  'logistics',
  'media',
  'health',
  'finance',
  'energy',
];

export interface TenantSpec {
  readonly count: number;
  readonly familyShares?: Partial<Record<GatewayFamilyId, number>>;
  /** Share of tenants that validate recipients downstream and bounce later. @assumption default 0.15 */
  readonly downstreamShare?: number;
}

export function generateTenants(spec: TenantSpec, rng: Rng): Tenant[] {
  const shares = { ...DEFAULT_FAMILY_SHARES, ...spec.familyShares };
  const total = GATEWAY_FAMILIES.reduce((sum, family) => sum + Math.max(0, shares[family]), 0);
  if (!(total > 0)) throw new RangeError('gateway family shares must add up to more than 0');
  const width = Math.max(4, String(spec.count).length);
  const tenants: Tenant[] = [];
  for (let index = 0; index < spec.count; index++) {
    let draw = rng.float() * total;
    let family: GatewayFamilyId = GATEWAY_FAMILIES[0];
    for (const candidate of GATEWAY_FAMILIES) {
      draw -= Math.max(0, shares[candidate]);
      if (draw < 0) {
        family = candidate;
        break;
      }
    }
    const slug = `${rng.pick(WORDS_A)}${rng.pick(WORDS_B)}-${rng.pick(WORDS_C)}-${String(index + 1).padStart(width, '0')}`;
    tenants.push({
      domain: `${slug}.example`,
      family,
      slug,
      number: 100_000 + index,
      validation: rng.chance(spec.downstreamShare ?? 0.15) ? 'downstream' : 'edge',
      region: rng.chance(0.6) ? 'eu' : 'us',
    });
  }
  return tenants;
}
