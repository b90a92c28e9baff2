/**
 * The report's time series (issue 6), part of the v1 contract: what happened on the run clock,
 * bucket by bucket, per receiver; the sender's own decisions on that timeline; the reputation
 * each receiver held of each sending IP at every bucket's end. Renderers draw their charts from
 * this alone (DESIGN rule 5), so a saved run can be charted again years later.
 *
 * Every per-bucket array has `bucketCount` entries, bucket `i` covering the run clock from
 * `firstBucketStartMs + i × bucketWidthMs` (inclusive) to one width later (exclusive). Counts
 * are per recipient, as in the figures.
 * @since 0.3
 */

/** Google Postmaster Tools' four reputation bands, worst first. */
export type PostmasterBand = 'bad' | 'low' | 'medium' | 'high';

/** Microsoft SNDS filter-result colours: green (< 10 % spam verdicts), yellow (10–90 %), red (> 90 %). */
export type SndsColour = 'green' | 'yellow' | 'red';

export interface RunSeries {
  /**
   * The width of one bucket: 3 600 000 (an hour) for runs up to 3 days of run clock, 86 400 000
   * (a day) beyond, so a chart holds at most 72 hourly points before it switches to days.
   */
  readonly bucketWidthMs: number;
  /** The run clock at the start of bucket 0 (epoch ms; simulated in sim mode): the run's start. */
  readonly firstBucketStartMs: number;
  readonly bucketCount: number;
  /** Per receiver id (sorted), only receivers the run met. */
  readonly receivers: Readonly<Record<string, ReceiverSeries>>;
  /**
   * How the receivers' scores map to bands: a score at or above `scoreMin` (and below the next
   * band's) is in `band`. Carried here so a renderer can shade bands without knowing the model.
   */
  readonly bandFloors: readonly { readonly band: PostmasterBand; readonly scoreMin: number }[];
  /** One track per sending IP × receiver met, sorted by IP then receiver. */
  readonly reputation: readonly ReputationTrack[];
  /**
   * The throttle, suspend, resume and policy decisions the sender logged, in time order: all of
   * them, up to a limit per kind (the first of each kind are kept, so frequent suspensions
   * cannot crowd out rare pool moves).
   */
  readonly decisions: readonly SeriesDecision[];
  /** Decisions past the per-kind limit, left out of `decisions` (0 unless a run logged very many). */
  readonly decisionsDropped: number;
  /**
   * Messages the scenario's timeline handed to the sender per bucket: the plan the attempts are
   * drawn against. Only for scenarios with a timeline. @since 0.4
   */
  readonly planned?: readonly number[];
  /** Every decision counted per bucket by kind, including those left out of `decisions`. */
  readonly decisionsPerBucket: Readonly<Record<SeriesDecisionKind, readonly number[]>>;
}

/** What one receiver saw and decided, per bucket. */
export interface ReceiverSeries {
  /** Recipient attempts the sender reported to this receiver (delivered, deferred, bounced). */
  readonly attempted: readonly number[];
  readonly delivered: readonly number[];
  /** Transient failures (4xx, network errors): the sender will retry. */
  readonly deferred: readonly number[];
  /** Recipients bounced: refused with a 5xx, or failed by the sender without an attempt. */
  readonly bounced: readonly number[];
  /** Recipients the sender gave up on when their time in the queue ran out. */
  readonly expired: readonly number[];
  /** Where accepted mail really went, from the receiver's truth (the sender cannot see this). */
  readonly placement: {
    readonly inbox: readonly number[];
    readonly spam: readonly number[];
    readonly discarded: readonly number[];
    readonly trap: readonly number[];
  };
}

/**
 * The reputation one receiver held of one sending IP at each bucket's end (the last bucket's
 * at the run's end). Sampled as the receiver held it when the run clock passed that time;
 * signals a receiver applies lazily (complaints, engagement) count from its next settle.
 */
export interface ReputationTrack {
  readonly sourceIp: string;
  /** The sender's name for the source (virtual MTA), e.g. `mta1`. */
  readonly source: string;
  readonly receiver: string;
  /** In [0, 1], 3 decimals. */
  readonly score: readonly number[];
  readonly band: readonly PostmasterBand[];
  /** The same band as SNDS colours, for receivers that speak SNDS (Microsoft). */
  readonly snds?: readonly SndsColour[];
}

/** Where a shaping decision applied, as the sender named it. */
export interface DecisionScope {
  readonly source: string;
  readonly site?: string;
  readonly provider?: string;
}

/** One of the sender's own decisions, as its accounting log recorded it. */
export type SeriesDecision =
  | {
      readonly kind: 'Throttle';
      readonly atMs: number;
      readonly scope: DecisionScope;
      /** Messages per hour allowed before and after; null means no limit. */
      readonly ratePerHourBefore: number | null;
      readonly ratePerHourAfter: number | null;
      readonly reason: string;
      readonly rule: string;
    }
  | {
      readonly kind: 'Suspend';
      readonly atMs: number;
      readonly scope: DecisionScope;
      readonly untilMs: number;
      readonly reason: string;
      readonly rule: string;
    }
  | {
      readonly kind: 'Resume';
      readonly atMs: number;
      readonly scope: DecisionScope;
      readonly reason: string;
      readonly rule: string;
    }
  | {
      readonly kind: 'Policy';
      readonly atMs: number;
      /** What changed, e.g. `warmup.advance`, `grid.promote`, `bogus.suspect`. */
      readonly decision: string;
      readonly subject: string;
      readonly detail: string;
      readonly rule: string;
      readonly tenant?: string;
    };

export type SeriesDecisionKind = SeriesDecision['kind'];
