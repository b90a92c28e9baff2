/**
 * The timeline's incidents handed to the world before the run starts: outages and policy
 * changes are scheduled on the receivers (each takes effect at its own time on the run's
 * clock), and injected traps are made now — known to the world as traps from the start, on the
 * sender's list only from their time (runner/injection-schedule.ts adds them there).
 */
import type { ResolvedScenario, ResolvedTrapInjection } from '../scenarios/index.ts';
import type { EpochMs } from '../kernel/index.ts';
import { addTraps, TRAP_INJECTION_STREAM } from '../sim/index.ts';
import type { InjectedTraps } from './injection-schedule.ts';
import type { World } from './world.ts';

export function applyIncidents(scenario: ResolvedScenario, world: World, startMs: EpochMs): InjectedTraps {
  const traps = new Map<ResolvedTrapInjection, readonly string[]>();
  scenario.timeline.forEach((event, index) => {
    switch (event.kind) {
      case 'outage':
        world.fleet.incidents.scheduleOutage({
          receiver: event.receiver,
          fromMs: startMs + event.atMs,
          untilMs: startMs + event.atMs + event.forMs,
          mode: event.mode,
        });
        return;
      case 'policy-change':
        world.fleet.incidents.changePolicy({
          receiver: event.receiver,
          atMs: startMs + event.atMs,
          change: event.change,
        });
        return;
      case 'trap-injection':
        // One stream per event, by its place in the timeline: adding an event never moves another's traps.
        traps.set(
          event,
          addTraps(
            world.population,
            { kind: event.trapKind, count: event.count },
            world.rng.fork(TRAP_INJECTION_STREAM).fork(String(index)),
          ),
        );
        return;
      // Sends and pauses are the sender's side: the injection schedule and the engine take them.
      case 'campaign':
      case 'ramp':
      case 'spike':
      case 'pause':
        return;
    }
  });
  return traps;
}
