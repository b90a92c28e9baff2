/**
 * Ground truth (DESIGN rule 2): for every recipient attempt the receiver records what was
 * really going on. Scoring joins it with the sender's view; the sender never sees it.
 */
import type { Cause, EpochMs, SmtpReply, SmtpStage } from '../../kernel/index.ts';

export interface TruthRecord {
  readonly atMs: EpochMs;
  /** The receiver (provider or gateway) id, e.g. `gmail`. */
  readonly receiver: string;
  /** The sending IP the receiver saw. */
  readonly peerIp: string;
  readonly mailFrom: string;
  /**
   * The recipient; '' for a session-level refusal (at connect or MAIL, before any recipient
   * was named), which refuses every recipient the sender meant to send on that session.
   */
  readonly recipient: string;
  readonly stage: SmtpStage;
  readonly cause: Cause;
  readonly reply: SmtpReply;
  /**
   * Which policy branch decided, e.g. `gmail.rate.new-ip-hourly`: the mark a test asserts to
   * prove the branch fires (TigerBeetle's coverage marks).
   */
  readonly rule: string;
  /**
   * The sender got no reply (the receiver cut the connection or hung): there is no answered
   * attempt to pair this truth with, so scoring counts it apart.
   */
  readonly unanswered?: true;
  /**
   * Accepted now, failed later: the cause the receiver's later bounce (a DSN) will carry, and
   * when. TAXONOMY: the truth keeps both the SMTP-time acceptance and the later cause.
   */
  readonly later?: { readonly cause: Cause; readonly atMs: EpochMs };
}

export type TruthListener = (record: TruthRecord) => void;

/** Collects truth records; observers subscribe, nothing on the sender's path can read it. */
export class TruthRecorder {
  private readonly records: TruthRecord[] = [];
  private readonly listeners: TruthListener[] = [];

  record(truth: TruthRecord): void {
    this.records.push(truth);
    for (const listener of this.listeners) listener(truth);
  }

  subscribe(listener: TruthListener): void {
    this.listeners.push(listener);
  }

  all(): readonly TruthRecord[] {
    return this.records;
  }
}
