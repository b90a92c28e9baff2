/**
 * Builds the report's time series (reports/series.ts) from the same two streams the run
 * collector reads: the sender's accounting records and the receivers' truth records. Like the
 * run collector it is a checker in TigerBeetle's sense: it observes and never steers. It
 * schedules nothing and settles no receiver; it reads reputation through `reputationOf`, which
 * computes a view and changes no state.
 *
 * Reputation is sampled at every hour boundary of the run clock the first time an event at or
 * past that boundary arrives, before the event is counted (the receiver writes its truth before
 * it applies the event's reputation signal), and at the run's end for the hours no event
 * crossed. Sampling on events rather than on timers is what keeps the observer from steering:
 * a timer of its own would change when the scheduler goes idle.
 */
import type { AccountingRecord, DecisionRecord } from '../mta-under-test/index.ts';
import { decisionOf } from './series-decision.ts';
import type {
  PostmasterBand,
  ReceiverSeries,
  ReputationTrack,
  RunSeries,
  SeriesDecision,
  SeriesDecisionKind,
  SndsColour,
} from '../reports/index.ts';
import { DAY_MS, domainOf, HOUR_MS } from '../kernel/index.ts';
import type { EpochMs } from '../kernel/index.ts';
import {
  GATEWAY_FAMILY_LIST,
  PROVIDER_PROFILES,
  REPUTATION_BANDS,
  reputationBand,
  scaleLabel,
  TYPO_TRAP_NETWORK,
} from '../sim/index.ts';
import type { ReceiverIdentity, ReputationScale, ReputationView, TruthRecord } from '../sim/index.ts';

/**
 * The series lists this many decisions of each kind and only counts the rest (a limit on
 * everything): a B2B run can log thousands of suspensions, and each costs a line of JSON.
 */
export const SERIES_DECISIONS_MAX_PER_KIND = 1_000;
/** Where an event goes whose receiver the fleet cannot name (a domain no receiver hosts). */
const UNROUTED = 'unrouted';

/** What the collector needs of the world's fleet: identities, reputation views, MX lookup. */
export interface SeriesFleet {
  readonly receivers: readonly (ReputationView & { readonly identity: Pick<ReceiverIdentity, 'id' | 'domains'> })[];
  receiverForMxHost(mxHost: string): { readonly identity: Pick<ReceiverIdentity, 'id'> } | undefined;
}

export interface SeriesCollectorOptions {
  /** The run clock at the start (bucket 0 starts here). */
  readonly startMs: EpochMs;
  readonly fleet: SeriesFleet;
  /** The sender's sending IPs by name (`scenario.sender.sources`). */
  readonly sources: readonly { readonly name: string; readonly sourceIp: string }[];
}

type CountName =
  'attempted' | 'delivered' | 'deferred' | 'bounced' | 'expired' | 'inbox' | 'spam' | 'discarded' | 'trap';
const COUNT_NAMES: readonly CountName[] = [
  'attempted',
  'delivered',
  'deferred',
  'bounced',
  'expired',
  'inbox',
  'spam',
  'discarded',
  'trap',
];

interface Sample {
  readonly score: number;
  readonly band: PostmasterBand;
}

export class SeriesCollector {
  private readonly counts = new Map<string, Record<CountName, HourlyCounts>>();
  private readonly receiverOfDomain = new Map<string, string>();
  /** Per `sourceIp receiver`, one sample per hour boundary (index h: the end of hour h). */
  private readonly samples = new Map<string, Sample[]>();
  private readonly decisions: SeriesDecision[] = [];
  private decisionsDropped = 0;
  private readonly decisionCounts: Record<SeriesDecisionKind, HourlyCounts> = {
    Throttle: new HourlyCounts(),
    Suspend: new HourlyCounts(),
    Resume: new HourlyCounts(),
    Policy: new HourlyCounts(),
  };
  private readonly decisionsListed: Record<SeriesDecisionKind, number> = {
    Throttle: 0,
    Suspend: 0,
    Resume: 0,
    Policy: 0,
  };
  /** The next hour boundary to sample, as an hour count from the start (1: the end of hour 0). */
  private nextBoundary = 1;

  constructor(private readonly options: SeriesCollectorOptions) {
    for (const receiver of options.fleet.receivers) {
      for (const domain of receiver.identity.domains)
        this.receiverOfDomain.set(domain.toLowerCase(), receiver.identity.id);
    }
  }

  readonly onTruth = (truth: TruthRecord): void => {
    this.crossBoundaries(truth.atMs);
    // Mail accepted now and bounced later was never placed anywhere; its bounce counts instead.
    if (truth.later !== undefined) return;
    const place = PLACEMENT_OF_CAUSE[truth.cause];
    if (place !== undefined) this.count(truth.receiver, place, truth.atMs);
  };

