/**
 * The reference sender engine: takes messages through a function call, queues them per
 * destination site, delivers them through a Transport reusing connections, retries temporary
 * failures on a schedule, gives up on permanent ones, and tells the world what it did only
 * through accounting records.
 *
 * Transport-, clock- and chance-agnostic (DESIGN "The sender"): Scheduler, Rng and Transport
 * are parameters, so the same core runs on a virtual clock with in-process SMTP and on a real
 * clock with nodemailer.
 *
 * Two rules make it safe on the virtual clock:
 * - a task never waits for time; to wait it schedules another task;
 * - a task's promise covers all the work it starts, so the simulated instant does not move
 *   while a transaction is in flight.
 *
 * Invariant (property-tested): every injected recipient gets exactly one final record
 * (Delivery, Bounce or Expiration), and no record about it after that.
 */
import type { AccountingRecord } from '../../accounting.ts';
import type { EpochMs, Scheduler, TimerHandle } from '../../../sim/clock/clock.ts';
import type { Rng } from '../../../sim/random/rng.ts';
import { isPermanent, isPositive } from '../../../sim/smtp/reply.ts';
import type { SmtpReply } from '../../../sim/smtp/reply.ts';
import type { RecipientOutcome, TlsPolicy, Transport, TransportSession } from '../../../sim/transport/transport.ts';
import { classifyNetworkError, classifyReply } from './classify.ts';
import type { Verdict } from './classify.ts';
import type { MxResolver } from './resolver.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-schedule.ts';
import type { RetryPolicy } from './retry-schedule.ts';

export interface EngineOptions {
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly transport: Transport;
  readonly resolver: MxResolver;
  /** The sending IP (bound as the source address) and the EHLO name. */
  readonly egress: { readonly sourceIp: string; readonly heloName: string };
  /** Per destination site: connections at once, and messages per connection. */
  readonly shaping: { readonly connectionsMax: number; readonly messagesPerConnectionMax: number };
  readonly retry?: Partial<RetryPolicy>;
  /** STARTTLS policy for every site. @defaultValue 'opportunistic' */
  readonly tls?: TlsPolicy;
  readonly onRecord: (record: AccountingRecord) => void;
}

export interface InjectedMessage {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** The RFC 5322 message, CRLF line ends. */
  readonly data: string;
}

export interface EngineStats {
  readonly injected: number;
  readonly final: number;
  /** Deliveries waiting in a site's ready queue or for their retry time. */
  readonly queued: number;
  readonly sessionsOpen: number;
}

/** One message's recipients at one site, attempted together in one transaction. */
interface Delivery {
  readonly messageId: string;
  readonly mailFrom: string;
  readonly data: string;
  readonly receivedAtMs: EpochMs;
  readonly recipients: readonly string[];
  /** Attempts made so far for these recipients. */
  readonly attemptsMade: number;
}

interface Site {
  /** MX rollup: the sorted MX host set, so domains hosted alike share one queue. */
  readonly name: string;
  /** MX hosts in preference order. */
  readonly mxHosts: readonly string[];
  readonly ready: Delivery[];
  sessionsOpen: number;
  /** No new connections before this time (after a 421, a closed session, a back-off). */
  heldUntilMs: EpochMs;
  /** Consecutive holds, for the doubling hold time; reset by a delivery. */
  holds: number;
  pump: TimerHandle | null;
}

export class ReferenceEngine {
  private readonly scheduler: Scheduler;
  private readonly rng: Rng;
  private readonly retry: RetryPolicy;
  private readonly sites = new Map<string, Site>();
  /** Recipients not yet final, by `messageId recipient`. */
  private readonly open = new Set<string>();
  private readonly timers = new Set<TimerHandle>();
  private readonly sessions = new Set<TransportSession>();
  private messagesInjected = 0;
  private recipientsInjected = 0;
  private recipientsFinal = 0;
  private retriesWaiting = 0;
  private stopped = false;

