/**
 * What a sender under test tells the bench about its decisions: one record per event, in the
 * spirit of KumoMTA's log records (research/engines.md §3.8), with what KumoMTA's lacks: the
 * rule that decided, and the engine's own throttle and suspend decisions as records, so a
 * report can show why throughput dropped (§9.2 item 9). The bench learns a sender's decisions
 * only from these (or from the DSNs it sends), never from its insides (DESIGN rule 3). Every
 * refusal or acceptance of a recipient attempt carries the sender's `class` and `action`,
 * which scoring joins with the receivers' truth.
 *
 * Optional fields are omitted, not null, when absent.
 */
import type { Action, Class, EpochMs, SmtpReply, SmtpStage } from '../kernel/index.ts';

/** Who a message belongs to on the sender's side (KumoMTA's tenant and campaign, the pool it leaves from). */
export interface MessageOwner {
  readonly tenant?: string;
  readonly campaign?: string;
  /** The egress pool the message was injected for. */
  readonly pool?: string;
}

/** Fields every record about one recipient of one message carries. */
interface RecipientRecordBase extends MessageOwner {
  readonly atMs: EpochMs;
  readonly messageId: string;
  readonly recipient: string;
  /** The scheduled queue, `campaign:tenant@domain` (KumoMTA's naming). */
  readonly queue?: string;
}

/** Fields of a record about one delivery attempt. */
interface AttemptRecordBase extends RecipientRecordBase {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The destination site (MX rollup: the sorted MX host set). */
  readonly site: string;
  readonly mxHost: string;
  readonly sourceIp: string;
  /** The egress source (virtual MTA) by name, when the sender has named sources. */
  readonly source?: string;
  /** The provider block that shaped the path (`gmail`, `orange` …), when one matched. */
  readonly provider?: string;
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
  /** Why the rule decided as it did, in a few words each (matched phrases, counters). */
  readonly evidence?: readonly string[];
}

