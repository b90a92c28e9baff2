/**
 * When the sender hands which recipients to the engine: the scenario's timeline expanded into
 * batches (one campaign send, or one slice of a send spread over hours). Batches carry
 * recipients, not message texts: a 30-day warm-up mails millions, so a text is written only
 * when its batch is due (`messagesOf`).
 *
 * Every driver of a run uses this: the reference engine in both modes and the adapters of other
 * MTAs, so all of them see the same sends at the same simulated times.
 */
import { MINUTE_MS } from '../kernel/index.ts';
import type { EpochMs } from '../kernel/index.ts';
import { auditList, zoneResolver } from '../mta-under-test/index.ts';
import { expandPlan } from '../scenarios/index.ts';
import type { ResolvedScenario, ResolvedTrapInjection, Segment } from '../scenarios/index.ts';
import { buildMessage } from './message.ts';
import type { World } from './world.ts';

export interface InjectionBatch {
  /** When the sender injects it, on the run's clock. */
  readonly atMs: EpochMs;
  /** The campaign it belongs to (reports group by it). */
  readonly campaign: string;
  /** The tenant that sends it, if the scenario names one. */
  readonly tenant: string | null;
  readonly recipients: readonly string[];
  /** The sequence number of its first message; unique across the run. */
  readonly firstSequence: number;
}

export interface BatchMessage {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly data: string;
  readonly campaign: string;
  readonly tenant: string | null;
}

/** A send spread over time is injected in slices this far apart. */
export const SLICE_MS = 15 * MINUTE_MS;

/** The addresses a trap injection adds to the list (the world made them traps). */
export type InjectedTraps = ReadonlyMap<ResolvedTrapInjection, readonly string[]>;

/**
 * The run's batches in time order, from the scenario's expanded plan. A send takes the next
 * addresses of its segment in list order and wraps around, so a daily send of 50,000 to a list
 * of 200,000 mails everyone every four days; a whole-segment send takes the segment as it
 * stands then (traps injected before it included).
 */
export function injectionBatches(
  scenario: ResolvedScenario,
  world: World,
  startMs: EpochMs,
  injectedTraps: InjectedTraps = new Map(),
): readonly InjectionBatch[] {
  const plan = expandPlan(scenario);
  const segments = new SegmentLists(world, startMs, scenario.sender.auditList);
  const joins = [...injectedTraps].sort(([a], [b]) => a.atMs - b.atMs);
  const batches: InjectionBatch[] = [];
  let sequence = 1;
  for (const send of plan.sends) {
    while (joins.length > 0 && (joins[0]?.[0].atMs ?? Infinity) <= send.atMs) segments.add(joins.shift()?.[1] ?? []);
    const size = segments.size(send.segment);
    if (size === 0) continue;
    const volume = send.volume ?? Math.round(size * send.multiplier);
    const recipients = segments.take(send.segment, volume);
    const slices = Math.max(1, Math.min(recipients.length, Math.ceil(send.overMs / SLICE_MS)));
    for (let slice = 0; slice < slices; slice++) {
      const from = Math.floor((slice * recipients.length) / slices);
      const to = Math.floor(((slice + 1) * recipients.length) / slices);
      if (to === from) continue;
      batches.push({
        atMs: startMs + send.atMs + slice * SLICE_MS,
        campaign: send.campaign,
        tenant: send.tenant,
        recipients: recipients.slice(from, to),
        firstSequence: sequence,
      });
      sequence += to - from;
    }
  }
  return batches.sort((a, b) => a.atMs - b.atMs || a.firstSequence - b.firstSequence);
}

/** The sender's list split by segment, each with a cursor that wraps. */
class SegmentLists {
  private readonly lists: Record<Segment, string[]>;
  private readonly cursors: Record<Segment, number> = { all: 0, engaged: 0, unengaged: 0 };

  constructor(world: World, startMs: EpochMs, audited: boolean) {
    const all = audited ? auditedList(world) : [...world.population.recipients];
    // The sender's engaged segment: its readers who open and click (its own engagement data).
    const engaged = all.filter((address) => world.population.mailboxes.get(address, startMs)?.engagement === 'engaged');
    const engagedSet = new Set(engaged);
    this.lists = { all, engaged, unengaged: all.filter((address) => !engagedSet.has(address)) };
  }

  /** Addresses that join the list (never engaged readers). */
  add(addresses: readonly string[]): void {
    this.lists.all.push(...addresses);
    this.lists.unengaged.push(...addresses);
  }

  size(segment: Segment): number {
    return this.lists[segment].length;
  }

  take(segment: Segment, count: number): string[] {
    const list = this.lists[segment];
    const taken: string[] = [];
    let cursor = this.cursors[segment];
    for (let index = 0; index < count; index++) {
      taken.push(list[cursor] as string);
      cursor = (cursor + 1) % list.length;
    }
    this.cursors[segment] = cursor;
    return taken;
  }
}

/**
 * What the sender's list audit keeps, the MX checks answered by the world's DNS (as
 * `mailbench audit --scenario` does). Traps that join the list later are not audited: they come
 * from a partner's list merged in after the audit.
 */
function auditedList(world: World): string[] {
  const resolver = zoneResolver(world.dns, () => undefined);
  return [...auditList(world.population.recipients, { resolver }).cleaned];
}

/** One message per recipient of a batch, dated when it is written. */
export function messagesOf(
  batch: InjectionBatch,
  scenario: ResolvedScenario,
  world: World,
  seed: string,
  dateMs: EpochMs,
): BatchMessage[] {
  const mailFrom = scenario.sender.mailFrom;
  return batch.recipients.map((recipient, index) => ({
    mailFrom,
    recipients: [recipient],
    data: buildMessage({ from: world.sender.from, to: recipient, dateMs, sequence: batch.firstSequence + index, seed }),
    campaign: batch.campaign,
    tenant: batch.tenant,
  }));
}
