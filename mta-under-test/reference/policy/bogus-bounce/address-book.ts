/**
 * What the detector remembers per address: proof of life (a delivery, or a complaint — only a
 * live mailbox can complain), and the refusal history of addresses it has not yet believed.
 * Keys are lower-cased addresses. Bounded: proof of life keeps at most `maxTracked` addresses
 * (the least recently proven go first) and forgets after `livedMemoryMs`; refusal histories
 * are forgotten `historyMemoryMs` after their last refusal.
 */
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';

/** Why an address is being held back from suppression. */
export type RefusalStatus =
  /** A gateway's lone refusal with no sign of disguise: retried once to confirm. */
  | 'unconfirmed'
  /** A refusal that looked like a disguised policy block: retried after a cool-down. */
  | 'suspect';

export interface RefusalHistory {
  readonly status: RefusalStatus;
  /** Refusals so far, this one included. */
  readonly refusals: number;
  /** Cool-downs (or confirmation waits) that ended before a later refusal came. */
  readonly coolDownsPassed: number;
  readonly firstRefusedAtMs: EpochMs;
  readonly lastRefusedAtMs: EpochMs;
  /** No retry before this; a refusal after it counts as a refusal "after the cool-down". */
  readonly waitUntilMs: EpochMs;
  /** The signals that made it suspect, for the records. */
  readonly reasons: readonly string[];
}

export class AddressBook {
  private readonly lived = new Map<string, { readonly atMs: EpochMs; readonly how: 'delivered' | 'feedback' }>();
  private readonly histories = new Map<string, RefusalHistory>();
  private writes = 0;

  constructor(
    private readonly livedMemoryMs: Milliseconds,
    private readonly historyMemoryMs: Milliseconds,
    private readonly maxTracked: number,
  ) {}

  /** The address proved alive at `atMs`. */
  markLived(address: string, atMs: EpochMs, how: 'delivered' | 'feedback'): void {
    const key = address.toLowerCase();
    this.lived.delete(key);
    this.lived.set(key, { atMs, how });
    if (this.lived.size > this.maxTracked) {
      const oldest = this.lived.keys().next().value;
      if (oldest !== undefined) this.lived.delete(oldest);
    }
    this.sweepSometimes(atMs);
  }

  /** When and how the address last proved alive, within memory. */
  livedAt(
    address: string,
    nowMs: EpochMs,
  ): { readonly atMs: EpochMs; readonly how: 'delivered' | 'feedback' } | undefined {
    const entry = this.lived.get(address.toLowerCase());
    return entry !== undefined && entry.atMs > nowMs - this.livedMemoryMs ? entry : undefined;
  }

  history(address: string, nowMs: EpochMs): RefusalHistory | undefined {
    const entry = this.histories.get(address.toLowerCase());
    return entry !== undefined && entry.lastRefusedAtMs > nowMs - this.historyMemoryMs ? entry : undefined;
  }

  setHistory(address: string, history: RefusalHistory): void {
    this.histories.set(address.toLowerCase(), history);
    this.sweepSometimes(history.lastRefusedAtMs);
  }

  /** Forgets the address's refusals; returns what was known. */
  clearHistory(address: string): RefusalHistory | undefined {
    const key = address.toLowerCase();
    const entry = this.histories.get(key);
    this.histories.delete(key);
    return entry;
  }

  get trackedHistories(): number {
    return this.histories.size;
  }

  private sweepSometimes(nowMs: EpochMs): void {
    if (++this.writes % 4096 !== 0) return;
    for (const [key, entry] of this.histories)
      if (entry.lastRefusedAtMs <= nowMs - this.historyMemoryMs) this.histories.delete(key);
    for (const [key, entry] of this.lived) {
      if (entry.atMs > nowMs - this.livedMemoryMs) break;
      this.lived.delete(key);
    }
  }
}