export interface ReceptionRecord extends RecipientRecordBase {
  readonly type: 'Reception';
  readonly mailFrom: string;
  /** Recovered from the spool after a crash: it may have been delivered once already (at-least-once). */
  readonly redelivery?: true;
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

/**
 * A recipient the engine failed without an attempt (KumoMTA's `AdminBounce`): it is on the
 * suppression list, an operator bounced it, or its domain cannot receive mail. Final.
 */
export interface AdminBounceRecord extends RecipientRecordBase {
  readonly type: 'AdminBounce';
  readonly reason: 'suppressed' | 'operator' | 'no-mail-domain' | 'stream-stopped';
  /** The class the engine holds the address for (what it was suppressed for). */
  readonly class: Class;
  readonly rule: string;
}

/**
 * An out-of-band bounce: a DSN (RFC 3464) that came back after the message was accepted,
 * joined to the original message by VERP or the correlation header (KumoMTA's `OOB`).
 */
export interface AsyncBounceRecord extends RecipientRecordBase {
  readonly type: 'AsyncBounce';
  /** The DSN's Status, e.g. `5.1.1`. */
  readonly status: string;
  /** The DSN's Diagnostic-Code, when it has one. */
  readonly diagnostic?: string;
  readonly reportingMta?: string;
  readonly class: Class;
  readonly action: Action;
  readonly rule: string;
  /** How the report was tied to the message: the VERP return path or the correlation header. */
  readonly joinedBy: 'verp' | 'header' | 'recipient';
}

/** A complaint (RFC 5965 ARF) from a feedback loop, joined to the original message. */
export interface FeedbackRecord extends RecipientRecordBase {
  readonly type: 'Feedback';
  /** ARF Feedback-Type, e.g. `abuse`. */
  readonly feedbackType: string;
  /** Who sent the report, e.g. the feedback loop's address. */
  readonly reporter?: string;
  readonly joinedBy: 'verp' | 'header' | 'recipient';
}

/** The suppression list changed: an address added (not mailed until `untilMs`) or lifted. */
export interface SuppressionRecord {
  readonly type: 'Suppression';
  readonly atMs: EpochMs;
  readonly recipient: string;
  readonly change: 'add' | 'lift';
  /** What the address is held for (add), or why it is lifted. */
  readonly class: Class;
  readonly rule: string;
  /** Add: the suppression expires then (suppressions expire, issue 5). */
  readonly untilMs?: EpochMs;
  readonly tenant?: string;
  readonly evidence?: readonly string[];
}

/**
 * Where a shaping decision applies: an egress path (source → site), everything from a source
 * to one provider, or everything from a source.
 */
export interface PathScope {
  readonly source: string;
  readonly site?: string;
  readonly provider?: string;
}

/** The engine changed how fast it sends on a path (adaptive throttling, warm-up caps). */
export interface ThrottleRecord {
  readonly type: 'Throttle';
  readonly atMs: EpochMs;
  readonly scope: PathScope;
  /** Messages per hour allowed before and after; null means no limit. */
  readonly ratePerHourBefore: number | null;
  readonly ratePerHourAfter: number | null;
  readonly reason: string;
  readonly rule: string;
}

/** The engine stopped sending on a path, a site, a source or a stream until a time. */
export interface SuspendRecord {
  readonly type: 'Suspend';
  readonly atMs: EpochMs;
  readonly scope: PathScope;
  readonly untilMs: EpochMs;
  readonly reason: string;
  readonly rule: string;
}

/** A suspension ended (its time ran out, or an operator or the policy lifted it). */
export interface ResumeRecord {
  readonly type: 'Resume';
  readonly atMs: EpochMs;
  readonly scope: PathScope;
  readonly reason: string;
  readonly rule: string;
}

/** A policy decision that is not a rate or a suspension: a warm-up stage, a pool move. */
export interface PolicyRecord {
  readonly type: 'Policy';
  readonly atMs: EpochMs;
  /** What changed, e.g. `warmup.advance`, `grid.promote`, `bogus.suspect`. */
  readonly decision: string;
  readonly subject: string;
  readonly detail: string;
  readonly rule: string;
  readonly tenant?: string;
}

export type AccountingRecord =
  | ReceptionRecord
  | DeliveryRecord
  | TransientFailureRecord
  | BounceRecord
  | ExpirationRecord
  | AdminBounceRecord
  | AsyncBounceRecord
  | FeedbackRecord
  | SuppressionRecord
  | ThrottleRecord
  | SuspendRecord
  | ResumeRecord
  | PolicyRecord;

export type AccountingRecordType = AccountingRecord['type'];
export const ACCOUNTING_RECORD_TYPES: readonly AccountingRecordType[] = [
  'Reception',
  'Delivery',
  'TransientFailure',
  'Bounce',
  'Expiration',
  'AdminBounce',
  'AsyncBounce',
  'Feedback',
  'Suppression',
  'Throttle',
  'Suspend',
  'Resume',
  'Policy',
];
/** Records about a recipient attempt that got an answer (or a network error). */
export type AttemptRecord = DeliveryRecord | TransientFailureRecord | BounceRecord;
/** Records that end a recipient's life in the queue: exactly one per injected recipient. */
export type FinalRecord = DeliveryRecord | BounceRecord | ExpirationRecord | AdminBounceRecord;
/** Records about the engine's own decisions on paths and policy, not about one recipient. */
export type DecisionRecord = ThrottleRecord | SuspendRecord | ResumeRecord | PolicyRecord;

export function isAttemptRecord(record: AccountingRecord): record is AttemptRecord {
  return record.type === 'Delivery' || record.type === 'TransientFailure' || record.type === 'Bounce';
}

export function isFinalRecord(record: AccountingRecord): record is FinalRecord {
  return (
    record.type === 'Delivery' ||
    record.type === 'Bounce' ||
    record.type === 'Expiration' ||
    record.type === 'AdminBounce'
  );
}

export function isDecisionRecord(record: AccountingRecord): record is DecisionRecord {
  return (
    record.type === 'Throttle' || record.type === 'Suspend' || record.type === 'Resume' || record.type === 'Policy'
  );
}

/** Records about one recipient of one message (everything but list and path decisions). */
export type RecipientRecord = Exclude<AccountingRecord, SuppressionRecord | DecisionRecord>;

export function isRecipientRecord(record: AccountingRecord): record is RecipientRecord {
  return record.type !== 'Suppression' && !isDecisionRecord(record);
}
