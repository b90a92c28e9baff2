/**
 * What a receiver model is to the rest of the bench. One object per provider or gateway,
 * driven verb by verb (smtp-server's hook vocabulary) by either transport: in-process calls
 * in sim mode, smtp-server hooks in wire mode. A receiver never knows which mode it is in.
 *
 * Each verb answers with an `SmtpReply` (data, never an exception) and records ground truth
 * for every recipient it decides on, through `ReceiverContext.truth`.
 */
import type { Clock, Rng, SmtpReply } from '../../kernel/index.ts';
import type { DnsZone } from '../dns/zone.ts';
import type { LaterEventLog } from '../later/events.ts';
import type { AuthenticationResults } from '../mechanisms/auth/authentication.ts';
import type { MailauthAudit } from '../mechanisms/auth/mailauth-audit.ts';
import type { FaultRates } from '../mechanisms/faults.ts';
import type { TruthRecorder } from '../truth/truth-record.ts';
import type { MailboxDirectory } from '../world/mailboxes.ts';

/** Everything a receiver may read from the world: time, its own chance stream, the truth log. */
export interface ReceiverContext {
  readonly clock: Clock;
  /** The receiver's own stream, forked from the run seed by receiver id. */
  readonly rng: Rng;
  readonly truth: TruthRecorder;
  readonly dns: DnsZone;
  readonly mailboxes: MailboxDirectory;
  /** Where complaints, later bounces and engagement go. */
  readonly later: LaterEventLog;
  /** Faults to inject; none when absent. */
  readonly faults?: FaultRates;
  /**
   * What the receiver already knew of a sending identity before the run (`ip:<address>` or
   * `domain:<organizational domain>`): an established sender's clean daily volume and the share
   * of it people engaged with. Absent: every identity is new to the receiver.
   */
  readonly senderHistory?: (key: string) => SenderHistory | undefined;
  /** Where sim mode has mailauth judge a sample of the messages too (mailauth-audit.ts); none when absent. */
  readonly authenticationAudit?: MailauthAudit;
}

/** A sending identity's standing at a receiver before the run: steady clean volume. */
export interface SenderHistory {
  /** Messages a day the receiver accepted from it, cleanly, over the past weeks. */
  readonly cleanPerDay: number;
  /** Share of them people opened or clicked, in [0, 1]. */
  readonly engagedShare: number;
}

/** `trap-network`: misspelt domains whose catch-all mailboxes are spamtraps (typo traps). */
export type ReceiverKind = 'provider' | 'gateway' | 'trap-network';

/** One SMTP session as the receiver tracks it; owned by the receiver, held by the transport. */
export interface ReceiverSession {
  readonly id: string;
  readonly peerIp: string;
  heloName: string;
  tls: boolean;
  /** The transaction in progress (after MAIL FROM), or null. */
  transaction: { mailFrom: string; recipients: string[] } | null;
  /** Messages accepted in this session so far. */
  messagesAccepted: number;
  /** True once the receiver has answered 421: the transport must close the connection. */
  closing: boolean;
  /**
   * A fault: `drop` cuts the connection instead of replying, `timeout` stops answering until
   * the client gives up (the wire listener waits, then cuts; sim mode cuts at once).
   */
  fault: 'none' | 'drop' | 'timeout';
}

/** A message body as it arrived at DATA. */
export interface ArrivingMessage {
  readonly data: string;
  readonly sizeBytes: number;
  /** Verdicts a real verifier already gave (mailauth, on the wire); absent, the receiver judges with its own. */
  readonly authentication?: AuthenticationResults;
}

/** A number a profile uses, with where it comes from (DESIGN rule 4). */
export interface ReceiverLimit {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** A citation, or `@assumption: why` when the provider publishes no number. */
  readonly source: string;
}

export interface ReceiverIdentity {
  /** Stable id used in reports and truth records, e.g. `gmail`. */
  readonly id: string;
  readonly name: string;
  readonly kind: ReceiverKind;
  /** Recipient domains this receiver hosts. */
  readonly domains: readonly string[];
  /** MX host names, in preference order. */
  readonly mxHosts: readonly string[];
  /** For gateways, how tenants' MX hosts are named (`<tenant>.mail.protection.outlook.com`). */
  readonly mxPattern?: string;
  /** The host name it gives in its greeting and EHLO answer. */
  readonly hostname: string;
  /** Largest message it accepts, in bytes (advertised as SIZE). */
  readonly maxMessageBytes: number;
  /** The numbers the profile uses, each with its source. */
  readonly limits: readonly ReceiverLimit[];
  /** Where the profile's behaviour and texts come from (non-empty). */
  readonly sources: readonly string[];
  /** The modules whose functions take this receiver's decisions, shared ones first. */
  readonly decidedIn?: readonly string[];
  /** Where a sender of the worst reputation band is refused: at connect (with its source) or at RCPT. */
  readonly reputationJudgedAt?: { readonly stage: 'connect' | 'rcpt'; readonly source: string };
}

export interface Receiver {
  readonly identity: ReceiverIdentity;
  /** A peer connects: the greeting, and a session unless the greeting refuses it. */
  open(peer: { readonly peerIp: string }): {
    readonly reply: SmtpReply;
    readonly session: ReceiverSession | null;
    /** A tarpit: the greeting comes this late (wire mode waits; sim mode does not charge it). */
    readonly delayMs?: number;
  };
  /** The session switched to TLS (STARTTLS done). */
  startTls?(session: ReceiverSession): void;
  /** The EHLO keywords it advertises (STARTTLS among them when it offers TLS). */
  readonly ehloExtensions?: readonly string[];
  /** Handles what is due by `nowMs` (later events); the runner calls it as time passes. */
  settle?(nowMs: number): void;
  helo(session: ReceiverSession, heloName: string): SmtpReply;
  mailFrom(session: ReceiverSession, address: string): SmtpReply;
  rcptTo(session: ReceiverSession, address: string): SmtpReply;
  /**
   * DATA was accepted and the body starts to arrive: `drop` cuts the connection in the middle
   * of the transfer (a fault), before any reply. @defaultValue always 'continue'
   */
  dataBegins?(session: ReceiverSession): 'continue' | 'drop';
  /**
   * The work before the answer to DATA that cannot be done synchronously: authentication by
   * mailauth, which resolves over promises. A transport that waits on real time (the wire
   * listener) gives the receiver this chance and passes what it returns to `data`; sim mode
   * never waits, and there the receiver's own verifier judges inside `data`.
   */
  prepareData?(session: ReceiverSession, message: ArrivingMessage): Promise<ArrivingMessage>;
  /** The message body arrived; one reply for every accepted recipient of the transaction. */
  data(session: ReceiverSession, message: ArrivingMessage): SmtpReply;
  /** RSET, or the end of a transaction: forget the envelope. */
  reset(session: ReceiverSession): void;
  close(session: ReceiverSession): void;
}
