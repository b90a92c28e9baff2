/**
 * A rolling count per key over a time window, kept in fixed buckets (per minute for an
 * hourly window): how receivers measure "messages from this IP in the last hour". Buckets
 * bound the memory per key and make the window slide in steps a reader can predict: a count
 * added at t leaves the window once the bucket that holds t is a whole window old.
 *
 * Pure state driven by the caller's clock reading; no timers.
 */
import type { EpochMs, Milliseconds } from '../../kernel/index.ts';

interface Bucket {
  /** The bucket's index: floor(time / bucketMs). */
  readonly index: number;
  count: number;
}

export class RollingWindow {
  private readonly buckets = new Map<string, Bucket[]>();
  private readonly bucketsPerWindow: number;

  constructor(
    private readonly windowMs: Milliseconds,
    private readonly bucketMs: Milliseconds,
  ) {
    if (!(bucketMs > 0) || !(windowMs >= bucketMs) || windowMs % bucketMs !== 0) {
      throw new RangeError(`the window (${windowMs} ms) must be a whole number of buckets (${bucketMs} ms)`);
    }
    this.bucketsPerWindow = windowMs / bucketMs;
  }

  /** What `key` has counted in the window that ends at `nowMs`. */
  count(key: string, nowMs: EpochMs): number {
    const buckets = this.live(key, nowMs);
    let total = 0;
    for (const bucket of buckets) total += bucket.count;
    return total;
  }

  add(key: string, nowMs: EpochMs, amount = 1): void {
    const buckets = this.live(key, nowMs);
    const index = Math.floor(nowMs / this.bucketMs);
    const last = buckets[buckets.length - 1];
    if (last !== undefined && last.index === index) last.count += amount;
    else buckets.push({ index, count: amount });
    this.buckets.set(key, buckets);
  }

  /** The buckets of `key` still inside the window, dropping the older ones. */
  private live(key: string, nowMs: EpochMs): Bucket[] {
    const buckets = this.buckets.get(key) ?? [];
    const oldestLive = Math.floor(nowMs / this.bucketMs) - this.bucketsPerWindow + 1;
    let expired = 0;
    while (expired < buckets.length && (buckets[expired] as Bucket).index < oldestLive) expired++;
    if (expired > 0) buckets.splice(0, expired);
    if (buckets.length === 0) this.buckets.delete(key);
    return buckets;
  }
}
