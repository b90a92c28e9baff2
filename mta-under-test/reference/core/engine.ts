/**
 * The reference sender engine: messages in, attempts out, every decision on record.
 *
 *   inject → scheduled queue (scheduled-queues.ts: waiting for its time, retry, expiry)
 *          → route (router.ts: MX rollup → site; provider match; egress source from the pool, or the policy)
 *          → ready queue (dispatcher.ts: source → site shaping — connections, messages per connection,
 *            message and connection rates (path-rates.ts), provider- and source-wide limits, suspensions)
 *          → transport (connection-driver.ts: connections reused) → judgement (the policy)
 *          → settlement (settlement.ts, pure: Delivery / Bounce / TransientFailure, suppressions,
 *            suspensions, DSN notices) → back to a scheduled queue, or final (engine-ledger.ts).
 *   The operator's view and controls: engine-admin.ts.
 *
 * This file wires those parts and holds what is the engine's own: taking messages in, the
 * settlement's steps carried out, holds, and the messages it remembers for later reports.
 *
 * Transport-, clock- and chance-agnostic (DESIGN "The sender"): Scheduler, Rng and Transport
 * are parameters, so the same core runs on a virtual clock with in-process SMTP and on a real
 * clock with nodemailer. Two rules make it safe on the virtual clock:
 * - a task never waits for time; to wait it schedules another task;
 * - a task's promise covers all the work it starts, so the simulated instant does not move
 *   while a transaction is in flight.
 *
 * Expiry holds everywhere (KumoCorp/kumomta#539: messages stuck in a wedged ready queue past
 * their age): a delivery waits only in a scheduled queue, whose timer fires at its due time or
 * its expiry, whichever is first; a suspended path hands its ready deliveries back.
 *
 * Invariant (property-tested): every injected recipient gets exactly one final record
 * (Delivery, Bounce, Expiration or AdminBounce), and no record about it after that.
 */
import type { AccountingRecord, AsyncBounceRecord, FeedbackRecord } from '../../accounting.ts';
import { domainOf, HOUR_MS } from '../../../kernel/index.ts';
import type { KnownMessage } from '../inbound/join.ts';
import { verpReturnPath } from '../verp.ts';
import { undeliverableNotice } from './engine-options.ts';
import type { EngineOptions, EngineStats, InjectedMessage, UndeliverableNotice } from './engine-options.ts';
import type { AdminResult, EngineAdmin, EngineMetrics, EngineSnapshot, SuspendTarget } from './admin-view.ts';
import { ownerFields, scheduledQueueName } from './delivery.ts';
import type { Delivery, MessageData } from './delivery.ts';
import { Dispatcher } from './dispatcher.ts';
import { Egress } from './egress.ts';
import { EngineAdminDesk } from './engine-admin.ts';
import { EngineLedger } from './engine-ledger.ts';
import { EngineTimers } from './engine-timers.ts';
import { prepareOutgoing } from './outbound-hygiene.ts';
import { PathRates } from './path-rates.ts';
import { AggregateLimits } from './paths.ts';
import type { Path } from './paths.ts';
import { basicPolicy } from './policy.ts';
import type { SendPolicy } from './policy.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-schedule.ts';
import type { RetryPolicy } from './retry-schedule.ts';
import { PathTable, Router } from './router.ts';
import { ScheduledQueues } from './scheduled-queues.ts';
import { SentMessages } from './sent-messages.ts';
import type { AttemptAnswer } from './settlement.ts';
import { TransactionSettler } from './transaction-settler.ts';
import { loadShapingConfig } from './shaping/config.ts';
import { SuppressionList } from './suppression.ts';
import { suppressionForInbound } from './inbound-suppression.ts';
import { Suspensions } from './suspensions.ts';

export type { EngineOptions, EngineStats, InjectedMessage, UndeliverableNotice } from './engine-options.ts';

/** A `stop` verdict holds the path at least this long. */
const STOP_HOLD_MIN_MS = HOUR_MS;

