/** The built-in scenarios, by name: what `mailbench run <name>` and `mailbench list` know. */
import type { ScenarioInput } from './scenario.ts';
import b2bBogusBounces from './b2b-bogus-bounces.ts';
import fleetTour from './fleet-tour.ts';
import smoke from './smoke.ts';
import warmup30d from './warmup-30d.ts';
import blackFridaySpike from './black-friday-spike.ts';
import authBreak from './auth-break.ts';
import gridGraduation from './grid-graduation.ts';
import euIspThroughput from './eu-isp-throughput.ts';
import listAudit from './list-audit.ts';
import spamtrapHit from './spamtrap-hit.ts';
import ispOutageAndGreylist from './isp-outage-and-greylist.ts';
import faultSoak from './fault-soak.ts';

export const SCENARIO_LIBRARY: Readonly<Record<string, ScenarioInput>> = {
  smoke,
  'fleet-tour': fleetTour,
  'b2b-bogus-bounces': b2bBogusBounces,
  'warmup-30d': warmup30d,
  'black-friday-spike': blackFridaySpike,
  'auth-break': authBreak,
  'grid-graduation': gridGraduation,
  'eu-isp-throughput': euIspThroughput,
  'list-audit': listAudit,
  'spamtrap-hit': spamtrapHit,
  'isp-outage-and-greylist': ispOutageAndGreylist,
  'fault-soak': faultSoak,
};

export function findScenario(name: string): ScenarioInput | undefined {
  return Object.hasOwn(SCENARIO_LIBRARY, name) ? SCENARIO_LIBRARY[name] : undefined;
}
