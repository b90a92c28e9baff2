/**
 * Trap injection: spamtraps join the list the sender mails in the middle of a run, as when a
 * co-registration partner's list is merged in. The world learns them as traps (the mailbox
 * directory), so the receivers hosting their domains accept them, record `delivered-trap` and
 * lower the sender's reputation; the sender only gets the addresses, to mail with the rest.
 *
 * - pristine: never a person's address (harvested from web pages), at consumer domains;
 * - recycled: a dead person's address the provider revived as a trap, at consumer domains;
 * - typo: a misspelt consumer domain's catch-all (TYPO_TRAP_DOMAINS, the typo-trap network).
 */
import { domainOf } from '../../kernel/index.ts';
import type { Rng } from '../../kernel/index.ts';
import type { TrapKind } from './mailboxes.ts';
import type { Population } from './population.ts';
import { TYPO_TRAP_DOMAINS } from './population.ts';

/** The name of the world stream injections draw from; no other part of the world uses it. */
export const TRAP_INJECTION_STREAM = 'trap-injection';
export const TRAP_KINDS: readonly TrapKind[] = ['pristine', 'recycled', 'typo'];
const MAX_INJECTED = 1_000_000;
/** Redraws allowed per address before giving up on finding a new one. */
const MAX_DRAWS = 1_000;

export interface TrapInjection {
  readonly kind: TrapKind;
  readonly count: number;
  /**
   * Domains the traps are at. @defaultValue typo: TYPO_TRAP_DOMAINS; pristine and recycled: the
   * consumer domains of the list (neither typo domains nor corporate tenants)
   */
  readonly domains?: readonly string[];
}

/** People's names, for recycled and typo traps that once looked like a person's address. @assumption */
const FIRST_NAMES = [
  'marie',
  'jean',
  'anna',
  'thomas',
  'julia',
  'lukas',
  'sophie',
  'pierre',
  'laura',
  'marco',
  'eva',
  'jan',
];
const LAST_NAMES = [
  'martin',
  'muller',
  'rossi',
  'nowak',
  'bernard',
  'schmidt',
  'dubois',
  'novak',
  'ferrari',
  'kowalski',
  'weber',
  'petit',
];

/**
 * Makes `count` new trap addresses of a kind, known to the world from now on, and returns them
 * in the order drawn. `rng` should be a fork of the world's stream named TRAP_INJECTION_STREAM
 * (and per injection, e.g. `.fork('3')` for the timeline's fourth event), so injections never
 * shift the draws of the population, the receivers or the sender.
 */
export function addTraps(population: Population, injection: TrapInjection, rng: Rng): string[] {
  if (!TRAP_KINDS.includes(injection.kind))
    throw new RangeError(`trap kind must be one of ${TRAP_KINDS.join(', ')} (got ${JSON.stringify(injection.kind)})`);
  if (!Number.isInteger(injection.count) || injection.count < 1 || injection.count > MAX_INJECTED) {
    throw new RangeError(`trap count must be a whole number from 1 to ${MAX_INJECTED} (got ${injection.count})`);
  }
  const domains = domainsFor(population, injection);
  const listed = new Set(population.recipients.map((address) => address.toLowerCase()));
  const made: string[] = [];
  for (let index = 0; index < injection.count; index++) {
    const address = drawNewAddress(
      injection.kind,
      domains,
      rng,
      (candidate) => !listed.has(candidate) && population.mailboxes.get(candidate) === undefined,
    );
    population.mailboxes.set(address, { status: 'trap', trap: injection.kind });
    listed.add(address);
    made.push(address);
  }
  return made;
}

function drawNewAddress(
  kind: TrapKind,
  domains: readonly string[],
  rng: Rng,
  isNew: (address: string) => boolean,
): string {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const address = `${localPart(kind, rng)}@${rng.pick(domains)}`;
    if (isNew(address)) return address;
  }
  throw new RangeError(`could not find a new ${kind} trap address at ${domains.join(', ')} after ${MAX_DRAWS} draws`);
}

function domainsFor(population: Population, injection: TrapInjection): readonly string[] {
  const given = injection.domains?.map((domain) => domain.toLowerCase());
  if (injection.kind === 'typo') {
    const stray = (given ?? []).filter((domain) => !TYPO_TRAP_DOMAINS.includes(domain));
    if (stray.length > 0)
      throw new RangeError(
        `typo traps live at the typo-trap network's domains (${TYPO_TRAP_DOMAINS.join(', ')}); not at ${stray.join(', ')}`,
      );
    return given !== undefined && given.length > 0 ? given : TYPO_TRAP_DOMAINS;
  }
  if (given !== undefined && given.length > 0) return given;
  const corporate = new Set(population.tenants.map((tenant) => tenant.domain));
  const consumer = [...new Set(population.recipients.map((address) => domainOf(address)))].filter(
    (domain) => !corporate.has(domain) && !TYPO_TRAP_DOMAINS.includes(domain),
  );
  if (consumer.length === 0)
    throw new RangeError(`${injection.kind} traps need consumer domains: the list has none, give 'domains'`);
  return consumer;
}

function localPart(kind: TrapKind, rng: Rng): string {
  if (kind === 'pristine') return `${rng.pick(['info', 'contact', 'webmaster', 'sales', 'news'])}.${rng.token(8)}`;
  const person = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`;
  return kind === 'recycled' ? `${person}${rng.int(1, 99)}` : person + (rng.chance(0.5) ? '' : String(rng.int(1, 99)));
}
