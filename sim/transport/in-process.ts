/**
 * Sim mode's transport: the sender's SMTP dialogue as straight calls into the receiver
 * models, no sockets. It keeps the wire's observable behaviour: replies per verb, the DATA
 * reply for every accepted recipient, and a receiver that answered 421 closes the session,
 * so recipients it never answered get a network error, as they would over TCP.
 *
 * Every promise it returns is already settled: it never waits for time, so a virtual-clock
 * task that sends a whole queue still runs at one simulated instant. Time a real server would
 * make the sender wait (a slow banner, a hung DATA) is therefore not charged in sim mode; a
 * hung DATA ends at once as the network error the client would see after its timeout.
 */
import { isPositive } from '../../kernel/index.ts';
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
} from '../../kernel/index.ts';
import type { Fleet } from '../receivers/fleet.ts';
import type { Receiver, ReceiverSession } from '../receivers/receiver.ts';

const CLOSED_BY_RECEIVER = 'connection closed by the receiver';

/** What went over the in-process wire: the bench's exact work counts (deterministic for a seed). */
export interface TransportWork {
  connections: number;
  transactions: number;
  /** Message bytes handed to receivers' DATA. */
  dataBytes: number;
}

export class InProcessTransport implements Transport {
  readonly work: TransportWork = { connections: 0, transactions: 0, dataBytes: 0 };

  constructor(private readonly fleet: Fleet) {}

  connect(params: ConnectParams): Promise<ConnectOutcome> {
    this.work.connections++;
    const receiver = this.fleet.receiverForMxHost(params.mxHost);
    if (receiver === undefined) {
      return Promise.resolve({ kind: 'network-error', message: `no receiver answers at ${params.mxHost}` });
    }
    const opened = receiver.open({ peerIp: params.sourceIp });
    if (opened.session === null || !isPositive(opened.reply)) {
      if (opened.session !== null) receiver.close(opened.session);
      return Promise.resolve({ kind: 'refused', reply: opened.reply });
    }
    const heloReply = receiver.helo(opened.session, params.heloName);
    if (!isPositive(heloReply)) {
      receiver.close(opened.session);
      return Promise.resolve({ kind: 'refused', reply: heloReply });
    }
    // The sender's TLS policy; in-process there is no certificate, so `required` means offered.
    const policy = params.tls ?? 'opportunistic';
    const offered = receiver.ehloExtensions?.includes('STARTTLS') === true && receiver.startTls !== undefined;
    if (policy === 'required' && !offered) {
      receiver.close(opened.session);
      return Promise.resolve({
        kind: 'network-error',
        message: `ETLS: ${params.mxHost} does not offer STARTTLS and this site requires TLS`,
      });
    }
    const tls = offered && policy !== 'disabled';
    if (tls) receiver.startTls?.(opened.session);
    return Promise.resolve({
      kind: 'open',
      session: new InProcessSession(receiver, opened.session, opened.reply, tls, this.work),
    });
  }
}

class InProcessSession implements TransportSession {
  private closed = false;

  constructor(
    private readonly receiver: Receiver,
    private readonly session: ReceiverSession,
    readonly greeting: SmtpReply,
    readonly tls: boolean,
    private readonly work: TransportWork,
  ) {}

  send(message: OutboundMessage): Promise<TransactionOutcome> {
    this.work.transactions++;
    return Promise.resolve(this.transact(message));
  }

  close(): Promise<void> {
    this.end();
    return Promise.resolve();
  }

  private transact(message: OutboundMessage): TransactionOutcome {
    const { mailFrom, recipients } = message.envelope;
    if (this.closed || this.session.closing) return this.dropped(recipients, 'mail');
    const mailReply = this.receiver.mailFrom(this.session, mailFrom);
    if (!isPositive(mailReply)) {
      this.receiver.reset(this.session);
      return this.finish(recipients.map((recipient) => replied(recipient, 'mail', mailReply)));
    }
    // By position, not by address: an envelope may name an address twice.
    const outcomes: (RecipientOutcome | undefined)[] = [];
    const accepted: number[] = [];
    recipients.forEach((recipient, index) => {
      if (this.session.closing) {
        outcomes[index] = dropped(recipient, 'rcpt');
        return;
      }
      const rcptReply = this.receiver.rcptTo(this.session, recipient);
      if (isPositive(rcptReply)) accepted.push(index);
      else outcomes[index] = replied(recipient, 'rcpt', rcptReply);
    });
    if (accepted.length > 0) {
      if (this.session.closing || this.receiver.dataBegins?.(this.session) === 'drop') {
        for (const index of accepted) outcomes[index] = dropped(recipients[index] as string, 'data');
      } else {
        const sizeBytes = Buffer.byteLength(message.data);
        this.work.dataBytes += sizeBytes;
        const dataReply = this.receiver.data(this.session, { data: message.data, sizeBytes });
        // A receiver fault cuts the connection instead of answering (a timeout too: sim mode does not wait).
        const cut = this.session.fault !== 'none';
        for (const index of accepted)
          outcomes[index] = cut
            ? dropped(recipients[index] as string, 'data')
            : replied(recipients[index] as string, 'data', dataReply);
      }
    }
    this.receiver.reset(this.session);
    return this.finish(recipients.map((recipient, index) => outcomes[index] ?? dropped(recipient, 'rcpt')));
  }

  private finish(recipients: RecipientOutcome[]): TransactionOutcome {
    if (this.session.closing) this.end();
    return { recipients, sessionClosed: this.closed };
  }

  private dropped(recipients: readonly string[], stage: SmtpStage): TransactionOutcome {
    this.end();
    return { recipients: recipients.map((recipient) => dropped(recipient, stage)), sessionClosed: true };
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.receiver.close(this.session);
  }
}

function replied(recipient: string, stage: SmtpStage, reply: SmtpReply): RecipientOutcome {
  return { kind: 'reply', recipient, stage, reply };
}

function dropped(recipient: string, stage: SmtpStage): RecipientOutcome {
  return { kind: 'network-error', recipient, stage, message: CLOSED_BY_RECEIVER };
}
