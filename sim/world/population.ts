/**
 * The recipients of a scenario and the truth behind them. The sender gets the list; the
 * world keeps which addresses really exist, who reads, which are traps and when corporate
 * addresses die (MailboxDirectory). Every share is applied exactly (round(share × N)
 * addresses, chosen by a seeded shuffle), so two runs with the same seed mail the same people.
 */
import { DAY_MS } from '../../kernel/index.ts';
import type { EpochMs, Rng } from '../../kernel/index.ts';
import { MailboxDirectory } from './mailboxes.ts';
import type { Engagement, Mailbox } from './mailboxes.ts';
import { generateTenants } from './tenants.ts';
import type { GatewayFamilyId, Tenant } from './tenants.ts';

/** Misspelt consumer domains whose catch-all is a trap (facts: typo traps such as gmial.com). */
export const TYPO_TRAP_DOMAINS = [
  'gmial.com',
  'gmal.com',
  'hotmial.com',
  'hotmal.com',
  'yaho.com',
  'yahooo.com',
  'outlok.com',
  'orange.fe',
  'wanadoo.fe',
  'gmx.ed',
];

export interface CorporateSpec {
  /** Share of recipients at corporate domains behind B2B gateways, in [0, 1]. */
  readonly share: number;
  /** How many corporate domains (tenants). */
  readonly tenants: number;
  readonly familyShares?: Partial<Record<GatewayFamilyId, number>>;
  /** Share of corporate addresses that die per year (the field sees 20-30 %). @defaultValue 0.25 */
  readonly annualTurnover?: number;
}

export interface TrapSpec {
  /** Shares of recipients that are pristine, recycled and typo-domain traps. */
  readonly pristine?: number;
  readonly recycled?: number;
  readonly typo?: number;
}

export interface PopulationSpec {
  /** How many recipients. */
  readonly recipients: number;
  /** Consumer recipient domains, used round-robin. */
  readonly domains: readonly string[];
  /** Share of recipients whose mailbox does not exist, in [0, 1]. */
  readonly unknownShare: number;
  readonly corporate?: CorporateSpec;
  readonly traps?: TrapSpec;
  /** Shares of engaged, passive and dormant readers among active mailboxes. @defaultValue 0.3 / 0.6 / 0.1 */
  readonly engagement?: Readonly<Record<Engagement, number>>;
  /** When the run starts, for turnover dates. */
  readonly startMs?: EpochMs;
}

export interface Population {
  /** The list the sender mails, in order. */
  readonly recipients: readonly string[];
  /** Which of them really exist. */
  readonly mailboxes: MailboxDirectory;
  /** How many do not (ground truth, for checks). */
  readonly unknownCount: number;
  /** The corporate domains and their gateways. */
  readonly tenants: readonly Tenant[];
}

const DEFAULT_ENGAGEMENT: Record<Engagement, number> = { engaged: 0.3, passive: 0.6, dormant: 0.1 };

export function generatePopulation(spec: PopulationSpec, rng: Rng): Population {
  if (spec.domains.length === 0) throw new RangeError('a population needs at least one domain');
  const size = spec.recipients;
  const corporate = spec.corporate;
  const tenants =
    corporate === undefined || corporate.tenants === 0
      ? []
      : generateTenants({ count: corporate.tenants, familyShares: corporate.familyShares ?? {} }, rng.fork('tenants'));
  const roles = assignRoles(size, spec, rng.fork('roles'));
  const unknownCount = roles.filter((role) => role === 'unknown').length;
  const isCorporate = chooseIndices(
    size,
    tenants.length > 0 ? Math.round((corporate?.share ?? 0) * size) : 0,
    rng.fork('corporate'),
  );
  const details = rng.fork('details');
  const startMs = spec.startMs ?? 0;
  const turnover = corporate?.annualTurnover ?? 0.25;
  const width = String(size).length;
  const recipients: string[] = [];
  const mailboxes = new MailboxDirectory();
  for (let index = 0; index < size; index++) {
    const role = roles[index] as Role;
    const local = `user${String(index + 1).padStart(width, '0')}`;
    let domain: string;
    if (role === 'typo') domain = TYPO_TRAP_DOMAINS[index % TYPO_TRAP_DOMAINS.length] as string;
    else if (isCorporate[index] === 1) domain = (tenants[index % tenants.length] as Tenant).domain;
    else domain = spec.domains[index % spec.domains.length] as string;
    const address = `${local}@${domain}`;
    recipients.push(address);
    const mailbox = mailboxFor(
      role,
      isCorporate[index] === 1,
      details,
      spec.engagement ?? DEFAULT_ENGAGEMENT,
      startMs,
      turnover,
    );
    if (mailbox !== null) mailboxes.set(address, mailbox);
  }
  return { recipients, mailboxes, unknownCount, tenants };
}

type Role = 'active' | 'unknown' | 'pristine' | 'recycled' | 'typo';

/** Exactly round(share × N) of each role, on disjoint indices. */
function assignRoles(size: number, spec: PopulationSpec, rng: Rng): Role[] {
  const order = shuffledIndices(size, rng);
  const roles: Role[] = new Array<Role>(size).fill('active');
  let next = 0;
  const take = (role: Role, share: number | undefined): void => {
    const count = Math.min(size - next, Math.round((share ?? 0) * size));
    for (let taken = 0; taken < count; taken++) roles[order[next++] as number] = role;
  };
  take('unknown', spec.unknownShare);
  take('pristine', spec.traps?.pristine);
  take('recycled', spec.traps?.recycled);
  take('typo', spec.traps?.typo);
  return roles;
}

function mailboxFor(
  role: Role,
  corporate: boolean,
  rng: Rng,
  engagement: Readonly<Record<Engagement, number>>,
  startMs: EpochMs,
  annualTurnover: number,
): Mailbox | null {
  if (role === 'unknown') return null;
  if (role !== 'active') return { status: 'trap', trap: role };
  const draw = rng.float() * (engagement.engaged + engagement.passive + engagement.dormant);
  const reader: Engagement =
    draw < engagement.engaged ? 'engaged' : draw < engagement.engaged + engagement.passive ? 'passive' : 'dormant';
  // Corporate turnover: a share of addresses dies within the year that starts with the run.
  if (corporate && rng.chance(annualTurnover))
    return { status: 'active', engagement: reader, removedAtMs: startMs + Math.floor(rng.float() * 365 * DAY_MS) };
  return { status: 'active', engagement: reader };
}

function shuffledIndices(size: number, rng: Rng): Int32Array {
  const order = new Int32Array(size);
  for (let index = 0; index < size; index++) order[index] = index;
  for (let slot = 0; slot < size - 1; slot++) {
    const pick = rng.int(slot, size - 1);
    const picked = order[pick] as number;
    order[pick] = order[slot] as number;
    order[slot] = picked;
  }
  return order;
}

/** Marks exactly `count` of `size` indices, chosen by a partial Fisher–Yates shuffle. */
function chooseIndices(size: number, count: number, rng: Rng): Uint8Array {
  const chosen = new Uint8Array(size);
  if (count === 0) return chosen;
  const order = shuffledIndices(size, rng);
  for (let slot = 0; slot < count; slot++) chosen[order[slot] as number] = 1;
  return chosen;
}
