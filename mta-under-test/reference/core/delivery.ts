/**
 * The unit the engine moves through its queues: one message's recipients at one destination
 * domain, attempted together (up to the path's recipients per transaction). Immutable: a retry
 * is a new Delivery with the recipients still open and one more attempt on record.
 */
import type { Class, EpochMs } from '../../../kernel/index.ts';
import type { MessageOwner } from '../../accounting.ts';

/**
 * A message's bytes as the engine holds them: in memory (sim mode, tests), or on the spool's disk
 * and read when an attempt needs them (the service: a queue of 10 MB messages costs their
 * envelopes in memory, not their bodies).
 */
export type MessageData = string | StoredData;

export interface StoredData {
  readonly bytes: number;
  load(): Promise<string>;
}

export interface Delivery {
  readonly messageId: string;
  /** The envelope sender given at injection (DSNs go there). */
  readonly mailFrom: string;
  /** The message as it goes out (headers added and DKIM-signed), or how to load it so. */
  readonly data: MessageData;
  readonly receivedAtMs: EpochMs;
  /** No attempt after this; the recipients still open then expire. */
  readonly expiresAtMs: EpochMs;
  readonly domain: string;
  /** The scheduled queue, `campaign:tenant@domain`. */
  readonly queue: string;
  readonly owner: MessageOwner;
  readonly recipients: readonly string[];
  /** Attempts made so far for these recipients. */
  readonly attemptsMade: number;
  /** The class of the last failed attempt, for the retry schedule and the DSN. */
  readonly lastClass?: Class;
}

/** KumoMTA's scheduled-queue name: `campaign:tenant@domain`, parts omitted when absent. */
export function scheduledQueueName(owner: MessageOwner, domain: string): string {
  return `${owner.campaign === undefined ? '' : `${owner.campaign}:`}${owner.tenant === undefined ? '' : `${owner.tenant}@`}${domain}`;
}

/** The owner fields that are set, for spreading into records (optional fields are omitted, never undefined). */
export function ownerFields(owner: MessageOwner): MessageOwner {
  return {
    ...(owner.tenant === undefined ? {} : { tenant: owner.tenant }),
    ...(owner.campaign === undefined ? {} : { campaign: owner.campaign }),
    ...(owner.pool === undefined ? {} : { pool: owner.pool }),
  };
}
