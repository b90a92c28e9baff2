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
 *
 * A refusal before RCPT (at connect or MAIL: too many connections, too many messages on one
 * connection) refuses a session, not a recipient: the receiver writes one session-level truth
 * (recipient '') and the sender one attempt per recipient it meant to send. Each such attempt
 * pairs with the latest session-level truth of that receiver for that sending IP (the truth
 * is written before the reply goes out, so it is there when the attempt is reported).
 *
 * A sender known only by its final outcomes (the smtp-relay adapter learns them from the DSNs
 * the MTA sends) reports no attempt for the answers it retried after. With `sees: 'outcomes'`
 * each reported attempt pairs with the receiver's latest answer for that recipient, and the
 * earlier answers are counted as `unreportedAnswers` instead of left unpaired.
 */
import type { AccountingRecord, AttemptRecord } from '../mta-under-test/index.ts';
import type { Figures } from '../reports/index.ts';
import { CAUSES, CLASSES } from '../kernel/index.ts';
import type { Action, Cause, Class, SmtpStage } from '../kernel/index.ts';
import type { TruthRecord } from '../sim/index.ts';

interface PendingPairs {
  truths: Cause[];
  attempts: { readonly cls: Class; readonly action: Action }[];
}

/** Called for every answered attempt paired with its truth. */
export type PairListener = (cause: Cause, cls: Class, action: Action) => void;

/** Stages at which a refusal is about the session rather than one recipient. */
const SESSION_STAGES: ReadonlySet<SmtpStage> = new Set(['connect', 'helo', 'mail']);

/** What the sender reports: every attempt, or only each recipient's final outcome. */
export type SenderVisibility = 'attempts' | 'outcomes';

/** Which receiver answers at an MX host name (the fleet knows; the sender does not). */
export type ReceiverOfMxHost = (mxHost: string) => string | undefined;

export class RunCollector {
  private injected = 0;
  private delivered = 0;
  private bounced = 0;
  private expired = 0;
  private attempts = 0;
  private accepted = 0;
  private answered = 0;
  private attemptsUnpaired = 0;
  private readonly causes = countsOf(CAUSES);
  private readonly classes = countsOf(CLASSES);
  private readonly confusion = Object.fromEntries(CAUSES.map((cause) => [cause, {}])) as Record<
    Cause,
    Partial<Record<Class, number>>
  >;
  private readonly pending = new Map<string, PendingPairs>();
  private readonly causesByReceiver = new Map<string, Partial<Record<Cause, number>>>();
  /** The latest session-level truth per `receiver peerIp`. */
  private readonly sessionTruths = new Map<string, Cause>();

  /** Receiver answers a final-outcomes sender never reported an attempt for. */
  private unreportedAnswers = 0;

  constructor(
    private readonly receiverOfMxHost: ReceiverOfMxHost = () => undefined,
    private readonly onPair: PairListener = () => undefined,
    private readonly sees: SenderVisibility = 'attempts',
  ) {}

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
      case 'AdminBounce':
        // Failed without an attempt (suppressed, no mail domain): final, but nothing to pair.
        this.bounced++;
        return;
      case 'AsyncBounce':
      case 'Feedback':
      case 'Suppression':
      case 'Throttle':
      case 'Suspend':
      case 'Resume':
      case 'Policy':
        return;
    }
    this.onAttempt(record);
  };

  readonly onTruth = (truth: TruthRecord): void => {
    this.causes[truth.cause]++;
    let row = this.causesByReceiver.get(truth.receiver);
    if (row === undefined) {
      row = {};
      this.causesByReceiver.set(truth.receiver, row);
    }
    row[truth.cause] = (row[truth.cause] ?? 0) + 1;
    if (truth.unanswered === true) return;
    if (truth.recipient === '') {
      this.sessionTruths.set(`${truth.receiver} ${truth.peerIp}`, truth.cause);
      return;
    }
    this.pendingFor(truth.recipient).truths.push(truth.cause);
    this.pair(truth.recipient);
  };

  figures(runClockMs: number): Figures {
    const seconds = Math.max(runClockMs, 1) / 1000;
    let truthWithoutAttempt = 0;
    let attemptsWithoutTruth = this.attemptsUnpaired;
    let unreportedAnswers = this.unreportedAnswers;
    for (const pairs of this.pending.values()) {
      if (this.sees === 'outcomes') unreportedAnswers += pairs.truths.length;
      else truthWithoutAttempt += pairs.truths.length;
      attemptsWithoutTruth += pairs.attempts.length;
    }
    return {
      throughput: {
        acceptedPerSecond: round(this.accepted / seconds),
        simulatedPerSecond: round(this.answered / seconds),
      },
      messages: {
        injected: this.injected,
        delivered: this.delivered,
        bounced: this.bounced,
        expired: this.expired,
        inFlight: this.injected - this.finalCount,
      },
      attempts: {
        total: this.attempts,
        truthWithoutAttempt,
        attemptsWithoutTruth,
        ...(this.sees === 'outcomes' ? { unreportedAnswers } : {}),
      },
      causes: { ...this.causes },
      classes: { ...this.classes },
      confusion: structuredClone(this.confusion),
      // Sorted by id, so the same run writes the same bytes whatever order receivers answered in.
      causesByReceiver: Object.fromEntries(
        [...this.causesByReceiver.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([id, row]) => [id, { ...row }]),
      ),
    };
  }

  private onAttempt(record: AttemptRecord): void {
    this.attempts++;
    this.classes[record.class]++;
    if (record.reply === undefined) {
      this.attemptsUnpaired++;
      return;
    }
    this.answered++;
    if (record.stage !== undefined && SESSION_STAGES.has(record.stage)) {
      const receiver = this.receiverOfMxHost(record.mxHost);
      const cause = receiver === undefined ? undefined : this.sessionTruths.get(`${receiver} ${record.sourceIp}`);
      if (cause === undefined) this.attemptsUnpaired++;
      else this.count(cause, record.class, record.action);
      return;
    }
    const pending = this.pendingFor(record.recipient);
    if (this.sees === 'outcomes' && pending.truths.length > 1) {
      // The answers before the latest were retried through without a word from the sender.
      this.unreportedAnswers += pending.truths.length - 1;
      pending.truths.splice(0, pending.truths.length - 1);
    }
    pending.attempts.push({ cls: record.class, action: record.action });
    this.pair(record.recipient);
  }

  private count(cause: Cause, cls: Class, action: Action): void {
    const row = this.confusion[cause];
    row[cls] = (row[cls] ?? 0) + 1;
    this.onPair(cause, cls, action);
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
      const attempt = pairs.attempts.shift() as { cls: Class; action: Action };
      this.count(pairs.truths.shift() as Cause, attempt.cls, attempt.action);
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
