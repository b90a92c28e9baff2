/**
 * Trap injection: new spamtraps joining the list mid-run are known to the world as traps, so
 * the receiver hosting them records trap hits and the sender's reputation falls; the draws are
 * seeded and touch no other stream.
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../../kernel/random/rng.ts';
import { buildFleet } from '../../../../sim/receivers/fleet.ts';
import { generatePopulation, TYPO_TRAP_DOMAINS } from '../../../../sim/world/population.ts';
import { TRAP_INJECTION_STREAM, addTraps } from '../../../../sim/world/trap-injection.ts';
import { openSession, sendOne } from '../../../support/dialogue.ts';
import { receiverWorld } from '../../../support/receiver-world.ts';

function population(seed = 'traps') {
  return generatePopulation(
    { recipients: 200, domains: ['gmail.com', 'orange.fr'], unknownShare: 0.05 },
    new Rng(seed).fork('population'),
  );
}

describe('addTraps', () => {
  test("makes new addresses at the list's consumer domains, known as traps of that kind, the same for the same seed", () => {
    const world = population();
    const traps = addTraps(
      world,
      { kind: 'pristine', count: 25 },
      new Rng('traps').fork(TRAP_INJECTION_STREAM).fork('0'),
    );
    expect(new Set(traps).size).toBe(25);
    for (const address of traps) {
      expect(world.recipients).not.toContain(address);
      expect(address).toMatch(/@(gmail\.com|orange\.fr)$/);
      expect(world.mailboxes.get(address)).toEqual({ status: 'trap', trap: 'pristine' });
    }
    expect(
      addTraps(population(), { kind: 'pristine', count: 25 }, new Rng('traps').fork(TRAP_INJECTION_STREAM).fork('0')),
    ).toEqual(traps);
    expect(
      addTraps(population(), { kind: 'pristine', count: 25 }, new Rng('other').fork(TRAP_INJECTION_STREAM).fork('0')),
    ).not.toEqual(traps);
  });

  test('typo traps live at the typo-trap network; a second injection never repeats an address', () => {
    const world = population();
    const rng = new Rng('traps').fork(TRAP_INJECTION_STREAM);
    const first = addTraps(world, { kind: 'typo', count: 300 }, rng.fork('0'));
    const second = addTraps(world, { kind: 'typo', count: 300 }, rng.fork('0'));
    expect(first.every((address) => TYPO_TRAP_DOMAINS.includes(address.slice(address.indexOf('@') + 1)))).toBe(true);
    expect(new Set([...first, ...second]).size).toBe(600);
    expect(world.mailboxes.get(second[0] as string)?.trap).toBe('typo');
  });

  test('bad requests say what is wrong', () => {
    const world = population();
    const rng = new Rng('x');
    expect(() => addTraps(world, { kind: 'typo', count: 1, domains: ['gmail.com'] }, rng)).toThrow(
      /typo traps live at .*not at gmail\.com/,
    );
    expect(() => addTraps(world, { kind: 'recycled', count: 0 }, rng)).toThrow(
      /trap count must be a whole number from 1 to 1000000 \(got 0\)/,
    );
    expect(() => addTraps(world, { kind: 'spare' as never, count: 1 }, rng)).toThrow(
      /trap kind must be one of pristine, recycled, typo/,
    );
  });
});

test("injected traps mailed at Gmail are recorded as trap hits and lower the sender's reputation", () => {
  const world = population();
  const { context } = receiverWorld({});
  const fleet = buildFleet({ ...context, mailboxes: world.mailboxes }, { limitsOff: true });
  const gmail = fleet.receiver('gmail');
  const traps = addTraps(
    world,
    { kind: 'recycled', count: 10, domains: ['gmail.com'] },
    new Rng('t').fork(TRAP_INJECTION_STREAM),
  );
  const ip = 'ip:127.0.0.2' as const;
  const before = gmail.reputationOf(ip, context.clock.now()).score;
  const session = openSession(gmail);
  for (const trap of traps) expect(sendOne(gmail, session, [trap]).data?.code).toBe(250);
  const hits = context.truth.all().filter((truth) => truth.cause === 'delivered-trap');
  expect(hits.map((truth) => truth.recipient)).toEqual(traps);
  expect(hits.every((truth) => truth.rule === 'gmail.trap.recycled')).toBe(true);
  expect(gmail.reputationOf(ip, context.clock.now()).score).toBeLessThan(before);
});
