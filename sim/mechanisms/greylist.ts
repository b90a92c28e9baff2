/**
 * Greylisting (RFC 6647): the first attempt of an unknown (client IP, sender, recipient)
 * triplet is refused with a 4xx; a retry from the same IP after the delay passes, and the
 * triplet is then remembered. A retry from another IP is a new triplet, which is why the
 * taxonomy's right action is "retry after the delay, from the same IP".
 *
 * State driven by the caller's clock; no timers.
 */
import type { EpochMs, Milliseconds } from '../../kernel/index.ts';

export type GreylistVerdict = 'pass' | 'defer';

interface Triplet {
  readonly firstSeenMs: EpochMs;
  /** When the triplet passed, or null while it is still greylisted. */
  passedMs: EpochMs | null;
}

export class Greylist {
  private readonly triplets = new Map<string, Triplet>();

  constructor(
    private readonly delayMs: Milliseconds,
    /** How long a triplet stays known, after its first sighting (pending) or its last pass. */
    private readonly memoryMs: Milliseconds,
  ) {
    if (!(delayMs >= 0) || !(memoryMs > delayMs))
      throw new RangeError(`greylist memory (${memoryMs} ms) must exceed its delay (${delayMs} ms)`);
  }

  /** What `check` would answer now, without remembering the attempt. */
  verdict(clientIp: string, sender: string, recipient: string, nowMs: EpochMs): GreylistVerdict {
    const known = this.triplets.get(tripletKey(clientIp, sender, recipient));
    if (known === undefined) return 'defer';
    if (known.passedMs !== null) return nowMs - known.passedMs <= this.memoryMs ? 'pass' : 'defer';
    if (nowMs - known.firstSeenMs > this.memoryMs) return 'defer';
    return nowMs - known.firstSeenMs < this.delayMs ? 'defer' : 'pass';
  }

  /** Answers an attempt and remembers it: a first sighting starts the delay, a pass renews the memory. */
  check(clientIp: string, sender: string, recipient: string, nowMs: EpochMs): GreylistVerdict {
    const key = tripletKey(clientIp, sender, recipient);
    const known = this.triplets.get(key);
    if (known !== undefined && known.passedMs !== null && nowMs - known.passedMs <= this.memoryMs) {
      known.passedMs = nowMs;
      return 'pass';
    }
    if (known !== undefined && known.passedMs === null && nowMs - known.firstSeenMs <= this.memoryMs) {
      if (nowMs - known.firstSeenMs < this.delayMs) return 'defer';
      known.passedMs = nowMs;
      return 'pass';
    }
    this.triplets.set(key, { firstSeenMs: nowMs, passedMs: null });
    return 'defer';
  }
}

function tripletKey(clientIp: string, sender: string, recipient: string): string {
  return `${clientIp}\u0000${sender.toLowerCase()}\u0000${recipient.toLowerCase()}`;
}
