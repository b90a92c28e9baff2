/**
 * A scenario's timeline expanded into what will happen: every send with its time and volume
 * (ramps unrolled day by day, spikes multiplied in, sends held by a pause moved to its end)
 * and every incident. `mailbench plan` prints it before a run; the runner injects from it, so
 * what the plan shows is what the run does.
 */
import { DAY_MS } from '../kernel/index.ts';
import type { Milliseconds } from '../kernel/index.ts';
import type { ResolvedScenario } from './scenario.ts';
import type {
  ResolvedOutage,
  ResolvedPause,
  ResolvedPolicyChange,
  ResolvedRamp,
  ResolvedTrapInjection,
  Segment,
} from './timeline.ts';

export interface PlannedSend {
  readonly campaign: string;
  /** From the start of the run. */
  readonly atMs: Milliseconds;
  /** How many messages; null: the whole segment as it stands when the send starts. */
  readonly volume: number | null;
  /** Spikes over this send, multiplied (1 without). A whole-segment send mails the segment this many times over. */
  readonly multiplier: number;
  readonly segment: Segment;
  readonly overMs: Milliseconds;
  readonly tenant: string | null;
  /** Held by a pause from this time (the time it was planned for). */
  readonly heldFromMs?: Milliseconds;
}

export type PlannedIncident = ResolvedTrapInjection | ResolvedPolicyChange | ResolvedOutage | ResolvedPause;

export interface ScenarioPlan {
  readonly sends: readonly PlannedSend[];
  readonly incidents: readonly PlannedIncident[];
}

/** The send of a scenario without sends in its timeline: everyone, once, when the run starts. */
const WHOLE_LIST_AT_START: PlannedSend = {
  campaign: 'main',
  atMs: 0,
  volume: null,
  multiplier: 1,
  segment: 'all',
  overMs: 0,
  tenant: null,
};

export function expandPlan(scenario: ResolvedScenario): ScenarioPlan {
  const timeline = scenario.timeline;
  const planned: PlannedSend[] = [];
  for (const event of timeline) {
    if (event.kind === 'campaign')
      planned.push({
        campaign: event.name,
        atMs: event.atMs,
        volume: event.volume,
        multiplier: 1,
        segment: event.segment,
        overMs: event.overMs,
        tenant: event.tenant,
      });
    if (event.kind === 'ramp') planned.push(...unrollRamp(event));
  }
  if (planned.length === 0) planned.push(WHOLE_LIST_AT_START);
  const pauses = timeline.filter((event): event is ResolvedPause => event.kind === 'pause');
  const sends = planned
    .map((send) => {
      const multiplier = timeline.reduce(
        (product, event) =>
          event.kind === 'spike' && send.atMs >= event.atMs && send.atMs < event.atMs + event.forMs
            ? product * event.factor
            : product,
        1,
      );
      const spiked =
        multiplier === 1
          ? send
          : { ...send, multiplier, volume: send.volume === null ? null : Math.round(send.volume * multiplier) };
      return holdForPauses(spiked, pauses);
    })
    .sort((a, b) => a.atMs - b.atMs);
  const incidents = timeline
    .filter(
      (event): event is PlannedIncident =>
        event.kind === 'trap-injection' ||
        event.kind === 'policy-change' ||
        event.kind === 'outage' ||
        event.kind === 'pause',
    )
    .sort((a, b) => a.atMs - b.atMs);
  return { sends, incidents };
}

/** A send due inside a pause goes out when the pause ends (the last one, if pauses chain). */
function holdForPauses(send: PlannedSend, pauses: readonly ResolvedPause[]): PlannedSend {
  let atMs = send.atMs;
  for (let moved = true; moved;) {
    moved = false;
    for (const pause of pauses) {
      if (atMs >= pause.atMs && atMs < pause.atMs + pause.forMs) {
        atMs = pause.atMs + pause.forMs;
        moved = true;
      }
    }
  }
  return atMs === send.atMs ? send : { ...send, atMs, heldFromMs: send.atMs };
}

/** One send a day from `from` to `to` inclusive, the volume growing geometrically or linearly. */
export function unrollRamp(ramp: ResolvedRamp): PlannedSend[] {
  const days = Math.floor((ramp.toMs - ramp.fromMs) / DAY_MS) + 1;
  return Array.from({ length: days }, (_, day) => {
    const progress = days === 1 ? 1 : day / (days - 1);
    const volume =
      ramp.growth === 'linear'
        ? ramp.startPerDay + (ramp.endPerDay - ramp.startPerDay) * progress
        : ramp.startPerDay * (ramp.endPerDay / ramp.startPerDay) ** progress;
    return {
      campaign: `${ramp.name} ${day + 1}/${days}`,
      atMs: ramp.fromMs + day * DAY_MS,
      volume: Math.max(1, Math.round(volume)),
      multiplier: 1,
      segment: ramp.segment,
      overMs: ramp.overMs,
      tenant: ramp.tenant,
    };
  });
}

/** Total planned messages, counting a whole-segment send as the list's size (an upper bound). */
export function plannedVolume(plan: ScenarioPlan, listSize: number): number {
  return plan.sends.reduce((total, send) => total + (send.volume ?? listSize * send.multiplier), 0);
}
