/**
 * The reference engine's real SMTP client: nodemailer's connection layer (`SMTPConnection`),
 * one connection reused for many messages, bound to the engine's loopback source address.
 * research/perf-baseline.md measured it 3-7x faster than pooled `sendMail` on loopback, and it
 * hands back every reply, which is what classification needs.
 *
 * This file turns nodemailer's callbacks and errors into the Transport contract: one outcome
 * per recipient, with the reply and the stage that decided it. Refusals are values; the
 * promises reject only on a programmer error.
 *
 * One thing nodemailer does not expose publicly: after a 421 (the server closes the session)
 * the send callback gets a bare "Server closed the connection" error, and which recipients had
 * already been answered is only on the connection's `_envelope`. We read it there, guarded, so
 * the 421 lands on the recipient it answered and the others count as unanswered.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SMTPConnectionEnvelope, SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { isLoopbackIpv4, parseReply, reply } from '../../../kernel/index.ts';
import type {
  ConnectOutcome,
  ConnectParams,
  OutboundMessage,
  RecipientOutcome,
  SmtpReply,
  SmtpStage,
  TransactionOutcome,
  Transport,
  TransportSession,
} from '../../../kernel/index.ts';

/** Time limits: generous for loopback, but a stuck receiver must not hold a run for ever. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

interface NodemailerFailure {
  readonly code?: string | undefined;
  readonly command?: string | undefined;
  readonly response?: string | undefined;
  readonly responseCode?: number | undefined;
  readonly recipient?: string | undefined;
  readonly rejectedErrors?: readonly NodemailerFailure[] | undefined;
  readonly message: string;
}

/** A raw server reply as nodemailer keeps it (`550 5.1.1 text`) as an SmtpReply. */
function replyFromResponse(response: string): SmtpReply {
  const code = Number(response.slice(0, 3));
  return parseReply(Number.isInteger(code) && code >= 200 && code <= 599 ? code : 500, response);
}

export interface SmtpClientOptions {
  /**
   * PEM certificates of the CAs to trust when TLS is `required` (the bench CA in wire mode).
   * @defaultValue node's bundled roots
   */
  readonly ca?: string;
}

export class SmtpClientTransport implements Transport {
  constructor(private readonly options: SmtpClientOptions = {}) {}

  connect(params: ConnectParams): Promise<ConnectOutcome> {
    // DESIGN rule 6: inside the bench, no address outside loopback is ever a target.
    for (const address of [params.address, params.sourceIp]) {
      if (!isLoopbackIpv4(address))
        return Promise.resolve({
          kind: 'network-error',
          message: `refusing ${address}: the bench connects from and to 127.0.0.0/8 only`,
        });
    }
    const connection = new SMTPConnection({
      host: params.address,
      port: params.port,
      localAddress: params.sourceIp,
      name: params.heloName,
      secure: false,
      ...tlsOptions(params, this.options.ca),
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
    return new Promise<ConnectOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: ConnectOutcome): void => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      connection.once('error', (error: NodemailerFailure) => {
        settle(connectFailure(error));
      });
      connection.connect((error?: NodemailerFailure) => {
        if (error !== undefined) {
          settle(connectFailure(error));
          return;
        }
        settle({ kind: 'open', session: new SmtpClientSession(connection, params.mxHost) });
      });
    });
  }
}

/**
 * nodemailer's switches for a TLS policy. Opportunistic TLS does not check the certificate,
 * as Postfix's `may` does not: refusing a bad certificate would only push the mail to
 * plaintext. Required TLS checks it against `ca` and the MX host name.
 */
function tlsOptions(params: ConnectParams, ca: string | undefined) {
  switch (params.tls ?? 'opportunistic') {
    case 'disabled':
      return { ignoreTLS: true };
    case 'opportunistic':
      return { opportunisticTLS: true, tls: { rejectUnauthorized: false, servername: params.mxHost } };
    case 'required':
      return {
        requireTLS: true,
        tls: { rejectUnauthorized: true, servername: params.mxHost, ...(ca === undefined ? {} : { ca }) },
      };
  }
}

function connectFailure(error: NodemailerFailure): ConnectOutcome {
  // A TLS failure is the path's, not the receiver's answer about the mail: it defers, as
  // Postfix's "TLS is required, but was not offered by host" does, whatever the reply code.
  if (error.code === 'ETLS')
    return {
      kind: 'network-error',
      message: `ETLS: ${error.message}${error.response === undefined ? '' : ` (${error.response})`}`,
    };
  if (error.response !== undefined && error.responseCode !== undefined)
    return { kind: 'refused', reply: replyFromResponse(error.response) };
  return { kind: 'network-error', message: `${error.code ?? 'ERROR'}: ${error.message}` };
}

class SmtpClientSession implements TransportSession {
  readonly tls: boolean;
  /** nodemailer keeps no greeting text; the session stands for a 220 it received. */
  readonly greeting: SmtpReply;
  private closed = false;

