/**
 * One warming source × provider's figures for one warm-up day, and the day-end decision they
 * lead to: advance a stage, hold it, or step back. Pure: figures in, decision out.
 *
 * The rule (SparkPost's, made explicit): advance only when the day delivered well and sent
 * enough of its stage; hold when the receiver deferred too much; step back when it blocked or
 * users complained. Blocks and complaints are checked first: a day with both many deferrals and
 * blocks steps back.
 */
import type { Class } from '../../../../kernel/index.ts';

/** Counts of one day's attempts on one source × provider. */
export interface DayFigures {
  /** Delivery, Bounce and TransientFailure records. */
  attempts: number;
  delivered: number;
  /** TransientFailures that are not blocks. */
  deferred: number;
  /** Attempts of a block class (`BLOCK_CLASSES`), whatever the record type. */
  blocked: number;
  /** Bounces that are not blocks. */
  bounced: number;
  /** Feedback (ARF) records that arrived that day about mail this source delivered to this provider. */
  complaints: number;
}

export function emptyDayFigures(): DayFigures {
  return { attempts: 0, delivered: 0, deferred: 0, blocked: 0, bounced: 0, complaints: 0 };
}

/** Classes that say the receiver blocks the source: a warm-up steps back on them. */
export const BLOCK_CLASSES: ReadonlySet<Class> = new Set<Class>([
  'reputation-block',
  'blocklisted',
  'disguised-policy-block',
]);

/** The thresholds of the day-end rule, all shares in [0, 1]. */
export interface WarmupThresholds {
  /**
   * Advance only if delivered ÷ attempts is above this. SparkPost: "Each day, we'll check to see
   * if your new IP successfully delivered more than 90% of the traffic for that stage"
   * (SparkPost/support-docs automated-ip-warmup.md).
   * @defaultValue 0.9
   */
  readonly advanceDeliveredShareMin: number;
  /**
   * Advance only if delivered ≥ this share of the stage's daily target: SparkPost's "Once an IP
   * sends enough, it will automatically be upgraded" (same page); a stage that was not used
   * proves nothing. 0 turns it off.
   * @defaultValue 0.9
   */
  readonly advanceVolumeShareMin: number;
  /**
   * Hold if deferred ÷ attempts is above this, even when enough was delivered: the receiver is
   * already pushing back, so the volume must not double. @assumption: stricter than SparkPost,
   * which calls warm-up delays at AOL, Microsoft and Comcast normal (IP Warm-up Overview).
   * @defaultValue 0.05
   */
  readonly holdDeferralShareMax: number;
  /**
   * Step back if blocked ÷ attempts is above this. @assumption: 1 %; blocks usually hit every
   * message from the IP, so any real block passes it.
   * @defaultValue 0.01
   */
  readonly stepBackBlockShareMax: number;
  /**
   * Step back if complaints ÷ delivered is above this: Gmail's and Yahoo's 0.3 % spam-rate
   * threshold (facts/isp-behaviors.md §1, G-GUIDE, Y-BP).
   * @defaultValue 0.003
   */
  readonly stepBackComplaintShareMax: number;
  /** Stages to go back on a step back. @assumption: one. @defaultValue 1 */
  readonly stepBackStages: number;
}

export const DEFAULT_WARMUP_THRESHOLDS: WarmupThresholds = {
  advanceDeliveredShareMin: 0.9,
  advanceVolumeShareMin: 0.9,
  holdDeferralShareMax: 0.05,
  stepBackBlockShareMax: 0.01,
  stepBackComplaintShareMax: 0.003,
  stepBackStages: 1,
};

export type DayDecisionKind = 'advance' | 'hold' | 'step-back' | 'idle';

/** What a day's figures mean for the stage, and the rule that said so. */
export interface DayDecision {
  readonly kind: DayDecisionKind;
  /** E.g. `warmup.hold.deferral-share`. */
  readonly rule: string;
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** The day-end decision for a stage whose daily target is `targetPerDay`. */
export function decideDay(figures: DayFigures, targetPerDay: number, thresholds: WarmupThresholds): DayDecision {
  if (figures.attempts === 0 && figures.complaints === 0) return { kind: 'idle', rule: 'warmup.idle' };
  if (share(figures.blocked, figures.attempts) > thresholds.stepBackBlockShareMax)
    return { kind: 'step-back', rule: 'warmup.step-back.blocks' };
  const complaintShare =
    figures.delivered > 0 ? figures.complaints / figures.delivered : figures.complaints > 0 ? 1 : 0;
  if (complaintShare > thresholds.stepBackComplaintShareMax)
    return { kind: 'step-back', rule: 'warmup.step-back.complaints' };
  if (share(figures.deferred, figures.attempts) > thresholds.holdDeferralShareMax)
    return { kind: 'hold', rule: 'warmup.hold.deferral-share' };
  if (!(share(figures.delivered, figures.attempts) > thresholds.advanceDeliveredShareMin))
    return { kind: 'hold', rule: 'warmup.hold.delivered-share' };
  if (figures.delivered < thresholds.advanceVolumeShareMin * targetPerDay)
    return { kind: 'hold', rule: 'warmup.hold.volume' };
  return { kind: 'advance', rule: 'warmup.advance.delivered-share' };
}

function percent(part: number, whole: number): string {
  return `${(share(part, whole) * 100).toFixed(1)} %`;
}

/** The day's figures in words, for a PolicyRecord's `detail`. */
export function describeDayFigures(figures: DayFigures, targetPerDay: number): string {
  return [
    `target ${targetPerDay}/day`,
    `${figures.attempts} attempts`,
    `${figures.delivered} delivered (${percent(figures.delivered, figures.attempts)}; ${percent(figures.delivered, targetPerDay)} of target)`,
    `${figures.deferred} deferred (${percent(figures.deferred, figures.attempts)})`,
    `${figures.blocked} blocked (${percent(figures.blocked, figures.attempts)})`,
    `${figures.bounced} bounced`,
    `${figures.complaints} complaints (${percent(figures.complaints, figures.delivered)} of delivered)`,
  ].join(', ');
}
