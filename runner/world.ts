/**
 * Builds the simulated world a scenario describes: the recipients and which of them exist,
 * the receivers and their DNS, the truth log. Every part draws chance from its own fork of
 * the run's seed, so adding a part never shifts the draws of another.
 */
import type { ResolvedScenario } from '../scenarios/scenario.ts';
import type { Clock } from '../sim/clock/clock.ts';
import { DnsZone } from '../sim/dns/zone.ts';
import { Rng } from '../sim/random/rng.ts';
import { buildFleet } from '../sim/receivers/fleet.ts';
import type { Fleet } from '../sim/receivers/fleet.ts';
import { TruthRecorder } from '../sim/truth/truth-record.ts';
import { generatePopulation } from '../sim/world/population.ts';
import type { Population } from '../sim/world/population.ts';

export interface World {
  readonly rng: Rng;
  readonly dns: DnsZone;
  readonly truth: TruthRecorder;
  readonly population: Population;
  readonly fleet: Fleet;
}

export function buildWorld(scenario: ResolvedScenario, seed: string, clock: Clock): World {
  const rng = new Rng(seed);
  const dns = new DnsZone();
  const truth = new TruthRecorder();
  const population = generatePopulation(scenario.population, rng.fork('population'));
  const fleet = buildFleet(
    { clock, rng: rng.fork('receivers'), truth, dns, mailboxes: population.mailboxes },
    { limitsOff: scenario.receivers.limitsOff },
  );
  return { rng, dns, truth, population, fleet };
}