export class ReferenceEngine implements EngineAdmin {
  readonly suppressions: SuppressionList;
  private readonly timers: EngineTimers;
  private readonly retry: RetryPolicy;
  private readonly egress: Egress;
  private readonly policy: SendPolicy;
  private readonly suspensions: Suspensions;
  private readonly ledger: EngineLedger;
  private readonly paths: PathTable;
  private readonly queues: ScheduledQueues;
  private readonly router: Router;
  private readonly dispatcher: Dispatcher;
  private readonly admin: EngineAdminDesk;
  private readonly sent = new SentMessages();
  private messagesInjected = 0;

  constructor(private readonly options: EngineOptions) {
    this.timers = new EngineTimers(options.scheduler);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.egress = new Egress(options.egress);
    const shaping = options.shaping ?? loadShapingConfig({});
    this.policy = options.policy ?? basicPolicy();
    this.ledger = new EngineLedger((record) => {
      options.onRecord(record);
      this.policy.observe?.(record);
    });
    const emit = (record: AccountingRecord): void => this.ledger.emit(record);
    this.suppressions = new SuppressionList(emit);
    this.suspensions = new Suspensions(emit);
    this.policy.attach?.(emit);
    this.paths = new PathTable(shaping);
    const limits = new AggregateLimits();
    const rates = new PathRates(limits, this.policy);
    this.queues = new ScheduledQueues(this.timers, {
      route: (delivery) => this.router.route(delivery),
      expire: (delivery) => this.expire(delivery),
    });
    const settler = new TransactionSettler({
      policy: this.policy,
      retry: this.retry,
      rng: options.rng,
      suspensions: this.suspensions,
      suppressions: this.suppressions,
      ledger: this.ledger,
      now: () => this.timers.now(),
      schedule: (delivery, dueMs) => this.queues.schedule(delivery, dueMs),
      hold: (path, reason, action) => this.hold(path, reason, action),
      notify: (kind, delivery, recipient, answer) => this.notify(kind, delivery, recipient, answer),
    });
    this.dispatcher = new Dispatcher({
      timers: this.timers,
      suspensions: this.suspensions,
      limits,
      rates,
      resolver: options.resolver,
      transport: options.transport,
      schedule: (delivery, dueMs, handedBack) => this.queues.schedule(delivery, dueMs, handedBack),
      expire: (delivery) => this.expire(delivery),
      settle: (path, mxHost, delivery, outcomes) => settler.settle(path, mxHost, delivery, outcomes),
      hold: (path, reason, action) => this.hold(path, reason, action),
      returnPath: (delivery) => this.returnPath(delivery),
      ...(options.onLoadError === undefined ? {} : { onLoadError: options.onLoadError }),
    });
    this.router = new Router({
      resolver: options.resolver,
      shaping,
      egress: this.egress,
      suspensions: this.suspensions,
      policy: this.policy,
      verp: options.verp,
      paths: this.paths,
      now: () => this.timers.now(),
      schedule: (delivery, dueMs) => this.queues.schedule(delivery, dueMs),
      bounceWithoutAttempt: (delivery, recipient, why) => this.bounceWithoutAttempt(delivery, recipient, why),
      wakePath: (path, atMs) => this.dispatcher.wakePath(path, atMs),
    });
    this.admin = new EngineAdminDesk({
      now: () => this.timers.now(),
      queues: this.queues,
      paths: this.paths,
      rates,
      suspensions: this.suspensions,
      suppressions: this.suppressions,
      egress: this.egress,
      ledger: this.ledger,
      handBack: (path, untilMs) => this.dispatcher.handBack(path, untilMs),
    });
  }

  get stats(): EngineStats {
    const queued = this.admin.queued();
    return {
      injected: this.ledger.recipientsInjected,
      final: this.ledger.recipientsFinal,
      queued: queued.recipients,
      sessionsOpen: queued.connections,
    };
  }

  /** Takes messages (not stopping or shut down). */
  get accepting(): boolean {
    return !this.timers.stopped;
  }

