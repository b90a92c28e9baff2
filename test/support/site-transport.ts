/**
 * An instrumented transport for model-based engine tests: each receiving site answers by its
 * current mode (healthy, or hostile in one of several ways), and every connection, transaction
 * and answer goes into the world log with the engine instance that made it, so limits, rates,
 * suspensions and duplicates can be checked from the receivers' side, not from what the engine
 * says it did. A crashed instance's connections are closed (the kernel closes a dead process's
 * sockets) and whatever it still tries afterwards is refused and left out of the log.
 */
import type { EpochMs } from '../../kernel/clock/clock.ts';
import { reply } from '../../kernel/smtp/reply.ts';
import type {
  ConnectOutcome,
  ConnectParams,
  OutboundMessage,
  RecipientOutcome,
  TransactionOutcome,
  Transport,
  TransportSession,
} from '../../kernel/transport/transport.ts';
import { SCRIPTED_REPLIES } from './scripted-transport.ts';
import type { WireAnswer, WorldLog } from './world-log.ts';

/**
 * How a site treats the engine: `accept` is healthy, the others are the hostile turns. `mixed`
 * answers by the recipient's local part (ann… accepted, bob… deferred, anyone else unknown), so
 * one transaction gets different answers.
 */
export type SiteMode =
  'accept' | 'defer' | 'reject' | 'rate-limit-and-close' | 'drop' | 'refuse' | 'unreachable' | 'mixed';

export const SITE_MODES: readonly SiteMode[] = [
  'accept',
  'defer',
  'reject',
  'rate-limit-and-close',
  'drop',
  'refuse',
  'unreachable',
  'mixed',
];

const REFUSAL = reply(421, '4.7.0', 'Too many connections from your IP, try again later.');

export interface SiteTransportOptions {
  readonly log: WorldLog;
  readonly now: () => EpochMs;
  /** The site an MX host belongs to, and the source name of a sending address. */
  readonly siteOf: (mxHost: string) => string;
  readonly sourceOf: (sourceIp: string) => string;
  /** The engine's id for a message, read from its data (the correlation header). */
  readonly messageIdOf: (data: string) => string;
}

interface OpenSession {
  readonly instance: number;
  closed: boolean;
}

export class SiteTransport {
  private readonly modes = new Map<string, SiteMode>();
  private readonly open = new Map<number, OpenSession>();
  private nextConnection = 1;
  private liveInstance: number | null = null;
  private crashOnNextSend: (() => void) | null = null;

  constructor(private readonly options: SiteTransportOptions) {}

  modeOf(site: string): SiteMode {
    return this.modes.get(site) ?? 'accept';
  }

  setMode(site: string, mode: SiteMode): void {
    this.modes.set(site, mode);
  }

  /** The transport one engine instance is given; it works while that instance is the live one. */
  forInstance(instance: number): Transport {
    this.liveInstance = instance;
    return { connect: (params) => Promise.resolve(this.connect(instance, params)) };
  }

  /** The next transaction reaches the receiver, which answers it; then the sender dies before it hears back. */
  armCrash(onCrash: () => void): boolean {
    const armed = this.crashOnNextSend === null;
    this.crashOnNextSend = onCrash;
    return armed;
  }

  disarmCrash(): void {
    this.crashOnNextSend = null;
  }

  /** The instance is dead: its sockets close, and nothing it does later reaches a receiver. */
  crash(instance: number): void {
    if (this.liveInstance === instance) this.liveInstance = null;
    for (const [connection, session] of this.open) {
      if (session.instance !== instance) continue;
      session.closed = true;
      this.open.delete(connection);
      this.options.log.push({ kind: 'close', instance, connection, atMs: this.options.now(), by: 'crash' });
    }
  }