  readonly onAccounting = (record: AccountingRecord): void => {
    this.crossBoundaries(record.atMs);
    switch (record.type) {
      case 'Delivery':
      case 'TransientFailure':
      case 'Bounce': {
        const receiver =
          this.options.fleet.receiverForMxHost(record.mxHost)?.identity.id ??
          this.receiverOfRecipient(record.recipient);
        this.count(receiver, 'attempted', record.atMs);
        this.count(
          receiver,
          record.type === 'Delivery' ? 'delivered' : record.type === 'Bounce' ? 'bounced' : 'deferred',
          record.atMs,
        );
        return;
      }
      case 'AdminBounce':
        this.count(this.receiverOfRecipient(record.recipient), 'bounced', record.atMs);
        return;
      case 'Expiration':
        this.count(this.receiverOfRecipient(record.recipient), 'expired', record.atMs);
        return;
      case 'Throttle':
      case 'Suspend':
      case 'Resume':
      case 'Policy':
        this.addDecision(record);
        return;
      case 'Reception':
      case 'AsyncBounce':
      case 'Feedback':
      case 'Suppression':
        return;
    }
  };

  /** The series of the run that ended at `endMs`: rolled up to hours or days, keys sorted. */
  series(endMs: EpochMs): RunSeries {
    const { startMs } = this.options;
    const { bucketWidthMs, bucketCount, hoursPerBucket, hourCount } = bucketingOf(endMs - startMs);
    this.crossBoundaries(Math.min(endMs, startMs + (hourCount - 1) * HOUR_MS));
    this.sampleAll(hourCount - 1, endMs);
    const endHours = bucketEndHours(hoursPerBucket, bucketCount, hourCount);
    const roll = (counts: HourlyCounts): number[] => counts.rollUp(hoursPerBucket, bucketCount);
    const receivers: Record<string, ReceiverSeries> = {};
    for (const id of [...this.counts.keys()].sort()) {
      const own = this.counts.get(id) as Record<CountName, HourlyCounts>;
      receivers[id] = {
        attempted: roll(own.attempted),
        delivered: roll(own.delivered),
        deferred: roll(own.deferred),
        bounced: roll(own.bounced),
        expired: roll(own.expired),
        placement: {
          inbox: roll(own.inbox),
          spam: roll(own.spam),
          discarded: roll(own.discarded),
          trap: roll(own.trap),
        },
      };
    }
    return {
      bucketWidthMs,
      firstBucketStartMs: startMs,
      bucketCount,
      receivers,
      bandFloors: BAND_FLOORS,
      reputation: this.tracks(endHours),
      decisions: [...this.decisions].sort((a, b) => a.atMs - b.atMs),
      decisionsDropped: this.decisionsDropped,
      decisionsPerBucket: {
        Throttle: roll(this.decisionCounts.Throttle),
        Suspend: roll(this.decisionCounts.Suspend),
        Resume: roll(this.decisionCounts.Resume),
        Policy: roll(this.decisionCounts.Policy),
      },
    };
  }

  /** Tracks for the receivers the run met, one point per bucket end. */
  private tracks(endHours: readonly number[]): ReputationTrack[] {
    const tracks: ReputationTrack[] = [];
    const sources = [...this.options.sources].sort(
      (a, b) => a.sourceIp.localeCompare(b.sourceIp) || a.name.localeCompare(b.name),
    );
    const met = [...this.counts.keys()].filter((id) => id !== UNROUTED).sort();
    for (const source of sources) {
      for (const receiver of met) {
        const samples = this.samples.get(`${source.sourceIp} ${receiver}`);
        if (samples === undefined) continue;
        const points = endHours.map((hour) => samples[hour] ?? (samples[samples.length - 1] as Sample));
        const band = points.map((point) => point.band);
        const scale = SCALE_OF_RECEIVER.get(receiver) ?? 'generic';
        tracks.push({
          sourceIp: source.sourceIp,
          source: source.name,
          receiver,
          score: points.map((point) => point.score),
          band,
          ...(scale === 'snds' ? { snds: band.map((each) => scaleLabel('snds', each) as SndsColour) } : {}),
        });
      }
    }
    return tracks;
  }

  /** Samples every hour boundary up to `atMs` that no earlier event crossed. */
  private crossBoundaries(atMs: EpochMs): void {
    const { startMs } = this.options;
    const reached = hourOf(atMs, startMs);
    while (this.nextBoundary <= reached) {
      this.sampleAll(this.nextBoundary - 1, startMs + this.nextBoundary * HOUR_MS);
      this.nextBoundary++;
    }
  }

  /** Stores, as the sample for the end of `hour`, every receiver's view of every sending IP at `atMs`. */
  private sampleAll(hour: number, atMs: EpochMs): void {
    for (const receiver of this.options.fleet.receivers) {
      for (const source of this.options.sources) {
        const key = `${source.sourceIp} ${receiver.identity.id}`;
        let samples = this.samples.get(key);
        if (samples === undefined) {
          samples = [];
          this.samples.set(key, samples);
        }
        const { score, band } = receiver.reputationOf(`ip:${source.sourceIp}`, atMs);
        samples[hour] = { score: Math.round(score * 1000) / 1000, band };
      }
    }
  }

  private count(receiver: string, name: CountName, atMs: EpochMs): void {
    let own = this.counts.get(receiver);
    if (own === undefined) {
      own = Object.fromEntries(COUNT_NAMES.map((each) => [each, new HourlyCounts()])) as Record<
        CountName,
        HourlyCounts
      >;
      this.counts.set(receiver, own);
    }
    own[name].add(hourOf(atMs, this.options.startMs));
  }