  /** Nothing queued, waiting or in flight. */
  get idle(): boolean {
    return this.ledger.recipientsOpen === 0;
  }

  /** Accepts a message for delivery. Records a Reception per recipient at once. */
  inject(message: InjectedMessage): { messageId: string } {
    if (this.timers.stopped) throw new Error('the engine is shut down');
    if (message.recipients.length === 0) throw new RangeError('a message needs at least one recipient');
    const owner = ownerFields(message.owner ?? {});
    if (owner.pool !== undefined && !this.egress.hasPool(owner.pool))
      throw new RangeError(`unknown pool '${owner.pool}' (known: ${this.egress.poolNames.join(', ')})`);
    this.messagesInjected++;
    const messageId =
      message.id ?? `${this.messagesInjected.toString(36).padStart(6, '0')}-${this.options.rng.token(6)}`;
    const nowMs = this.timers.now();
    const receivedAtMs = message.receivedAtMs ?? nowMs;
    const data = this.outgoing(messageId, message.recipients[0] as string, message.data);
    const byDomain = new Map<string, string[]>();
    const suppressedHere: string[] = [];
    for (const recipient of message.recipients) {
      this.ledger.opened(messageId, recipient);
      const domain = domainOf(recipient);
      const queue = scheduledQueueName(owner, domain);
      this.ledger.emit({
        type: 'Reception',
        atMs: nowMs,
        messageId,
        recipient,
        mailFrom: message.mailFrom,
        queue,
        ...owner,
        ...(message.redelivery === true ? { redelivery: true } : {}),
      });
      const held = this.suppressions.get(recipient, nowMs);
      if (held !== undefined) {
        this.ledger.emitFinal({
          type: 'AdminBounce',
          atMs: nowMs,
          messageId,
          recipient,
          queue,
          ...owner,
          reason: 'suppressed',
          class: held.class,
          rule: 'engine.suppression-list',
        });
        suppressedHere.push(recipient);
        continue;
      }
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), recipient]);
    }
    const expiresAtMs = receivedAtMs + this.retry.expiryMs;
    const deliveryTo = (domain: string, recipients: readonly string[]): Delivery => ({
      messageId,
      mailFrom: message.mailFrom,
      data,
      receivedAtMs,
      expiresAtMs,
      domain,
      queue: scheduledQueueName(owner, domain),
      owner,
      recipients,
      attemptsMade: 0,
    });
    for (const recipient of suppressedHere)
      this.notify('failed', deliveryTo(domainOf(recipient), [recipient]), recipient, {
        networkError: 'the address is on the suppression list',
      });
    this.sent.remember({
      messageId,
      mailFrom: message.mailFrom,
      recipients: message.recipients,
      ...owner,
      queueOf: (recipient) => scheduledQueueName(owner, domainOf(recipient)),
    });
    for (const [domain, recipients] of byDomain) this.queues.schedule(deliveryTo(domain, recipients), nowMs);
    return { messageId };
  }

  /**
   * What goes out: prepared now when the message is in memory; when it is on disk, prepared
   * each time it is loaded, so no body stays in memory while it waits in a queue.
   */
  private outgoing(messageId: string, recipient: string, data: MessageData): MessageData {
    const hygiene = this.options.hygiene ?? {};
    if (typeof data === 'string') return prepareOutgoing({ messageId, recipient, data }, hygiene);
    return {
      bytes: data.bytes,
      load: async () => prepareOutgoing({ messageId, recipient, data: await data.load() }, hygiene),
    };
  }

  /**
   * Starts no transaction from now on (a graceful stop's first step); resolves once the
   * transactions under way have been answered and settled. Closing their sessions under them
   * instead would leave mail the receiver took with no final mark, delivered again after a
   * restart. The caller bounds the wait (a receiver may never answer) and then calls `shutdown`.
   */
  async stopSending(): Promise<void> {
    this.timers.stop();
    for (const path of this.paths.all()) path.wake = null;
    await this.dispatcher.inFlightSettled();
  }

  /** Stops scheduling and closes open sessions (the end of a run, or a shutdown). */
  async shutdown(): Promise<void> {
    void this.stopSending();
    await this.dispatcher.closeSessions();
  }

  private expire(delivery: Delivery): void {
    const atMs = this.timers.now();
    for (const recipient of delivery.recipients) {
      this.ledger.emitFinal({
        type: 'Expiration',
        atMs,
        messageId: delivery.messageId,
        recipient,
        queue: delivery.queue,
        ...delivery.owner,
        attempts: delivery.attemptsMade,
      });
      this.notify('expired', delivery, recipient, {});
    }
  }

  /** Tells the DSN writer, when there is one, what became of a recipient. */
  private notify(
    kind: UndeliverableNotice['kind'],
    delivery: Delivery,
    recipient: string,
    answer: AttemptAnswer,
  ): void {
    this.options.onUndeliverable?.(undeliverableNotice(kind, delivery, recipient, answer, this.timers.now()));
  }

  /** The MAIL FROM of a delivery: its VERP return path, or the injected envelope sender. */
  private returnPath(delivery: Delivery): string {
    const recipient = delivery.recipients[0];
    if (this.options.verp === undefined || recipient === undefined || delivery.mailFrom === '')
      return delivery.mailFrom;
    return verpReturnPath(this.options.verp, { messageId: delivery.messageId, recipient });
  }

  /** What the engine knows of a message it sent, for joining a later report to it. */
  knownMessage(messageId: string): KnownMessage | undefined {
    return this.sent.get(messageId);
  }

  /**
   * A report joined to one of the engine's messages (the inbound intake): on record, and acted
   * upon: a complaint suppresses the address (a person asked not to get this mail), an async
   * bounce does when the policy says so (by default, when its verdict says `suppress`).
   */
  takeInbound(record: AsyncBounceRecord | FeedbackRecord): void {
    this.ledger.emit(record);
    const suppression = suppressionForInbound(record, this.policy);
    if (suppression !== null) this.suppressions.add(suppression);
  }

  /** A recipient whose domain has no mail service: bounced (and suppressed) without a connection. */
  private bounceWithoutAttempt(delivery: Delivery, recipient: string, why: string): void {
    const nowMs = this.timers.now();
    this.ledger.emitFinal({
      type: 'AdminBounce',
      atMs: nowMs,
      messageId: delivery.messageId,
      recipient,
      queue: delivery.queue,
      ...delivery.owner,
      reason: 'no-mail-domain',
      class: 'bad-domain',
      rule: 'engine.dns.nxdomain',
    });
    this.notify('failed', delivery, recipient, { networkError: why });
    this.suppressions.add({
      recipient,
      class: 'bad-domain',
      rule: 'engine.dns.nxdomain',
      sinceMs: nowMs,
      evidence: [why],
      ...(delivery.owner.tenant === undefined ? {} : { tenant: delivery.owner.tenant }),
    });
  }

  /** The engine's own back-off: no new messages on the path for a while, doubling with each hold in a row. */
  private hold(path: Path, reason: string, action: 'backoff' | 'stop'): void {
    path.holds++;
    const nowMs = this.timers.now();
    const holdMs = Math.max(retryDelayMs(this.retry, path.holds), action === 'stop' ? STOP_HOLD_MIN_MS : 0);
    this.suspensions.suspend(
      {
        scope: { source: path.source.name, site: path.site },
        untilMs: nowMs + holdMs,
        reason,
        rule: `engine.${action}.hold`,
        origin: 'engine',
      },
      nowMs,
    );
    this.dispatcher.handBack(path, nowMs + holdMs);
  }

  snapshot(): EngineSnapshot {
    return this.admin.snapshot();
  }

  metrics(): EngineMetrics {
    return this.admin.metrics();
  }

  suspend(target: SuspendTarget, options: { readonly durationMs: number; readonly reason: string }): AdminResult {
    return this.admin.suspend(target, options);
  }

  resume(target: SuspendTarget): AdminResult {
    return this.admin.resume(target);
  }
}
