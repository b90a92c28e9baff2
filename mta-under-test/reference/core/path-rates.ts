/**
 * The message rates a path must respect: its own (shaping), the aggregate ones it shares
 * (source × provider, source), and the policy's current cap (adaptive throttling, warm-up).
 */
import { HOUR_MS } from '../../../kernel/index.ts';
import type { EpochMs } from '../../../kernel/index.ts';
import type { AggregateLimits, Path } from './paths.ts';
import { pathRef } from './path-ref.ts';
import type { SendPolicy } from './policy.ts';
import { Gcra } from './shaping/gcra.ts';

interface PolicyRate {
  readonly perHour: number;
  readonly gcra: Gcra;
}

export class PathRates {
  private readonly policyRates = new Map<Path, PolicyRate>();

  constructor(
    private readonly limits: AggregateLimits,
    private readonly policy: SendPolicy,
  ) {}

  /** The limiters a message on this path must pass: its own, the aggregate ones, the policy's. */
  limiters(path: Path, nowMs: EpochMs): Gcra[] {
    const limiters: Gcra[] = [];
    if (path.messageRate !== null) limiters.push(path.messageRate);
    for (const limit of this.limits.of(path)) if (limit.messageRate !== null) limiters.push(limit.messageRate);
    const policyRate = this.policyRate(path, nowMs);
    if (policyRate !== null) limiters.push(policyRate);
    return limiters;
  }

  /** The earliest time every limiter lets one more message through. */
  wait(path: Path, nowMs: EpochMs): EpochMs {
    let untilMs = nowMs;
    for (const limiter of this.limiters(path, nowMs)) untilMs = Math.max(untilMs, limiter.nextFreeAtMs(nowMs));
    return untilMs;
  }

  take(path: Path, nowMs: EpochMs): void {
    for (const limiter of this.limiters(path, nowMs)) limiter.tryTake(nowMs);
  }

  /** The path's rate as an operator sees it: the policy's cap when it has one, else the shaping's. */
  perHourOf(path: Path): number | null {
    const policyCap = this.policyRates.get(path)?.perHour;
    if (policyCap !== undefined) return policyCap;
    const rate = path.params.maxMessageRate;
    return rate === null ? null : (rate.count * HOUR_MS) / rate.perMs;
  }

  /** The policy's cap as a limiter, renewed when the cap changes; its burst is a minute's worth. */
  private policyRate(path: Path, nowMs: EpochMs): Gcra | null {
    const perHour = this.policy.pathRatePerHour?.(pathRef(path), nowMs) ?? null;
    if (perHour === null) {
      this.policyRates.delete(path);
      return null;
    }
    const count = Math.max(1, Math.round(perHour));
    const current = this.policyRates.get(path);
    if (current?.perHour === count) return current.gcra;
    const gcra = new Gcra({ rate: { count, perMs: HOUR_MS }, burst: Math.max(1, Math.ceil(count / 60)) });
    this.policyRates.set(path, { perHour: count, gcra });
    return gcra;
  }
}
