/**
 * The engine's suppression list: addresses it will not mail, why, and until when. A sender
 * that keeps mailing dead addresses loses reputation; one that suppresses live ones loses
 * customers' audiences, so every entry says what it was for and may expire (Postal lifts its
 * automatic suppressions after 30 days and on the next successful send, research/engines.md §7).
 *
 * Every change is an accounting `Suppression` record, emitted by the caller's `onRecord`.
 */
import type { Class, EpochMs } from '../../../kernel/index.ts';
import type { SuppressionRecord } from '../../accounting.ts';

export interface SuppressionEntry {
  readonly recipient: string;
  readonly class: Class;
  readonly rule: string;
  readonly sinceMs: EpochMs;
  /** The entry stops applying then; absent: until lifted. */
  readonly untilMs?: EpochMs;
  readonly tenant?: string;
}

export class SuppressionList {
  private readonly entries = new Map<string, SuppressionEntry>();

  constructor(private readonly onRecord: (record: SuppressionRecord) => void = () => undefined) {}

  /** The entry that holds `recipient` at `nowMs`, if any (an expired one is dropped). */
  get(recipient: string, nowMs: EpochMs): SuppressionEntry | undefined {
    const key = recipient.toLowerCase();
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.untilMs !== undefined && nowMs >= entry.untilMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  has(recipient: string, nowMs: EpochMs): boolean {
    return this.get(recipient, nowMs) !== undefined;
  }

  add(entry: SuppressionEntry & { readonly evidence?: readonly string[] }): void {
    const { evidence, ...kept } = entry;
    this.entries.set(entry.recipient.toLowerCase(), kept);
    this.onRecord({
      type: 'Suppression',
      atMs: entry.sinceMs,
      recipient: entry.recipient,
      change: 'add',
      class: entry.class,
      rule: entry.rule,
      ...(entry.untilMs === undefined ? {} : { untilMs: entry.untilMs }),
      ...(entry.tenant === undefined ? {} : { tenant: entry.tenant }),
      ...(evidence === undefined ? {} : { evidence }),
    });
  }

  /**
   * Replays one Suppression record from an earlier life of the engine (its accounting log),
   * without recording it again: a restart must not forget whom it promised not to mail.
   */
  restore(record: SuppressionRecord): void {
    const key = record.recipient.toLowerCase();
    if (record.change === 'lift') {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, {
      recipient: record.recipient,
      class: record.class,
      rule: record.rule,
      sinceMs: record.atMs,
      ...(record.untilMs === undefined ? {} : { untilMs: record.untilMs }),
      ...(record.tenant === undefined ? {} : { tenant: record.tenant }),
    });
  }

  /** Lifts the entry of `recipient` (a later delivery proved it alive); false if there was none. */
  lift(recipient: string, atMs: EpochMs, rule: string): boolean {
    const key = recipient.toLowerCase();
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.onRecord({
      type: 'Suppression',
      atMs,
      recipient: entry.recipient,
      change: 'lift',
      class: entry.class,
      rule,
      ...(entry.tenant === undefined ? {} : { tenant: entry.tenant }),
    });
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every entry, for an audit or an export. */
  all(): readonly SuppressionEntry[] {
    return [...this.entries.values()];
  }
}
