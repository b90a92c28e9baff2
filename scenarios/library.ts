/** The built-in scenarios, by name: what `mailbench run <name>` and `mailbench list` know. */
import type { ScenarioInput } from './scenario.ts';
import b2bBogusBounces from './b2b-bogus-bounces.ts';
import fleetTour from './fleet-tour.ts';
import smoke from './smoke.ts';

export const SCENARIO_LIBRARY: Readonly<Record<string, ScenarioInput>> = {
  smoke,
  'fleet-tour': fleetTour,
  'b2b-bogus-bounces': b2bBogusBounces,
};

export function findScenario(name: string): ScenarioInput | undefined {
  return Object.hasOwn(SCENARIO_LIBRARY, name) ? SCENARIO_LIBRARY[name] : undefined;
}