  constructor(
    private readonly connection: SMTPConnection,
    mxHost: string,
  ) {
    this.greeting = reply(220, null, `${mxHost} ESMTP`);
    this.tls = connection.secure;
    // Errors after the handshake also reach send()'s callback; this listener only keeps an
    // 'error' event from becoming an uncaught exception and marks the session dead.
    connection.on('error', () => {
      this.closed = true;
    });
    connection.once('end', () => {
      this.closed = true;
    });
  }

  send(message: OutboundMessage): Promise<TransactionOutcome> {
    const recipients = message.envelope.recipients;
    if (this.closed) {
      return Promise.resolve({
        recipients: recipients.map((recipient) => unanswered(recipient, 'mail', 'the connection is closed')),
        sessionClosed: true,
      });
    }
    return new Promise<TransactionOutcome>((resolve) => {
      this.connection.send({ from: message.envelope.mailFrom, to: [...recipients] }, message.data, (error, info) => {
        if (error === null && info !== undefined) {
          resolve({ recipients: this.fromSuccess(recipients, info), sessionClosed: this.closed });
          return;
        }
        const failure = (error ?? { message: 'send failed without an error' }) as NodemailerFailure;
        const outcomes = this.fromFailure(recipients, failure);
        if (this.closed) {
          resolve({ recipients: outcomes, sessionClosed: true });
          return;
        }
        // The transaction failed but the connection lives: RSET before the next MAIL FROM.
        this.connection.reset((resetError) => {
          if (resetError !== null) this.closed = true;
          resolve({ recipients: outcomes, sessionClosed: this.closed });
        });
      });
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise<void>((resolve) => {
      this.connection.once('end', () => resolve());
      this.connection.quit();
    });
  }

  private fromSuccess(recipients: readonly string[], info: SMTPConnectionSendInfo): RecipientOutcome[] {
    const dataReply = replyFromResponse(info.response);
    const rejected = rejectionsByRecipient(info.rejectedErrors ?? []);
    return recipients.map((recipient) => {
      const refusal = rejected.get(recipient.toLowerCase());
      if (refusal !== undefined) return { kind: 'reply', recipient, stage: 'rcpt', reply: refusal };
      return { kind: 'reply', recipient, stage: 'data', reply: dataReply };
    });
  }

  private fromFailure(recipients: readonly string[], failure: NodemailerFailure): RecipientOutcome[] {
    const command = failure.command ?? '';
    const failureReply = failure.response === undefined ? undefined : replyFromResponse(failure.response);
    if (command === 'MAIL FROM' && failureReply !== undefined) {
      return recipients.map((recipient) => ({ kind: 'reply', recipient, stage: 'mail', reply: failureReply }));
    }
    const envelope = this.envelopeInFlight();
    const rejected = rejectionsByRecipient([...(failure.rejectedErrors ?? []), ...(envelope?.rejectedErrors ?? [])]);
    const accepted = new Set((envelope?.accepted ?? []).map((address) => address.toLowerCase()));
    return recipients.map((recipient): RecipientOutcome => {
      const key = recipient.toLowerCase();
      const refusal = rejected.get(key);
      if (refusal !== undefined) return { kind: 'reply', recipient, stage: 'rcpt', reply: refusal };
      if (accepted.has(key)) {
        // The recipient was accepted; the DATA phase failed for the whole message.
        if (command === 'DATA' && failureReply !== undefined)
          return { kind: 'reply', recipient, stage: 'data', reply: failureReply };
        return unanswered(recipient, 'data', failure.message);
      }
      return unanswered(recipient, 'rcpt', failure.message);
    });
  }

  /** The envelope nodemailer is sending, when it still has one (see the file comment). */
  private envelopeInFlight(): Pick<SMTPConnectionEnvelope, 'accepted' | 'rejectedErrors'> | undefined {
    const envelope = (this.connection as unknown as { _envelope?: unknown })._envelope;
    if (typeof envelope !== 'object' || envelope === null) return undefined;
    const candidate = envelope as Partial<SMTPConnectionEnvelope>;
    if (!Array.isArray(candidate.accepted) || !Array.isArray(candidate.rejectedErrors)) return undefined;
    return { accepted: candidate.accepted, rejectedErrors: candidate.rejectedErrors };
  }
}

function rejectionsByRecipient(errors: readonly NodemailerFailure[]): Map<string, SmtpReply> {
  const byRecipient = new Map<string, SmtpReply>();
  for (const error of errors) {
    if (error.recipient !== undefined && error.response !== undefined)
      byRecipient.set(error.recipient.toLowerCase(), replyFromResponse(error.response));
  }
  return byRecipient;
}

function unanswered(recipient: string, stage: SmtpStage, message: string): RecipientOutcome {
  return { kind: 'network-error', recipient, stage, message };
}