  constructor(private readonly options: EngineOptions) {
    const { connectionsMax, messagesPerConnectionMax } = options.shaping;
    if (!(Number.isInteger(connectionsMax) && connectionsMax >= 1)) throw new RangeError(`shaping.connectionsMax must be a whole number ≥ 1 (got ${connectionsMax})`);
    if (!(Number.isInteger(messagesPerConnectionMax) && messagesPerConnectionMax >= 1)) {
      throw new RangeError(`shaping.messagesPerConnectionMax must be a whole number ≥ 1 (got ${messagesPerConnectionMax})`);
    }
    this.scheduler = options.scheduler;
    this.rng = options.rng;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  get stats(): EngineStats {
    let queued = this.retriesWaiting;
    let sessionsOpen = 0;
    for (const site of this.sites.values()) {
      queued += site.ready.length;
      sessionsOpen += site.sessionsOpen;
    }
    return { injected: this.recipientsInjected, final: this.recipientsFinal, queued, sessionsOpen };
  }

  /** Nothing queued, waiting or in flight. */
  get idle(): boolean {
    return this.open.size === 0;
  }

  /** Accepts a message for delivery. Records a Reception per recipient at once. */
  inject(message: InjectedMessage): { messageId: string } {
    if (this.stopped) throw new Error('the engine is shut down');
    if (message.recipients.length === 0) throw new RangeError('a message needs at least one recipient');
    this.messagesInjected++;
    const messageId = `${this.messagesInjected.toString(36).padStart(6, '0')}-${this.rng.token(6)}`;
    const nowMs = this.scheduler.now();
    const bySite = new Map<Site, string[]>();
    for (const recipient of message.recipients) {
      this.recipientsInjected++;
      this.open.add(recipientKey(messageId, recipient));
      this.emit({ type: 'Reception', atMs: nowMs, messageId, recipient, mailFrom: message.mailFrom });
      const site = this.siteFor(messageId, recipient);
      if (site === undefined) continue;
      const recipients = bySite.get(site) ?? [];
      recipients.push(recipient);
      bySite.set(site, recipients);
    }
    for (const [site, recipients] of bySite) {
      site.ready.push({ messageId, mailFrom: message.mailFrom, data: message.data, receivedAtMs: nowMs, recipients, attemptsMade: 0 });
      this.schedulePump(site, nowMs);
    }
    return { messageId };
  }

  /** Stops scheduling and closes open sessions (the end of a wire-mode run). */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) this.scheduler.cancel(timer);
    this.timers.clear();
    for (const site of this.sites.values()) site.pump = null;
    await Promise.all([...this.sessions].map((session) => session.close()));
    this.sessions.clear();
  }

  /** The recipient's site, or undefined after bouncing it because its domain has no MX. */
  private siteFor(messageId: string, recipient: string): Site | undefined {
    const domain = recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase();
    const answer = this.options.resolver.resolveMx(domain);
    if (answer.kind === 'nxdomain') {
      // No such domain: nothing to connect to, a permanent failure without a reply.
      this.emitFinal({ type: 'Bounce', atMs: this.scheduler.now(), messageId, recipient, attempt: 1, site: domain, mxHost: '', sourceIp: this.options.egress.sourceIp, networkError: `${domain} does not exist (NXDOMAIN)`, class: 'bad-domain', action: 'suppress', rule: 'engine.dns.nxdomain' });
      return undefined;
    }
    // No MX records: RFC 5321 §5.1, the domain itself is the implicit MX.
    const mxHosts = answer.kind === 'hosts' && answer.hosts.length > 0 ? answer.hosts : [domain];
    const name = [...mxHosts].sort().join(',');
    let site = this.sites.get(name);
    if (site === undefined) {
      site = { name, mxHosts, ready: [], sessionsOpen: 0, heldUntilMs: 0, holds: 0, pump: null };
      this.sites.set(name, site);
    }
    return site;
  }

  /** One pending pump per site at most: the earliest wins. */
  private schedulePump(site: Site, atMs: EpochMs): void {
    if (this.stopped) return;
    const dueMs = Math.max(atMs, site.heldUntilMs);
    if (site.pump !== null) return;
    const handle = this.scheduler.at(dueMs, () => {
      this.timers.delete(handle);
      site.pump = null;
      return this.pump(site);
    });
    site.pump = handle;
    this.timers.add(handle);
  }

  /** Opens as many sessions as shaping allows and the queue needs; resolves when all are done. */
  private pump(site: Site): Promise<void> | undefined {
    if (this.stopped || site.ready.length === 0) return undefined;
    if (this.scheduler.now() < site.heldUntilMs) {
      this.schedulePump(site, site.heldUntilMs);
      return undefined;
    }
    const workers: Promise<void>[] = [];
    const wanted = Math.min(this.options.shaping.connectionsMax - site.sessionsOpen, site.ready.length);
    for (let index = 0; index < wanted; index++) workers.push(this.work(site));
    return Promise.all(workers).then(() => undefined);
  }

  /** One connection slot: sessions one after another while the site has work and is not held. */
  private async work(site: Site): Promise<void> {
    site.sessionsOpen++;
    try {
      while (!this.stopped && site.ready.length > 0 && this.scheduler.now() >= site.heldUntilMs) {
        await this.runSession(site);
      }
    } finally {
      site.sessionsOpen--;
    }
  }

  private async runSession(site: Site): Promise<void> {
    const mxHost = site.mxHosts[0] as string;
    const route = this.options.resolver.route(mxHost);
    const { sourceIp, heloName } = this.options.egress;
    const connected =
      route === undefined
        ? ({ kind: 'network-error', message: `${mxHost} does not resolve` } as const)
        : await this.options.transport.connect({ sourceIp, heloName, mxHost, address: route.address, port: route.port, tls: this.options.tls ?? 'opportunistic' });
    if (connected.kind !== 'open') {
      // The site would not talk: the delivery at the head of the queue takes the attempt
      // (so the failure is on record and counts towards its expiry); the others wait.
      const delivery = site.ready.shift();
      if (delivery === undefined) return;
      const outcomes: RecipientOutcome[] = delivery.recipients.map((recipient) =>
        connected.kind === 'refused'
          ? { kind: 'reply', recipient, stage: 'connect', reply: connected.reply }
          : { kind: 'network-error', recipient, stage: 'connect', message: connected.message },
      );
      this.settle(site, mxHost, delivery, outcomes);
      this.hold(site);
      return;
    }
    const session = connected.session;
    this.sessions.add(session);
    try {
      for (let sent = 0; sent < this.options.shaping.messagesPerConnectionMax; sent++) {
        if (this.stopped || this.scheduler.now() < site.heldUntilMs) break;
        const delivery = site.ready.shift();
        if (delivery === undefined) break;
        const result = await session.send({ envelope: { mailFrom: delivery.mailFrom, recipients: delivery.recipients }, data: delivery.data });
        const backOff = this.settle(site, mxHost, delivery, result.recipients);
        if (result.sessionClosed || backOff) {
          this.hold(site);
          break;
        }
      }
    } finally {
      this.sessions.delete(session);
      await session.close();
    }
  }

  /** Records each recipient's outcome and re-queues the temporary failures. True if the site should back off. */
  private settle(site: Site, mxHost: string, delivery: Delivery, outcomes: readonly RecipientOutcome[]): boolean {
    const nowMs = this.scheduler.now();
    const attempt = delivery.attemptsMade + 1;
    const retryAtMs = nowMs + Math.round(retryDelayMs(this.retry, attempt) * this.rng.jitter(this.retry.jitter));
    const expiresAtMs = delivery.receivedAtMs + this.retry.expiryMs;
    const retrying: string[] = [];
    let backOff = false;
    for (const outcome of outcomes) {
      const reply: SmtpReply | undefined = outcome.kind === 'reply' ? outcome.reply : undefined;
      const verdict: Verdict = reply === undefined ? classifyNetworkError() : classifyReply(reply);
      if (verdict.action === 'backoff') backOff = true;
      const base = {
        atMs: nowMs,
        messageId: delivery.messageId,
        recipient: outcome.recipient,
        attempt,
        site: site.name,
        mxHost,
        sourceIp: this.options.egress.sourceIp,
        stage: outcome.stage,
        ...(reply === undefined ? {} : { reply }),
        ...(outcome.kind === 'network-error' ? { networkError: outcome.message } : {}),
        class: verdict.class,
        action: verdict.action,
        rule: verdict.rule,
      };
      if (reply !== undefined && isPositive(reply)) {
        site.holds = 0;
        this.emitFinal({ type: 'Delivery', ...base });
      } else if (reply !== undefined && isPermanent(reply)) {
        this.emitFinal({ type: 'Bounce', ...base });
      } else if (retryAtMs > expiresAtMs) {
        // The next attempt would fall after the message's lifetime: this was the last one.
        this.emit({ type: 'TransientFailure', ...base, nextAttemptAtMs: retryAtMs });
        this.emitFinal({ type: 'Expiration', atMs: nowMs, messageId: delivery.messageId, recipient: outcome.recipient, attempts: attempt });
      } else {
        this.emit({ type: 'TransientFailure', ...base, nextAttemptAtMs: retryAtMs });
        retrying.push(outcome.recipient);
      }
    }
    if (retrying.length > 0) this.scheduleRetry(site, { ...delivery, recipients: retrying, attemptsMade: attempt }, retryAtMs);
    return backOff;
  }

  private scheduleRetry(site: Site, delivery: Delivery, atMs: EpochMs): void {
    if (this.stopped) return;
    this.retriesWaiting++;
    const handle = this.scheduler.at(atMs, () => {
      this.timers.delete(handle);
      this.retriesWaiting--;
      site.ready.push(delivery);
      this.schedulePump(site, this.scheduler.now());
    });
    this.timers.add(handle);
  }

  /** No new connections to the site for a while, doubling with each consecutive hold. */
  private hold(site: Site): void {
    site.holds++;
    const holdMs = retryDelayMs(this.retry, site.holds);
    site.heldUntilMs = Math.max(site.heldUntilMs, this.scheduler.now() + holdMs);
    this.schedulePump(site, site.heldUntilMs);
  }

  private emitFinal(record: AccountingRecord & { type: 'Delivery' | 'Bounce' | 'Expiration' }): void {
    const key = recipientKey(record.messageId, record.recipient);
    if (!this.open.delete(key)) throw new Error(`engine bug: a second final record for ${record.recipient} of ${record.messageId}`);
    this.recipientsFinal++;
    this.emit(record);
  }

  private emit(record: AccountingRecord): void {
    this.options.onRecord(record);
  }
}

function recipientKey(messageId: string, recipient: string): string {
  return `${messageId} ${recipient.toLowerCase()}`;
}
