/**
 * What a receiver sends back after the SMTP dialogue is over: complaints (through a feedback
 * loop), bounces of mail it had accepted (accept now, bounce later), and the engagement of
 * the people who read it. Receivers emit these as data at the time they happen; the runner
 * turns complaints and bounces into RFC 5965 / RFC 3464 messages (sim/later/arf.ts, dsn.ts)
 * and delivers them to the sender, and hands engagement to senders that consume it.
 */
import type { BounceMailFormat } from './bounce-mail.ts';
import type { Cause, EpochMs, SmtpReply } from '../../kernel/index.ts';

interface LaterEventBase {
  readonly atMs: EpochMs;
  /** The receiver that sends it. */
  readonly receiver: string;
  readonly recipient: string;
  /** The envelope sender of the original message. */
  readonly mailFrom: string;
  /** The sending IP the original message came from. */
  readonly peerIp: string;
}

/** A recipient marked the message as spam; providers with an ARF feedback loop report it. */
export interface ComplaintEvent extends LaterEventBase {
  readonly kind: 'complaint';
  /** The feedback loop's name, e.g. `Yahoo Complaint Feedback Loop (CFL)` (the ARF User-Agent). */
  readonly feedbackLoop: string;
  /** The host name that reports it. */
  readonly reportingMta: string;
  /** The original message's header block (CRLF lines), as ARF reports quote it. */
  readonly originalHeaders: string;
  /** When the provider received the original. */
  readonly arrivalMs: EpochMs;
}

/** A message accepted at SMTP failed later; the receiver bounces it to the envelope sender. */
export interface AsyncBounceEvent extends LaterEventBase {
  readonly kind: 'async-bounce';
  readonly cause: Cause;
  /** The downstream reply the bounce quotes. */
  readonly reply: SmtpReply;
  readonly originalHeaders: string;
  /** The host name that reports it (Reporting-MTA). */
  readonly reportingMta: string;
  readonly arrivalMs: EpochMs;
  /** How the reporting relay writes its bounce (bounce-mail.ts); RFC 3464 when absent. */
  readonly format?: BounceMailFormat;
}

/** The person behind the mailbox opened or clicked. */
export interface EngagementEvent extends LaterEventBase {
  readonly kind: 'engagement';
  readonly action: 'open' | 'click';
}

export type LaterEvent = ComplaintEvent | AsyncBounceEvent | EngagementEvent;

export type LaterEventListener = (event: LaterEvent) => void;

/** Where receivers emit later events; observers subscribe (the runner, tests). */
export class LaterEventLog {
  private readonly listeners: LaterEventListener[] = [];
  private readonly counts = { complaint: 0, 'async-bounce': 0, engagement: 0, open: 0, click: 0 };

  emit(event: LaterEvent): void {
    this.counts[event.kind]++;
    if (event.kind === 'engagement') this.counts[event.action]++;
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: LaterEventListener): void {
    this.listeners.push(listener);
  }

  /** Events emitted so far, by kind, or engagement events by action. */
  count(kind: LaterEvent['kind'] | EngagementEvent['action']): number {
    return this.counts[kind];
  }
}
