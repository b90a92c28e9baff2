/**
 * What the reference engine is given (its clock, chance, transport, DNS, egress, shaping,
 * policy, and where its records and notices go) and what it takes in and reports.
 */
import type { AccountingRecord, MessageOwner } from '../../accounting.ts';
import type { EpochMs, Rng, Scheduler, SmtpReply, Transport } from '../../../kernel/index.ts';
import type { VerpConfig } from '../verp.ts';
import type { Delivery, MessageData } from './delivery.ts';
import type { EgressConfig } from './egress.ts';
import type { HygieneOptions } from './outbound-hygiene.ts';
import type { SendPolicy } from './policy.ts';
import type { MxResolver } from './resolver.ts';
import type { RetryPolicy } from './retry-schedule.ts';
import type { ShapingConfig } from './shaping/config.ts';
import type { AttemptAnswer } from './settlement.ts';

export interface EngineOptions {
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly transport: Transport;
  readonly resolver: MxResolver;
  /** Sources (virtual MTAs), pools, and each tenant's pool. */
  readonly egress: EgressConfig;
  /** Layered shaping (default → provider → domain → source). @defaultValue the built-in presets */
  readonly shaping?: ShapingConfig;
  readonly retry?: Partial<RetryPolicy>;
  /** The send policy's hooks. @defaultValue basicPolicy() */
  readonly policy?: SendPolicy;
  /** Headers and DKIM added before a message leaves. */
  readonly hygiene?: HygieneOptions;
  /**
   * VERP: each recipient's MAIL FROM names the message and the recipient
   * (`bounces+<id>=<local>=<domain>@…`), so a bounce says whom it is about. One recipient per
   * transaction then. @defaultValue off: MAIL FROM is the injected envelope sender
   */
  readonly verp?: VerpConfig;
  /** Told when a recipient fails or waits long, with what a DSN to the envelope sender needs. */
  readonly onUndeliverable?: (notice: UndeliverableNotice) => void;
  readonly onRecord: (record: AccountingRecord) => void;
  /** Told when a message on disk could not be read for an attempt (it is tried again later). */
  readonly onLoadError?: (messageId: string, error: unknown) => void;
}

/** What the engine tells a DSN writer about a recipient that failed, expired or is delayed. */
export interface UndeliverableNotice {
  readonly kind: 'failed' | 'expired' | 'delayed';
  readonly atMs: EpochMs;
  readonly messageId: string;
  /** The envelope sender given at injection: where a DSN goes. */
  readonly mailFrom: string;
  readonly recipient: string;
  /** The message as it went out (or how to load it). */
  readonly data: MessageData;
  readonly receivedAtMs: EpochMs;
  readonly expiresAtMs: EpochMs;
  readonly attempts: number;
  readonly reply?: SmtpReply;
  readonly networkError?: string;
  readonly mxHost?: string;
}

export interface InjectedMessage {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** The RFC 5322 message, CRLF line ends; or where to load it from (the service's spool). */
  readonly data: MessageData;
  readonly owner?: MessageOwner;
  /** The spool's id for a durable message; the engine makes one otherwise. */
  readonly id?: string;
  /** When it was first received: a message recovered after a crash keeps its age. */
  readonly receivedAtMs?: EpochMs;
  /** Recovered after a crash: its recipients may have been delivered once already. */
  readonly redelivery?: boolean;
}

export interface EngineStats {
  readonly injected: number;
  readonly final: number;
  /** Recipients waiting in a scheduled or ready queue. */
  readonly queued: number;
  readonly sessionsOpen: number;
}

/** What the engine knows about where a domain's mail goes. */

/** What a DSN writer is told of a recipient of `delivery`, with what the attempt answered. */
export function undeliverableNotice(
  kind: UndeliverableNotice['kind'],
  delivery: Delivery,
  recipient: string,
  answer: AttemptAnswer,
  atMs: EpochMs,
): UndeliverableNotice {
  return {
    kind,
    atMs,
    messageId: delivery.messageId,
    mailFrom: delivery.mailFrom,
    recipient,
    data: delivery.data,
    receivedAtMs: delivery.receivedAtMs,
    expiresAtMs: delivery.expiresAtMs,
    attempts: answer.attempts ?? delivery.attemptsMade,
    ...(answer.reply === undefined ? {} : { reply: answer.reply }),
    ...(answer.networkError === undefined ? {} : { networkError: answer.networkError }),
    ...(answer.mxHost === undefined ? {} : { mxHost: answer.mxHost }),
  };
}
