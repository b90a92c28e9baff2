/**
 * What a sender under test tells the bench about its decisions: one record per event, in the
 * spirit of KumoMTA's log records. The bench learns a sender's decisions only from these
 * (or from the DSNs it sends), never from its insides (DESIGN rule 3). Every refusal or
 * acceptance of a recipient attempt carries the sender's `class` and `action`, which scoring
 * joins with the receivers' truth.
 *
 * Optional fields are omitted, not null, when absent.
 */
import type { EpochMs } from '../sim/clock/clock.ts';
import type { SmtpReply } from '../sim/smtp/reply.ts';
import type { SmtpStage } from '../sim/smtp/stage.ts';
import type { Action, Class } from '../sim/taxonomy.ts';

/** Fields every record about one recipient of one message carries. */
interface RecipientRecordBase {
  readonly atMs: EpochMs;
  readonly messageId: string;
  readonly recipient: string;
}

/** Fields of a record about one delivery attempt. */
interface AttemptRecordBase extends RecipientRecordBase {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The destination site (MX rollup: the sorted MX host set). */
  readonly site: string;
  readonly mxHost: string;
  readonly sourceIp: string;
  /**
   * The SMTP stage the answer came at (`connect`, `mail`, `rcpt`, `data`). A refusal before
   * RCPT refuses the whole session, not the recipient; scoring pairs it with the receiver's
   * session-level truth. Absent when the sender cannot tell (an MTA known only by its logs).
   */
  readonly stage?: SmtpStage;
  /** The receiver's reply; absent when the connection failed before one came. */
  readonly reply?: SmtpReply;
  /** Why there was no reply (connection refused, reset, timed out). */
  readonly networkError?: string;
  /** What the sender concluded. */
  readonly class: Class;
  /** What the sender does about it. */
  readonly action: Action;
  /** The classifier rule that decided, e.g. `generic.enhanced.5.1.1`. */
  readonly rule: string;
}

export interface ReceptionRecord extends RecipientRecordBase {
  readonly type: 'Reception';
  readonly mailFrom: string;
}

export interface DeliveryRecord extends AttemptRecordBase {
  readonly type: 'Delivery';
}

export interface TransientFailureRecord extends AttemptRecordBase {
  readonly type: 'TransientFailure';
  /** When the next attempt is due. */
  readonly nextAttemptAtMs: EpochMs;
}

export interface BounceRecord extends AttemptRecordBase {
  readonly type: 'Bounce';
}

export interface ExpirationRecord extends RecipientRecordBase {
  readonly type: 'Expiration';
  /** Attempts made before the message expired. */
  readonly attempts: number;
}

export type AccountingRecord =
  | ReceptionRecord
  | DeliveryRecord
  | TransientFailureRecord
  | BounceRecord
  | ExpirationRecord;

export type AccountingRecordType = AccountingRecord['type'];
/** Records about a recipient attempt that got an answer (or a network error). */
export type AttemptRecord = DeliveryRecord | TransientFailureRecord | BounceRecord;
/** Records that end a recipient's life in the queue: exactly one per injected recipient. */
export type FinalRecord = DeliveryRecord | BounceRecord | ExpirationRecord;

export function isAttemptRecord(record: AccountingRecord): record is AttemptRecord {
  return record.type === 'Delivery' || record.type === 'TransientFailure' || record.type === 'Bounce';
}

export function isFinalRecord(record: AccountingRecord): record is FinalRecord {
  return record.type === 'Delivery' || record.type === 'Bounce' || record.type === 'Expiration';
}
