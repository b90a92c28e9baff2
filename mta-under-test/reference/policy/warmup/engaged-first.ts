/**
 * Engaged recipients first (SparkPost: "Focus warming your most engaged subscribers and then add
 * in the older segments", IP Warm-up Overview; Gmail: "start with a low sending volume to engaged
 * users", facts/isp-behaviors.md §4). The runner orders a campaign with this before it injects
 * it, so that the first messages of the day, the ones a warming IP's allowance takes, go to the
 * people who opened or clicked before. The engagement data is the sender's own (its open and
 * click tracking), never the receivers' truth (DESIGN rule 3).
 */
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';

/** When the sender last saw the recipient open or click; undefined: never. */
export type EngagementOf = (recipient: string) => EpochMs | undefined;

export interface EngagedFirstOptions {
  readonly nowMs: EpochMs;
  /**
   * Only engagement this recent counts (SparkPost's "engagement age": weeks 1–2 of a warm-up
   * send to those "who have opened/clicked in the past 30 days", IP Warm-up Overview).
   */
  readonly engagedWithinMs: Milliseconds;
}

/**
 * The recipients, engaged ones first (most recent engagement first), then the rest in their
 * given order. Stable: recipients with the same engagement time keep their order.
 */
export function engagedFirst(
  recipients: readonly string[],
  engagementOf: EngagementOf,
  options?: EngagedFirstOptions,
): string[] {
  const engaged: { readonly recipient: string; readonly atMs: EpochMs; readonly index: number }[] = [];
  const rest: string[] = [];
  recipients.forEach((recipient, index) => {
    const atMs = engagementOf(recipient);
    const counts = atMs !== undefined && (options === undefined || options.nowMs - atMs <= options.engagedWithinMs);
    if (counts) engaged.push({ recipient, atMs, index });
    else rest.push(recipient);
  });
  engaged.sort((a, b) => b.atMs - a.atMs || a.index - b.index);
  return [...engaged.map((entry) => entry.recipient), ...rest];
}