  private receiverOfRecipient(recipient: string): string {
    const domain = domainOf(recipient);
    return this.receiverOfDomain.get(domain) ?? UNROUTED;
  }

  private addDecision(record: DecisionRecord): void {
    this.decisionCounts[record.type].add(hourOf(record.atMs, this.options.startMs));
    if (this.decisionsListed[record.type] >= SERIES_DECISIONS_MAX_PER_KIND) {
      this.decisionsDropped++;
      return;
    }
    this.decisionsListed[record.type]++;
    this.decisions.push(decisionOf(record));
  }
}

const PLACEMENT_OF_CAUSE: Partial<Record<TruthRecord['cause'], CountName>> = {
  'delivered-inbox': 'inbox',
  'delivered-spam': 'spam',
  discarded: 'discarded',
  'delivered-trap': 'trap',
};

/** Which receivers speak SNDS: from the profiles' own `reputationScale`. */
const SCALE_OF_RECEIVER: ReadonlyMap<string, ReputationScale> = new Map([
  ...PROVIDER_PROFILES.map((profile) => [profile.id, profile.reputationScale] as const),
  ...GATEWAY_FAMILY_LIST.map((family) => [family.id as string, family.profile.reputationScale] as const),
  [TYPO_TRAP_NETWORK.id, TYPO_TRAP_NETWORK.reputationScale] as const,
]);

/**
 * The band floors, read off the model's own `reputationBand` by bisection rather than copied,
 * so the report's band shading can never drift from the bands the receivers act on.
 */
export const BAND_FLOORS: RunSeries['bandFloors'] = REPUTATION_BANDS.map((band) => {
  if (band === REPUTATION_BANDS[0]) return { band, scoreMin: 0 };
  let low = 0;
  let high = 1;
  const rank = REPUTATION_BANDS.indexOf(band);
  for (let step = 0; step < 40; step++) {
    const middle = (low + high) / 2;
    if (REPUTATION_BANDS.indexOf(reputationBand(middle)) >= rank) high = middle;
    else low = middle;
  }
  return { band, scoreMin: Math.round(high * 1000) / 1000 };
});

// Buckets. The collector counts every event into its hour while the run goes; only at the end
// does it know how long the run was, and so whether the report's buckets are hours (runs up to
// 3 days) or days. Counting hours and summing them into days afterwards gives both.

/** Runs up to this long get hourly buckets; longer runs get daily ones (at most 72 hourly points). */
export const HOURLY_BUCKETS_MAX_RUN_MS = 3 * DAY_MS;
/**
 * A limit on everything (TigerStyle): events past this many hours of run clock land in the last
 * hour counted. A year of run clock is far past any scenario's duration limit.
 */
export const SERIES_HOURS_MAX = 366 * 24;

/** Counts per hour of run clock; reading an hour never counted gives 0. */
export class HourlyCounts {
  private readonly counts: number[] = [];

  add(hour: number, count = 1): void {
    while (this.counts.length <= hour) this.counts.push(0);
    this.counts[hour] = (this.counts[hour] ?? 0) + count;
  }

  /** The counts rolled up to `bucketCount` buckets of `hoursPerBucket` hours each. */
  rollUp(hoursPerBucket: number, bucketCount: number): number[] {
    const buckets = new Array<number>(bucketCount).fill(0);
    this.counts.forEach((count, hour) => {
      const index = Math.min(Math.floor(hour / hoursPerBucket), bucketCount - 1);
      buckets[index] = (buckets[index] ?? 0) + count;
    });
    return buckets;
  }
}

/** The report's buckets for a run of `runMs`: their width, their count, and hours per bucket. */
export function bucketingOf(runMs: number): {
  bucketWidthMs: number;
  bucketCount: number;
  hoursPerBucket: number;
  hourCount: number;
} {
  const hourCount = Math.min(SERIES_HOURS_MAX, Math.max(1, Math.ceil(runMs / HOUR_MS)));
  const bucketWidthMs = runMs > HOURLY_BUCKETS_MAX_RUN_MS ? DAY_MS : HOUR_MS;
  const hoursPerBucket = bucketWidthMs / HOUR_MS;
  return { bucketWidthMs, bucketCount: Math.ceil(hourCount / hoursPerBucket), hoursPerBucket, hourCount };
}

/** The hour of run clock an event at `atMs` falls in, within the series' bound. */
export function hourOf(atMs: number, startMs: number): number {
  return Math.min(SERIES_HOURS_MAX - 1, Math.max(0, Math.floor((atMs - startMs) / HOUR_MS)));
}

/**
 * For each bucket, the hourly sample that stands for its end: the bucket's last hour, or the
 * run's last hour for the last, partial bucket.
 */
export function bucketEndHours(hoursPerBucket: number, bucketCount: number, hourCount: number): number[] {
  return Array.from({ length: bucketCount }, (_, bucket) => Math.min((bucket + 1) * hoursPerBucket, hourCount) - 1);
}
