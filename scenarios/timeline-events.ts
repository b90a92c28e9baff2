/**
 * The timeline's events as a scenario writes them (the `…Input` types: human durations and
 * rates) and as a run reads them (the `Resolved…` types: milliseconds and numbers). Reading and
 * checking one into the other is timeline.ts.
 */
import type { Milliseconds } from '../kernel/index.ts';
import type { TrapKind } from '../sim/index.ts';

/** A time or a length: a human duration ('2d', '1h 30m') or milliseconds. */
export type DurationInput = string | number;

/** Who a campaign mails: everyone, or the sender's engaged (or other) readers. */
export type Segment = 'all' | 'engaged' | 'unengaged';
export const SEGMENTS: readonly Segment[] = ['all', 'engaged', 'unengaged'];

export interface CampaignInput {
  readonly kind: 'campaign';
  /** @defaultValue 'campaign N' (its place in the timeline) */
  readonly name?: string;
  /** When it is sent, from the start of the run. */
  readonly at: DurationInput;
  /** How many messages; the segment is mailed in list order, cycling. @defaultValue the whole segment */
  readonly volume?: number;
  /** @defaultValue 'all' */
  readonly segment?: Segment;
  /** Spread the injection evenly over this long. @defaultValue at once (unless `rate`) */
  readonly over?: DurationInput;
  /** Inject at this rate instead ('20000/h'). */
  readonly rate?: string;
  /** The tenant (customer) that sends it: its pool under `sender.tenants`. @defaultValue none */
  readonly tenant?: string;
}

export interface RampInput {
  readonly kind: 'ramp';
  /** @defaultValue 'ramp' */
  readonly name?: string;
  /** The first day's send, from the start of the run. */
  readonly from: DurationInput;
  /** The last day's send (inclusive). */
  readonly to: DurationInput;
  /** The first day's volume, as a daily rate ('5000/d'). */
  readonly start: string;
  /** The last day's volume, as a daily rate ('1000000/d'). */
  readonly end: string;
  /** @defaultValue 'geometric' */
  readonly growth?: 'geometric' | 'linear';
  /** How long each day's send is spread over. @defaultValue '12h' */
  readonly over?: DurationInput;
  /** @defaultValue 'all' */
  readonly segment?: Segment;
  readonly tenant?: string;
}

export interface SpikeInput {
  readonly kind: 'spike';
  readonly at: DurationInput;
  /** @defaultValue '1d' */
  readonly for?: DurationInput;
  /** The sends inside the window are multiplied by this (10 for ten times the volume). */
  readonly factor: number;
}

export interface TrapInjectionInput {
  readonly kind: 'trap-injection';
  readonly at: DurationInput;
  readonly trapKind: TrapKind;
  /** How many traps join the list. */
  readonly count: number;
}

export interface PolicyChangeInput {
  readonly kind: 'policy-change';
  readonly at: DurationInput;
  /** A provider or gateway family id ('gmail', 'orange', 'mimecast'). */
  readonly receiver: string;
  /** What changes; the keys the receivers honour are listed in the error for an unknown key. */
  readonly change: Readonly<Record<string, unknown>>;
}

export interface OutageInput {
  readonly kind: 'outage';
  readonly at: DurationInput;
  readonly for: DurationInput;
  readonly receiver: string;
  /** @defaultValue 'connect-421' */
  readonly mode?: 'connect-421' | 'tempfail';
}

export interface PauseInput {
  readonly kind: 'pause';
  readonly at: DurationInput;
  readonly for: DurationInput;
}

export type TimelineEventInput =
  CampaignInput | RampInput | SpikeInput | TrapInjectionInput | PolicyChangeInput | OutageInput | PauseInput;
export type TimelineKind = TimelineEventInput['kind'];

/** The resolved events: every time in milliseconds from the run's start, every rate a number. */
export type ResolvedCampaign = {
  readonly kind: 'campaign';
  readonly name: string;
  readonly atMs: Milliseconds;
  readonly volume: number | null;
  readonly segment: Segment;
  readonly overMs: Milliseconds;
  readonly tenant: string | null;
};
export type ResolvedRamp = {
  readonly kind: 'ramp';
  readonly name: string;
  readonly fromMs: Milliseconds;
  readonly toMs: Milliseconds;
  readonly startPerDay: number;
  readonly endPerDay: number;
  readonly growth: 'geometric' | 'linear';
  readonly overMs: Milliseconds;
  readonly segment: Segment;
  readonly tenant: string | null;
};
export type ResolvedSpike = {
  readonly kind: 'spike';
  readonly atMs: Milliseconds;
  readonly forMs: Milliseconds;
  readonly factor: number;
};
export type ResolvedTrapInjection = {
  readonly kind: 'trap-injection';
  readonly atMs: Milliseconds;
  readonly trapKind: TrapKind;
  readonly count: number;
};
export type ResolvedPolicyChange = {
  readonly kind: 'policy-change';
  readonly atMs: Milliseconds;
  readonly receiver: string;
  readonly change: Readonly<Record<string, unknown>>;
};
export type ResolvedOutage = {
  readonly kind: 'outage';
  readonly atMs: Milliseconds;
  readonly forMs: Milliseconds;
  readonly receiver: string;
  readonly mode: 'connect-421' | 'tempfail';
};
export type ResolvedPause = { readonly kind: 'pause'; readonly atMs: Milliseconds; readonly forMs: Milliseconds };
export type ResolvedTimelineEvent =
  | ResolvedCampaign
  | ResolvedRamp
  | ResolvedSpike
  | ResolvedTrapInjection
  | ResolvedPolicyChange
  | ResolvedOutage
  | ResolvedPause;
