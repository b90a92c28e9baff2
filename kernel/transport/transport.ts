/**
 * How a sender reaches a receiver. Two implementations share this contract: in-process
 * (sim mode, sim/transport/in-process.ts: straight calls into the receiver models, no
 * sockets) and real SMTP (wire mode: the sender's own SMTP client, e.g. the reference
 * engine's nodemailer-based one, talking to sim/transport/smtp-listener.ts).
 *
 * Refusals are data: every outcome is a value, a method rejects only on a programmer error.
 */
import type { SmtpReply } from '../smtp/reply.ts';
import type { SmtpStage } from '../smtp/stage.ts';

/**
 * STARTTLS policy for one connection, as Postfix's smtp_tls_security_level names it:
 * `disabled` (none), `opportunistic` (may: STARTTLS when offered, certificate not checked),
 * `required` (verify: STARTTLS or no delivery, certificate checked against the trusted CAs).
 */
export type TlsPolicy = 'disabled' | 'opportunistic' | 'required';

export interface ConnectParams {
  /** The loopback address the sender binds: its sending IP as the receiver sees it. */
  readonly sourceIp: string;
  /** The name the sender gives in EHLO. */
  readonly heloName: string;
  /** The MX host name the sender resolved for the destination. */
  readonly mxHost: string;
  /** Where that host listens (wire mode); the in-process transport routes by `mxHost`. */
  readonly address: string;
  readonly port: number;
  /** @defaultValue 'opportunistic' */
  readonly tls?: TlsPolicy;
}

export interface Envelope {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
}

export interface OutboundMessage {
  readonly envelope: Envelope;
  /** The RFC 5322 message, headers and body, CRLF line ends. */
  readonly data: string;
}

/** What happened to one recipient of a transaction: a reply, or the connection broke first. */
export type RecipientOutcome =
  | { readonly kind: 'reply'; readonly recipient: string; readonly stage: SmtpStage; readonly reply: SmtpReply }
  | { readonly kind: 'network-error'; readonly recipient: string; readonly stage: SmtpStage; readonly message: string };

export interface TransactionOutcome {
  /** One outcome per envelope recipient, in envelope order. */
  readonly recipients: readonly RecipientOutcome[];
  /** The receiver ended the session (a 421, or the connection dropped): open a new one. */
  readonly sessionClosed: boolean;
}

export interface TransportSession {
  /** The receiver's greeting (220). */
  readonly greeting: SmtpReply;
  /** Whether the session runs over TLS (STARTTLS done). */
  readonly tls: boolean;
  send(message: OutboundMessage): Promise<TransactionOutcome>;
  /** Ends the session politely (QUIT); safe to call on a session the receiver closed. */
  close(): Promise<void>;
}

export type ConnectOutcome =
  | { readonly kind: 'open'; readonly session: TransportSession }
  /** The receiver answered but refused the session (e.g. a 421 or 554 greeting). */
  | { readonly kind: 'refused'; readonly reply: SmtpReply }
  | { readonly kind: 'network-error'; readonly message: string };

export interface Transport {
  connect(params: ConnectParams): Promise<ConnectOutcome>;
}