  private connect(instance: number, params: ConnectParams): ConnectOutcome {
    if (instance !== this.liveInstance) return { kind: 'network-error', message: 'the process is dead' };
    const connection = this.nextConnection++;
    const site = this.options.siteOf(params.mxHost);
    const source = this.options.sourceOf(params.sourceIp);
    const mode = this.modeOf(site);
    const outcome = mode === 'refuse' ? 'refused' : mode === 'unreachable' ? 'unreachable' : 'open';
    this.options.log.push({ kind: 'connect', instance, connection, source, site, atMs: this.options.now(), outcome });
    if (outcome === 'refused') return { kind: 'refused', reply: REFUSAL };
    if (outcome === 'unreachable')
      return { kind: 'network-error', message: `connect ECONNREFUSED ${params.address}:${params.port}` };
    const state: OpenSession = { instance, closed: false };
    this.open.set(connection, state);
    const session: TransportSession = {
      greeting: reply(220, null, 'model ESMTP'),
      tls: false,
      send: (message) => Promise.resolve(this.send({ instance, connection, source, site, state }, message)),
      close: () => {
        if (this.open.delete(connection))
          this.options.log.push({ kind: 'close', instance, connection, atMs: this.options.now(), by: 'engine' });
        state.closed = true;
        return Promise.resolve();
      },
    };
    return { kind: 'open', session };
  }

  private send(
    on: { instance: number; connection: number; source: string; site: string; state: OpenSession },
    message: OutboundMessage,
  ): TransactionOutcome {
    const recipients = message.envelope.recipients;
    if (on.instance !== this.liveInstance || on.state.closed) {
      return {
        recipients: recipients.map((recipient) => ({
          kind: 'network-error',
          recipient,
          stage: 'mail',
          message: 'connection closed',
        })),
        sessionClosed: true,
      };
    }
    const mode = this.modeOf(on.site);
    const outcomes: RecipientOutcome[] = [];
    const answers: { recipient: string; answer: WireAnswer }[] = [];
    let closed = false;
    for (const recipient of recipients) {
      const answer: WireAnswer = closed ? 'closed' : answerOf(mode, recipient);
      answers.push({ recipient, answer });
      outcomes.push(outcomeOf(recipient, answer));
      if (answer === 'rate-limit' || answer === 'drop') closed = true;
    }
    this.options.log.push({
      kind: 'send',
      instance: on.instance,
      connection: on.connection,
      source: on.source,
      site: on.site,
      atMs: this.options.now(),
      messageId: this.options.messageIdOf(message.data),
      answers,
    });
    if (closed) on.state.closed = true;
    const crash = this.crashOnNextSend;
    if (crash !== null) {
      this.crashOnNextSend = null;
      crash();
    }
    return { recipients: outcomes, sessionClosed: closed };
  }
}

/** A site whose connections open answers each recipient by its mode (refuse and unreachable sites only refuse new connections). */
function answerOf(mode: SiteMode, recipient: string): WireAnswer {
  switch (mode) {
    case 'mixed':
      return recipient.startsWith('ann') ? 'accept' : recipient.startsWith('bob') ? 'defer' : 'reject';
    case 'defer':
      return 'defer';
    case 'reject':
      return 'reject';
    case 'rate-limit-and-close':
      return 'rate-limit';
    case 'drop':
      return 'drop';
    case 'accept':
    case 'refuse':
    case 'unreachable':
      return 'accept';
  }
}

function outcomeOf(recipient: string, answer: WireAnswer): RecipientOutcome {
  switch (answer) {
    case 'accept':
      return { kind: 'reply', recipient, stage: 'data', reply: SCRIPTED_REPLIES.accept };
    case 'defer':
      return { kind: 'reply', recipient, stage: 'rcpt', reply: SCRIPTED_REPLIES.defer };
    case 'reject':
      return { kind: 'reply', recipient, stage: 'rcpt', reply: SCRIPTED_REPLIES.reject };
    case 'rate-limit':
      return { kind: 'reply', recipient, stage: 'rcpt', reply: SCRIPTED_REPLIES['rate-limit-and-close'] };
    case 'drop':
      return { kind: 'network-error', recipient, stage: 'rcpt', message: 'connection reset' };
    case 'closed':
      return { kind: 'network-error', recipient, stage: 'rcpt', message: 'connection closed' };
  }
}
