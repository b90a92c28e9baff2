/** What the spool writes and keeps: its record kinds, the message without and with its body, and where a record sits. */

/** What the spool keeps in memory about a message: everything but its body. */
export interface SpoolEnvelope {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** When the engine received it (epoch ms, the engine's clock). */
  readonly receivedAtMs: number;
  /** What the engine attaches: tenant, campaign, pool. */
  readonly meta: Readonly<Record<string, string>>;
}

export interface SpoolMessage extends SpoolEnvelope {
  /** RFC 5322, CRLF line ends. */
  readonly data: string;
}

export interface RecoveredMessage extends SpoolEnvelope {
  readonly id: string;
  /** Recipients with no durable final mark: they will be delivered (again). */
  readonly pending: readonly string[];
  /** The size of its record on disk; the body is read with `body(id)`. */
  readonly bytes: number;
}

/** A body on disk, read when an attempt needs it. */
export interface SpooledBody {
  readonly bytes: number;
  load(): Promise<string>;
}

export interface SpoolStats {
  readonly segments: number;
  readonly liveMessages: number;
  /** Bytes of the records of live messages: what the spool holds on disk for mail not yet final. */
  readonly liveBytes: number;
  readonly fsyncs: number;
  /** Batches refused because a write or a sync failed (their clients got the error). */
  readonly failedWrites: number;
  /** Recipients recovered at open that may already have been delivered (at-least-once). */
  readonly recoveredRecipients: number;
  /** Segments where reading stopped at a corrupt record (not a torn tail). */
  readonly corruptSegments: readonly string[];
}

/** A message (`E`, enqueued) or a final mark (`F`, for one recipient or, without `r`, the whole message). */
export type SpoolRecord =
  | { readonly t: 'E'; readonly id: string; readonly m: SpoolMessage }
  | { readonly t: 'F'; readonly id: string; readonly r?: string };

/** Where a message's record is: its segment, the byte it starts at, its length with the header. */
export interface RecordLocation {
  readonly segment: number;
  readonly offset: number;
  readonly bytes: number;
}

/** Throws a TypeError naming the first field of `messages[index]` that is not what the spool stores. */
export function validateSpoolMessage(message: SpoolMessage, index: number): void {
  const where = `messages[${index}]`;
  if (typeof message.mailFrom !== 'string') throw new TypeError(`${where}.mailFrom must be a string`);
  if (!Array.isArray(message.recipients) || message.recipients.length === 0)
    throw new TypeError(`${where}.recipients must be a non-empty list`);
  if (message.recipients.some((recipient) => typeof recipient !== 'string'))
    throw new TypeError(`${where}.recipients must be strings`);
  if (typeof message.data !== 'string' || message.data.length === 0)
    throw new TypeError(`${where}.data must be a non-empty string`);
  if (!Number.isFinite(message.receivedAtMs)) throw new TypeError(`${where}.receivedAtMs must be a number`);
}

/** Records waiting for the next write: new messages (with their ids) and final marks. */
export interface Batch {
  readonly entries: { readonly id: string; readonly buffer: Buffer }[];
  readonly finals: Buffer[];
  /** Segments whose last live message a final mark of this batch retired: reclaimable once it is durable. */
  readonly retired: number[];
}

export const emptyBatch = (): Batch => ({ entries: [], finals: [], retired: [] });
