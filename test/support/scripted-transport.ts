/**
 * A Transport whose answers a test scripts, for the engine's unit and property tests. It
 * records what the engine did with it: connections opened, the most open at once, messages
 * per connection.
 */
import { reply } from '../../kernel/smtp/reply.ts';
import type { SmtpReply } from '../../kernel/smtp/reply.ts';
import type {
  ConnectOutcome,
  ConnectParams,
  OutboundMessage,
  RecipientOutcome,
  TransactionOutcome,
  Transport,
  TransportSession,
} from '../../kernel/transport/transport.ts';

/** What the receiver does with one recipient attempt. */
export type ScriptedAnswer = 'accept' | 'defer' | 'reject' | 'rate-limit-and-close' | 'drop';

export const SCRIPTED_REPLIES: Record<Exclude<ScriptedAnswer, 'drop'>, SmtpReply> = {
  accept: reply(250, '2.0.0', 'OK queued'),
  defer: reply(451, '4.3.0', 'Mail server temporarily rejected message.'),
  reject: reply(550, '5.1.1', 'The email account that you tried to reach does not exist.'),
  'rate-limit-and-close': reply(
    421,
    '4.7.28',
    'Our system has detected an unusual rate of unsolicited mail originating from your IP address.',
  ),
};

/** Decides the answer for the `attempt`-th try (1-based) of `recipient`. */
export type Script = (recipient: string, attempt: number) => ScriptedAnswer;

export class ScriptedTransport implements Transport {
  connections = 0;
  openNow = 0;
  openMax = 0;
  readonly messagesPerConnection: number[] = [];
  readonly connectParams: ConnectParams[] = [];
  private readonly attempts = new Map<string, number>();

  constructor(private readonly script: Script) {}

  connect(params: ConnectParams): Promise<ConnectOutcome> {
    this.connectParams.push(params);
    const index = this.connections++;
    this.messagesPerConnection[index] = 0;
    this.openNow++;
    this.openMax = Math.max(this.openMax, this.openNow);
    let closed = false;
    let released = false;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the session object below reports to its transport
    const transport = this;
    const session: TransportSession = {
      greeting: reply(220, null, 'scripted ESMTP'),
      tls: false,
      send(message: OutboundMessage): Promise<TransactionOutcome> {
        transport.messagesPerConnection[index] = (transport.messagesPerConnection[index] ?? 0) + 1;
        const recipients: RecipientOutcome[] = [];
        for (const recipient of message.envelope.recipients) {
          if (closed) {
            recipients.push({ kind: 'network-error', recipient, stage: 'rcpt', message: 'closed' });
            continue;
          }
          const attempt = (transport.attempts.get(recipient) ?? 0) + 1;
          transport.attempts.set(recipient, attempt);
          const answer = transport.script(recipient, attempt);
          if (answer === 'drop') {
            recipients.push({ kind: 'network-error', recipient, stage: 'rcpt', message: 'connection reset' });
            closed = true;
          } else {
            recipients.push({
              kind: 'reply',
              recipient,
              stage: answer === 'accept' ? 'data' : 'rcpt',
              reply: SCRIPTED_REPLIES[answer],
            });
            if (answer === 'rate-limit-and-close') closed = true;
          }
        }
        return Promise.resolve({ recipients, sessionClosed: closed });
      },
      close(): Promise<void> {
        if (!released) transport.openNow--;
        released = true;
        closed = true;
        return Promise.resolve();
      },
    };
    return Promise.resolve({ kind: 'open', session });
  }
}
