/**
 * Joins what the sender says (accounting records) with what the receivers meant (truth
 * records) into the report's figures. A checker in TigerBeetle's sense: it observes both
 * streams and never steers either.
 *
 * Pairing: for one recipient, the k-th attempt the receiver answered pairs with the k-th
 * truth record the receiver wrote for that recipient. Both sides are in time order per
 * recipient, in either mode, and the pairing needs nothing from the sender but its log, so it
 * works for any MTA. An attempt that got no reply (network error) has no truth to pair with
 * and is counted apart.
 */
import type { AccountingRecord, AttemptRecord } from '../mta-under-test/accounting.ts';
import type { Figures } from '../reports/schema.ts';
import type { TruthRecord } from '../sim/truth/truth-record.ts';
import { CAUSES, CLASSES } from '../sim/taxonomy.ts';
import type { Cause, Class } from '../sim/taxonomy.ts';

interface PendingPairs {
  truths: Cause[];
  attempts: Class[];
}

export class RunCollector {
  private injected = 0;
  private delivered = 0;
  private bounced = 0;
  private expired = 0;
  private attempts = 0;
  private accepted = 0;
  private answered = 0;
  private attemptsWithoutReply = 0;
  private readonly causes = countsOf(CAUSES);
  private readonly classes = countsOf(CLASSES);
  private readonly confusion = Object.fromEntries(CAUSES.map((cause) => [cause, {}])) as Record<Cause, Partial<Record<Class, number>>>;
  private readonly pending = new Map<string, PendingPairs>();

  /** Recipients that are delivered, bounced or expired. */
  get finalCount(): number {
    return this.delivered + this.bounced + this.expired;
  }

  get injectedCount(): number {
    return this.injected;
  }

  readonly onAccounting = (record: AccountingRecord): void => {
    switch (record.type) {
      case 'Reception':
        this.injected++;
        return;
      case 'Expiration':
        this.expired++;
        return;
      case 'Delivery':
        this.delivered++;
        this.accepted++;
        break;
      case 'Bounce':
        this.bounced++;
        break;
      case 'TransientFailure':
        break;
    }
    this.onAttempt(record);
  };

  readonly onTruth = (truth: TruthRecord): void => {
    this.causes[truth.cause]++;
    if (truth.unanswered === true) return;
    this.pendingFor(truth.recipient).truths.push(truth.cause);
    this.pair(truth.recipient);
  };

  figures(runClockMs: number): Figures {
    const seconds = Math.max(runClockMs, 1) / 1000;
    let truthWithoutAttempt = 0;
    let attemptsWithoutTruth = this.attemptsWithoutReply;
    for (const pairs of this.pending.values()) {
      truthWithoutAttempt += pairs.truths.length;
      attemptsWithoutTruth += pairs.attempts.length;
    }
    return {
      throughput: { acceptedPerSecond: round(this.accepted / seconds), simulatedPerSecond: round(this.answered / seconds) },
      messages: {
        injected: this.injected,
        delivered: this.delivered,
        bounced: this.bounced,
        expired: this.expired,
        inFlight: this.injected - this.finalCount,
      },
      attempts: { total: this.attempts, truthWithoutAttempt, attemptsWithoutTruth },
      causes: { ...this.causes },
      classes: { ...this.classes },
      confusion: structuredClone(this.confusion),
    };
  }

  private onAttempt(record: AttemptRecord): void {
    this.attempts++;
    this.classes[record.class]++;
    if (record.reply === undefined) {
      this.attemptsWithoutReply++;
      return;
    }
    this.answered++;
    this.pendingFor(record.recipient).attempts.push(record.class);
    this.pair(record.recipient);
  }

  private pendingFor(recipient: string): PendingPairs {
    let pairs = this.pending.get(recipient);
    if (pairs === undefined) {
      pairs = { truths: [], attempts: [] };
      this.pending.set(recipient, pairs);
    }
    return pairs;
  }

  private pair(recipient: string): void {
    const pairs = this.pending.get(recipient);
    if (pairs === undefined) return;
    while (pairs.truths.length > 0 && pairs.attempts.length > 0) {
      const cause = pairs.truths.shift() as Cause;
      const cls = pairs.attempts.shift() as Class;
      const row = this.confusion[cause];
      row[cls] = (row[cls] ?? 0) + 1;
    }
    if (pairs.truths.length === 0 && pairs.attempts.length === 0) this.pending.delete(recipient);
  }
}

function countsOf<T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((name) => [name, 0])) as Record<T, number>;
}

/** Rates are rounded to 3 decimals so that reports read well and compare exactly. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
