/**
 * The reference sender engine's core: messages in, attempts out, every decision on record.
 *
 *   inject → scheduled queue (campaign:tenant@domain: waiting for its time, retry, expiry)
 *          → route (MX rollup → site; provider match; egress source from the pool, or the policy)
 *          → ready queue (source → site: shaping — connections, messages per connection,
 *            message and connection rates, provider- and source-wide limits, suspensions)
 *          → transport (connections reused) → judgement (policy) → Delivery / Bounce /
 *            TransientFailure → back to a scheduled queue, or final.
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
import type { AccountingRecord, AsyncBounceRecord, FeedbackRecord, FinalRecord, MessageOwner } from '../../accounting.ts';
import { HOUR_MS } from '../../../kernel/clock/clock.ts';
import type { EpochMs, Scheduler, TimerHandle } from '../../../kernel/clock/clock.ts';
import type { Rng } from '../../../kernel/random/rng.ts';
import { isPositive } from '../../../kernel/smtp/reply.ts';
import type { SmtpReply } from '../../../kernel/smtp/reply.ts';
import type { KnownMessage } from '../inbound/join.ts';
import { verpReturnPath } from '../verp.ts';
import type { VerpConfig } from '../verp.ts';
import type { ConnectOutcome, RecipientOutcome, TransactionOutcome, Transport, TransportSession } from '../../../kernel/transport/transport.ts';
import type { AdminResult, EngineAdmin, EngineMetrics, EngineSnapshot, SuspendTarget } from './admin-view.ts';
import type { Verdict } from './classify.ts';
import { ownerFields, scheduledQueueName } from './delivery.ts';
import type { Delivery, MessageData } from './delivery.ts';
import { Egress } from './egress.ts';
import type { EgressConfig, EgressSource } from './egress.ts';
import { prepareOutgoing } from './outbound-hygiene.ts';
import type { HygieneOptions } from './outbound-hygiene.ts';
import { AggregateLimits, Path } from './paths.ts';
import type { Connection } from './paths.ts';
import { basicPolicy } from './policy.ts';
import type { AttemptContext, SendPolicy } from './policy.ts';
import type { MxResolver } from './resolver.ts';
import { DEFAULT_RETRY_POLICY, classRetryDelayMs, retryDelayMs } from './retry-schedule.ts';
import type { RetryPolicy } from './retry-schedule.ts';
import { loadShapingConfig } from './shaping/config.ts';
import type { ShapingConfig } from './shaping/config.ts';
import { Gcra } from './shaping/gcra.ts';
import { resolveShaping } from './shaping/resolve.ts';
import { siteName } from './shaping/site.ts';
import { SuppressionList } from './suppression.ts';
import { ANY_SOURCE, Suspensions } from './suspensions.ts';
import { assert } from '../../../kernel/errors.ts';

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

/** How long a delivery whose body could not be read waits before it is tried again. */
const LOAD_RETRY_MS = 60_000;

/** How many sent messages the engine remembers for joining later reports (oldest forgotten first). */
const KNOWN_MESSAGES_MAX = 1_000_000;

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
type Route =
  | { readonly kind: 'site'; readonly site: string; readonly mxHosts: readonly string[]; readonly provider: string | null }
  | { readonly kind: 'nxdomain' };

interface Waiting {
  readonly delivery: Delivery;
  readonly dueMs: EpochMs;
  /** Handed back by a suspended path: woken early if an operator resumes. */
  readonly handedBack: boolean;
  handle?: TimerHandle;
}

/** A path's message rate as the policy sets it, and the limiter for it. */
interface PolicyRate {
  readonly perHour: number;
  readonly gcra: Gcra;
}

/** Holds for `stop` verdicts start at an hour: a stream with broken auth or content must not hammer. */
const STOP_HOLD_MIN_MS = HOUR_MS;

export class ReferenceEngine implements EngineAdmin {
  private readonly scheduler: Scheduler;
  private readonly rng: Rng;
  private readonly retry: RetryPolicy;
  private readonly egress: Egress;
  private readonly shaping: ShapingConfig;
  private readonly policy: SendPolicy;
  readonly suppressions: SuppressionList;
  private readonly suspensions: Suspensions;
  private readonly limits = new AggregateLimits();
  private readonly paths = new Map<string, Path>();
  /** The key of each path in `paths`, by source and site (one per path, so bounded as the paths are). */
  private readonly pathKeys = new Map<string, Map<string, string>>();
  private readonly routes = new Map<string, Route>();
  private readonly policyRates = new Map<Path, PolicyRate>();
  /** Scheduled queues: the deliveries waiting in each, by queue name. */
  private readonly waiting = new Map<string, Set<Waiting>>();
  /** Recipients not yet final, by `messageId recipient`. */
  private readonly open = new Set<string>();
  private readonly timers = new Set<TimerHandle>();
  private readonly sessions = new Set<TransportSession>();
  /** Transactions under way (a body being read, or sent and not yet answered): a graceful stop waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Messages sent, for joining later reports (DSNs, complaints) to them. */
  private readonly known = new Map<string, KnownMessage>();
  private readonly recordCounts: Record<string, number> = {};
  private readonly classCounts: Record<string, number> = {};
  private messagesInjected = 0;
  private recipientsInjected = 0;
  private recipientsFinal = 0;
  private stopped = false;

  constructor(private readonly options: EngineOptions) {
    this.scheduler = options.scheduler;
    this.rng = options.rng;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.egress = new Egress(options.egress);
    this.shaping = options.shaping ?? loadShapingConfig({});
    this.policy = options.policy ?? basicPolicy();
    this.suppressions = new SuppressionList((record) => this.emit(record));
    this.suspensions = new Suspensions((record) => this.emit(record));
    this.policy.attach?.((record) => this.emit(record));
  }

  get stats(): EngineStats {
    let queued = 0;
    for (const queue of this.waiting.values()) for (const entry of queue) queued += entry.delivery.recipients.length;
    let sessionsOpen = 0;
    for (const path of this.paths.values()) {
      for (const delivery of path.ready) queued += delivery.recipients.length;
      sessionsOpen += path.connections.size;
    }
    return { injected: this.recipientsInjected, final: this.recipientsFinal, queued, sessionsOpen };
  }

  /** Takes messages (not stopping or shut down). */
  get accepting(): boolean {
    return !this.stopped;
  }

  /** Nothing queued, waiting or in flight. */
  get idle(): boolean {
    return this.open.size === 0;
  }

  /** Accepts a message for delivery. Records a Reception per recipient at once. */
  inject(message: InjectedMessage): { messageId: string } {
    if (this.stopped) throw new Error('the engine is shut down');
    if (message.recipients.length === 0) throw new RangeError('a message needs at least one recipient');
    const owner = ownerFields(message.owner ?? {});
    if (owner.pool !== undefined && !this.egress.hasPool(owner.pool)) throw new RangeError(`unknown pool '${owner.pool}' (known: ${this.egress.poolNames.join(', ')})`);
    this.messagesInjected++;
    const messageId = message.id ?? `${this.messagesInjected.toString(36).padStart(6, '0')}-${this.rng.token(6)}`;
    const nowMs = this.scheduler.now();
    const receivedAtMs = message.receivedAtMs ?? nowMs;
    const data = this.outgoing(messageId, message.recipients[0] as string, message.data);
    const byDomain = new Map<string, string[]>();
    const suppressedHere: string[] = [];
    for (const recipient of message.recipients) {
      this.recipientsInjected++;
      this.open.add(recipientKey(messageId, recipient));
      const domain = domainOf(recipient);
      const queue = scheduledQueueName(owner, domain);
      this.emit({ type: 'Reception', atMs: nowMs, messageId, recipient, mailFrom: message.mailFrom, queue, ...owner, ...(message.redelivery === true ? { redelivery: true } : {}) });
      const held = this.suppressions.get(recipient, nowMs);
      if (held !== undefined) {
        this.emitFinal({ type: 'AdminBounce', atMs: nowMs, messageId, recipient, queue, ...owner, reason: 'suppressed', class: held.class, rule: 'engine.suppression-list' });
        suppressedHere.push(recipient);
        continue;
      }
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), recipient]);
    }
    const expiresAtMs = receivedAtMs + this.retry.expiryMs;
    for (const recipient of suppressedHere) {
      const domain = domainOf(recipient);
      this.notify('failed', { messageId, mailFrom: message.mailFrom, data, receivedAtMs, expiresAtMs, domain, queue: scheduledQueueName(owner, domain), owner, recipients: [recipient], attemptsMade: 0 }, recipient, { networkError: 'the address is on the suppression list' });
    }
    this.remember({ messageId, mailFrom: message.mailFrom, recipients: message.recipients, ...owner, queueOf: (recipient) => scheduledQueueName(owner, domainOf(recipient)) });
    for (const [domain, recipients] of byDomain) {
      const queue = scheduledQueueName(owner, domain);
      this.schedule({ messageId, mailFrom: message.mailFrom, data, receivedAtMs, expiresAtMs, domain, queue, owner, recipients, attemptsMade: 0 }, nowMs);
    }
    return { messageId };
  }

  /**
   * What goes out: prepared now when the message is in memory; when it is on disk, prepared
   * each time it is loaded, so no body stays in memory while it waits in a queue.
   */
  private outgoing(messageId: string, recipient: string, data: MessageData): MessageData {
    const hygiene = this.options.hygiene ?? {};
    if (typeof data === 'string') return prepareOutgoing({ messageId, recipient, data }, hygiene);
    return { bytes: data.bytes, load: async () => prepareOutgoing({ messageId, recipient, data: await data.load() }, hygiene) };
  }

  /**
   * Starts no transaction from now on (a graceful stop's first step); resolves once the
   * transactions under way have been answered and settled. Closing their sessions under them
   * instead would leave mail the receiver took with no final mark, delivered again after a
   * restart. The caller bounds the wait (a receiver may never answer) and then calls `shutdown`.
   */
  async stopSending(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) this.scheduler.cancel(timer);
    this.timers.clear();
    for (const path of this.paths.values()) path.wake = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Stops scheduling and closes open sessions (the end of a run, or a shutdown). */
  async shutdown(): Promise<void> {
    void this.stopSending();
    await Promise.all([...this.sessions].map((session) => session.close()));
    this.sessions.clear();
  }

  // ── scheduled queues ──────────────────────────────────────────────────────────────────

  /** Waits in its scheduled queue until `dueMs`, or until it expires if that comes first. */
  private schedule(delivery: Delivery, dueMs: EpochMs, handedBack = false): void {
    if (this.stopped) return;
    const entry: Waiting = { delivery, dueMs: Math.min(dueMs, delivery.expiresAtMs), handedBack };
    let queue = this.waiting.get(delivery.queue);
    if (queue === undefined) {
      queue = new Set();
      this.waiting.set(delivery.queue, queue);
    }
    queue.add(entry);
    const handle = this.scheduler.at(entry.dueMs, () => {
      this.timers.delete(handle);
      queue.delete(entry);
      if (queue.size === 0) this.waiting.delete(delivery.queue);
      if (this.scheduler.now() >= delivery.expiresAtMs) this.expire(delivery);
      else this.route(delivery);
    });
    entry.handle = handle;
    this.timers.add(handle);
  }

  /** Deliveries a suspension handed back go again now (an operator lifted it early). */
  private wakeHandedBack(nowMs: EpochMs): void {
    for (const queue of this.waiting.values()) {
      for (const entry of [...queue]) {
        if (!entry.handedBack || entry.dueMs <= nowMs || entry.handle === undefined) continue;
        this.cancelTimer(entry.handle);
        queue.delete(entry);
        this.schedule(entry.delivery, nowMs);
      }
    }
    for (const [name, queue] of this.waiting) if (queue.size === 0) this.waiting.delete(name);
  }

  private expire(delivery: Delivery): void {
    const atMs = this.scheduler.now();
    for (const recipient of delivery.recipients) {
      this.emitFinal({ type: 'Expiration', atMs, messageId: delivery.messageId, recipient, queue: delivery.queue, ...delivery.owner, attempts: delivery.attemptsMade });
      this.notify('expired', delivery, recipient, {});
    }
  }

  /** Tells the DSN writer, when there is one, what became of a recipient. */
  private notify(kind: UndeliverableNotice['kind'], delivery: Delivery, recipient: string, answer: { readonly reply?: SmtpReply; readonly networkError?: string; readonly mxHost?: string; readonly attempts?: number }): void {
    const onUndeliverable = this.options.onUndeliverable;
    if (onUndeliverable === undefined) return;
    onUndeliverable({
      kind,
      atMs: this.scheduler.now(),
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
    });
  }

  /** The MAIL FROM of a delivery: its VERP return path, or the injected envelope sender. */
  private returnPath(delivery: Delivery): string {
    const recipient = delivery.recipients[0];
    if (this.options.verp === undefined || recipient === undefined || delivery.mailFrom === '') return delivery.mailFrom;
    return verpReturnPath(this.options.verp, { messageId: delivery.messageId, recipient });
  }

  private remember(message: KnownMessage): void {
    if (this.known.size >= KNOWN_MESSAGES_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(message.messageId, message);
  }

  /** What the engine knows of a message it sent, for joining a later report to it. */
  knownMessage(messageId: string): KnownMessage | undefined {
    return this.known.get(messageId);
  }

  /**
   * A report joined to one of the engine's messages (the inbound intake): on record, and acted
   * upon: a complaint suppresses the address (a person asked not to get this mail), an async
   * bounce does when the policy says so (by default, when its verdict says `suppress`).
   */
  takeInbound(record: AsyncBounceRecord | FeedbackRecord): void {
    this.emit(record);
    const tenant = record.tenant === undefined ? {} : { tenant: record.tenant };
    if (record.type === 'Feedback') {
      this.suppressions.add({ recipient: record.recipient, class: 'policy-block', rule: 'feedback.complaint', sinceMs: record.atMs, evidence: [`ARF Feedback-Type: ${record.feedbackType}`], ...tenant });
    } else {
      const decision = this.policy.judgeAsyncBounce?.(record) ?? { suppress: record.action === 'suppress' };
      if (decision.suppress) this.suppressions.add({ recipient: record.recipient, class: record.class, rule: record.rule, sinceMs: record.atMs, evidence: [`DSN Status: ${record.status}`], ...(decision.untilMs === undefined ? {} : { untilMs: decision.untilMs }), ...tenant });
    }
  }

  // ── routing ───────────────────────────────────────────────────────────────────────────

  private routeOf(domain: string): Route {
    let route = this.routes.get(domain);
    if (route === undefined) {
      const answer = this.options.resolver.resolveMx(domain);
      if (answer.kind === 'nxdomain') route = { kind: 'nxdomain' };
      else {
        // No MX records: RFC 5321 §5.1, the domain itself is the implicit MX.
        const mxHosts = answer.kind === 'hosts' && answer.hosts.length > 0 ? answer.hosts : [domain];
        route = { kind: 'site', site: siteName(mxHosts), mxHosts, provider: resolveShaping(this.shaping, { domain, mxHosts }).provider };
      }
      this.routes.set(domain, route);
    }
    return route;
  }

  /** Picks the site and the source, and puts the delivery on that path's ready queue. */
  private route(delivery: Delivery): void {
    const route = this.routeOf(delivery.domain);
    const nowMs = this.scheduler.now();
    if (route.kind === 'nxdomain') {
      for (const recipient of delivery.recipients) this.bounceWithoutAttempt(delivery, recipient, `${delivery.domain} does not exist (NXDOMAIN)`);
      return;
    }
    const free = (source: EgressSource): boolean => this.suspensions.blockedUntil({ source: source.name, site: route.site, provider: route.provider }, nowMs) <= nowMs;
    const pool = this.egress.poolFor(delivery.owner);
    const members = this.egress.members(pool);
    const freeMembers = members.filter(free);
    const candidates = freeMembers.length > 0 ? freeMembers : members;
    const choice = this.policy.chooseSource?.({ atMs: nowMs, pool, candidates, domain: delivery.domain, provider: route.provider, owner: delivery.owner, recipients: delivery.recipients.length });
    if (choice !== undefined && 'holdUntilMs' in choice) {
      this.schedule(delivery, choice.holdUntilMs);
      return;
    }
    if (choice !== undefined && 'pool' in choice && !this.egress.hasPool(choice.pool)) throw new Error(`the policy chose pool '${choice.pool}', which the egress configuration does not have`);
    const rotation = choice !== undefined && 'pool' in choice ? choice.pool : pool;
    const source = choice !== undefined && 'source' in choice ? choice.source : (this.egress.pick(rotation, free) ?? this.egress.pick(rotation));
    assert(source !== undefined, `pool ${rotation} has no source`);
    const path = this.pathFor(source, route, delivery.domain);
    // VERP names one recipient in MAIL FROM, so each recipient gets its own transaction.
    const batch = this.options.verp === undefined ? path.params.maxRecipientsPerMessage : 1;
    for (let start = 0; start < delivery.recipients.length; start += batch) {
      path.ready.push({ ...delivery, recipients: delivery.recipients.slice(start, start + batch) });
    }
    path.sweepAtMs = Math.min(path.sweepAtMs, delivery.expiresAtMs);
    this.wakePath(path, nowMs);
  }

  private pathFor(source: EgressSource, route: Route & { kind: 'site' }, domain: string): Path {
    const key = this.pathKey(source.name, route.site);
    let path = this.paths.get(key);
    if (path === undefined) {
      const resolved = resolveShaping(this.shaping, { domain, mxHosts: route.mxHosts, source: source.name });
      path = new Path(source, route.site, route.mxHosts, resolved.provider, resolved.effective);
      this.paths.set(key, path);
    }
    return path;
  }

  /** `source->site`, made once per pair: every routed delivery asks for its path. */
  private pathKey(source: string, site: string): string {
    let bySite = this.pathKeys.get(source);
    if (bySite === undefined) {
      bySite = new Map();
      this.pathKeys.set(source, bySite);
    }
    let key = bySite.get(site);
    if (key === undefined) {
      key = `${source}->${site}`;
      bySite.set(site, key);
    }
    return key;
  }

  // ── ready queues and connections ──────────────────────────────────────────────────────

  /** One pending dispatch per path: an earlier request replaces a later one. */
  private wakePath(path: Path, atMs: EpochMs): void {
    if (this.stopped) return;
    if (path.wake !== null) {
      if (path.wake.atMs <= atMs) return;
      this.scheduler.cancel(path.wake.handle);
      this.timers.delete(path.wake.handle);
    }
    const handle = this.scheduler.at(atMs, () => {
      this.timers.delete(handle);
      path.wake = null;
      return this.dispatch(path);
    });
    path.wake = { atMs, handle };
    this.timers.add(handle);
  }

  /** Puts idle connections to work and opens new ones while shaping allows and the queue needs them. */
  private dispatch(path: Path): Promise<void> | undefined {
    if (this.stopped) return undefined;
    const nowMs = this.scheduler.now();
    this.suspensions.expire(nowMs);
    this.sweepExpired(path, nowMs);
    if (path.ready.length === 0) return undefined;
    const blockedUntilMs = this.suspensions.blockedUntil(pathRef(path), nowMs);
    if (blockedUntilMs > nowMs) {
      this.handBack(path, blockedUntilMs);
      return undefined;
    }
    const workers: Promise<void>[] = [];
    for (const connection of path.idleConnections()) {
      if (path.ready.length <= workers.length) break;
      workers.push(this.drive(path, connection));
    }
    // A connection opened while the message rate forbids sending would only idle and close
    // (and be opened again): wait for the rate instead.
    const rateWaitMs = this.rateWait(path, nowMs);
    if (rateWaitMs > nowMs && path.ready.length > path.connections.size) this.wakePath(path, Math.min(rateWaitMs, path.sweepAtMs));
    // Every open connection takes a message the rate allows; open no more than there are messages for.
    const sendableNow = this.rateLimiters(path, nowMs).reduce((fewest, limiter) => Math.min(fewest, limiter.availableAt(nowMs)), Number.POSITIVE_INFINITY);
    while (rateWaitMs <= nowMs && path.ready.length > path.connections.size && path.connections.size < sendableNow) {
      const waitUntilMs = this.connectionWait(path, nowMs);
      if (waitUntilMs === null) break;
      if (waitUntilMs > nowMs) {
        this.wakePath(path, waitUntilMs);
        break;
      }
      workers.push(this.connectAndDrive(path));
    }
    return workers.length === 0 ? undefined : Promise.all(workers).then(() => undefined);
  }

  /**
   * Expires the ready deliveries whose lifetime is over, wherever they are in the queue (a
   * rate-limited queue holds them longer than their age allows); recomputes the next sweep.
   */
  private sweepExpired(path: Path, nowMs: EpochMs): void {
    if (nowMs < path.sweepAtMs) return;
    const expired = path.ready.filter((delivery) => nowMs >= delivery.expiresAtMs);
    if (expired.length > 0) {
      const kept = path.ready.filter((delivery) => nowMs < delivery.expiresAtMs);
      path.ready.splice(0, path.ready.length, ...kept);
      for (const delivery of expired) this.expire(delivery);
    }
    path.sweepAtMs = path.ready.reduce((earliest, delivery) => Math.min(earliest, delivery.expiresAtMs), Number.POSITIVE_INFINITY);
  }

  /** A suspended path's ready deliveries go back to their scheduled queues until it may send again. */
  private handBack(path: Path, untilMs: EpochMs): void {
    for (const delivery of path.ready.splice(0)) this.schedule(delivery, untilMs, true);
    path.sweepAtMs = Number.POSITIVE_INFINITY;
    for (const connection of path.idleConnections()) void this.release(path, connection);
  }

  /**
   * When another connection may open: now, a later time (the connection rate), or null when a
   * connection limit is full (a closing connection wakes the path).
   */
  private connectionWait(path: Path, nowMs: EpochMs): EpochMs | null {
    if (path.connections.size >= path.params.connectionLimit) return null;
    for (const limit of this.limits.of(path)) {
      if (limit.connectionLimit !== null && limit.connections >= limit.connectionLimit) {
        limit.waiters.add(path);
        return null;
      }
    }
    return path.connectionRate?.nextFreeAtMs(nowMs) ?? nowMs;
  }

  private async connectAndDrive(path: Path): Promise<void> {
    const connection: Connection = { session: null, mxHost: path.mxHosts[0] as string, sent: 0, idle: false, idleTimer: null };
    path.connections.add(connection);
    for (const limit of this.limits.of(path)) limit.connections++;
    path.connectionRate?.tryTake(this.scheduler.now());
    const { connected, mxHost } = await this.connectToSite(path);
    connection.mxHost = mxHost;
    if (connected.kind !== 'open') {
      await this.release(path, connection);
      this.connectFailed(path, mxHost, connected);
      return;
    }
    path.consecutiveConnectionFailures = 0;
    connection.session = connected.session;
    this.sessions.add(connected.session);
    if (this.stopped) {
      await this.release(path, connection);
      return;
    }
    await this.drive(path, connection);
  }

  /**
   * Tries the site's MX hosts in preference order (KumoMTA's ConnectNextHost): a host that
   * does not answer gives way to the next; one that answers, even with a refusal, decides.
   */
  private async connectToSite(path: Path): Promise<{ connected: ConnectOutcome; mxHost: string }> {
    const failures: string[] = [];
    let last: { connected: ConnectOutcome; mxHost: string } | undefined;
    for (const mxHost of path.mxHosts) {
      if (this.stopped) break;
      const route = this.options.resolver.route(mxHost);
      const connected: ConnectOutcome =
        route === undefined
          ? { kind: 'network-error', message: `${mxHost} does not resolve` }
          : await this.options.transport.connect({ sourceIp: path.source.sourceIp, heloName: path.source.heloName, mxHost, address: route.address, port: route.port, tls: path.params.enableTls });
      last = { connected, mxHost };
      if (connected.kind !== 'network-error') return last;
      failures.push(`${mxHost}: ${connected.message}`);
    }
    const mxHost = last?.mxHost ?? path.site;
    return { connected: { kind: 'network-error', message: failures.length > 1 ? `no MX host answered (${failures.join('; ')})` : (failures[0] ?? 'the engine is shutting down') }, mxHost };
  }

  /** The site would not talk: the delivery at the head of the queue takes the attempt (so it counts towards its expiry). */
  private connectFailed(path: Path, mxHost: string, connected: Exclude<ConnectOutcome, { kind: 'open' }>): void {
    const delivery = path.ready.shift();
    if (delivery !== undefined) {
      const outcomes: RecipientOutcome[] = delivery.recipients.map((recipient) =>
        connected.kind === 'refused' ? { kind: 'reply', recipient, stage: 'connect', reply: connected.reply } : { kind: 'network-error', recipient, stage: 'connect', message: connected.message },
      );
      this.settle(path, mxHost, delivery, outcomes);
    }
    path.consecutiveConnectionFailures++;
    const nowMs = this.scheduler.now();
    if (connected.kind === 'refused' || path.consecutiveConnectionFailures >= path.params.consecutiveConnectionFailuresBeforeDelay) {
      if (this.suspensions.blockedUntil(pathRef(path), nowMs) <= nowMs) this.hold(path, connected.kind === 'refused' ? 'the site refused the connection' : `${path.consecutiveConnectionFailures} connection failures in a row`, 'backoff');
    }
    if (path.ready.length > 0) this.wakePath(path, this.scheduler.now());
  }

  /** Sends on one connection while the path has work, shaping allows and nothing holds it. */
  private async drive(path: Path, connection: Connection): Promise<void> {
    connection.idle = false;
    this.cancelTimer(connection.idleTimer);
    connection.idleTimer = null;
    while (!this.stopped && connection.sent < path.params.maxDeliveriesPerConnection) {
      const nowMs = this.scheduler.now();
      if (this.suspensions.blockedUntil(pathRef(path), nowMs) > nowMs) break;
      this.sweepExpired(path, nowMs);
      const delivery = path.ready[0];
      if (delivery === undefined) {
        this.park(path, connection);
        return;
      }
      const rateWaitMs = this.rateWait(path, nowMs);
      if (rateWaitMs > nowMs) {
        this.park(path, connection);
        this.wakePath(path, Math.min(rateWaitMs, path.sweepAtMs));
        return;
      }
      this.takeRate(path, nowMs);
      path.ready.shift();
      if (typeof delivery.data !== 'string') {
        const transaction = this.transactFromDisk(path, connection, delivery);
        this.inFlight.add(transaction);
        const sessionClosed = await transaction.finally(() => this.inFlight.delete(transaction));
        if (sessionClosed) break;
        continue;
      }
      // In memory: sent at once, with no await before the send (sim runs keep their order).
      const sending = (connection.session as TransportSession).send({ envelope: { mailFrom: this.returnPath(delivery), recipients: delivery.recipients }, data: delivery.data });
      this.inFlight.add(sending);
      let result: TransactionOutcome;
      try {
        result = await sending;
      } finally {
        this.inFlight.delete(sending);
      }
      connection.sent++;
      this.settle(path, connection.mxHost, delivery, result.recipients);
      if (result.sessionClosed) break;
    }
    await this.release(path, connection);
  }

  /** One transaction of a message on disk: its body read, then sent and settled; resolves with whether the session closed. */
  private async transactFromDisk(path: Path, connection: Connection, delivery: Delivery): Promise<boolean> {
    const data = await this.loadData(delivery);
    if (data === null) return false;
    // Reading from disk took time. A hold that arrived meanwhile does not stop it: the decision
    // to send was taken, as for a transaction already on the wire. A stop does: a graceful stop
    // starts no transaction, and the delivery waits in the spool for the next start.
    if (this.stopped) {
      path.ready.unshift(delivery);
      return false;
    }
    const session = connection.session as TransportSession;
    const result = await session.send({ envelope: { mailFrom: this.returnPath(delivery), recipients: delivery.recipients }, data });
    connection.sent++;
    this.settle(path, connection.mxHost, delivery, result.recipients);
    return result.sessionClosed;
  }

  /**
   * The bytes of a delivery; null when they could not be read from disk, and then the
   * delivery waits in its scheduled queue and tries again (a read error loses nothing).
   */
  private async loadData(delivery: Delivery): Promise<string | null> {
    if (typeof delivery.data === 'string') return delivery.data;
    try {
      return await delivery.data.load();
    } catch (error) {
      this.options.onLoadError?.(delivery.messageId, error);
      this.schedule(delivery, this.scheduler.now() + LOAD_RETRY_MS);
      return null;
    }
  }

  /** Keeps an idle connection for reuse until the path's idle timeout. */
  private park(path: Path, connection: Connection): void {
    connection.idle = true;
    const handle = this.scheduler.at(this.scheduler.now() + path.params.idleTimeoutMs, () => {
      this.timers.delete(handle);
      connection.idleTimer = null;
      if (connection.idle) return this.release(path, connection);
      return undefined;
    });
    connection.idleTimer = handle;
    this.timers.add(handle);
  }

  private async release(path: Path, connection: Connection): Promise<void> {
    if (!path.connections.delete(connection)) return;
    connection.idle = false;
    this.cancelTimer(connection.idleTimer);
    connection.idleTimer = null;
    for (const limit of this.limits.of(path)) {
      limit.connections--;
      for (const waiter of limit.waiters) if (waiter.ready.length > 0) this.wakePath(waiter, this.scheduler.now());
      limit.waiters.clear();
    }
    if (connection.session !== null) {
      this.sessions.delete(connection.session);
      await connection.session.close();
    }
    if (path.ready.length > 0) this.wakePath(path, this.scheduler.now());
  }

  /** The limiters a message on this path must pass: its own, the aggregate ones, the policy's. */
  private rateLimiters(path: Path, nowMs: EpochMs): Gcra[] {
    const limiters: Gcra[] = [];
    if (path.messageRate !== null) limiters.push(path.messageRate);
    for (const limit of this.limits.of(path)) if (limit.messageRate !== null) limiters.push(limit.messageRate);
    const policyRate = this.policyRate(path, nowMs);
    if (policyRate !== null) limiters.push(policyRate);
    return limiters;
  }

  /** The earliest time every limiter lets one more message through. */
  private rateWait(path: Path, nowMs: EpochMs): EpochMs {
    let untilMs = nowMs;
    for (const limiter of this.rateLimiters(path, nowMs)) untilMs = Math.max(untilMs, limiter.nextFreeAtMs(nowMs));
    return untilMs;
  }

  private takeRate(path: Path, nowMs: EpochMs): void {
    for (const limiter of this.rateLimiters(path, nowMs)) limiter.tryTake(nowMs);
  }

  /** The policy's cap as a limiter, renewed when the cap changes; its burst is a minute's worth. */
  private policyRate(path: Path, nowMs: EpochMs): Gcra | null {
    const perHour = this.policy.pathRatePerHour?.(pathRef(path), nowMs) ?? null;
    if (perHour === null) {
      this.policyRates.delete(path);
      return null;
    }
    const count = Math.max(1, Math.round(perHour));
    const current = this.policyRates.get(path);
    if (current?.perHour === count) return current.gcra;
    const gcra = new Gcra({ rate: { count, perMs: HOUR_MS }, burst: Math.max(1, Math.ceil(count / 60)) });
    this.policyRates.set(path, { perHour: count, gcra });
    return gcra;
  }

  // ── outcomes ──────────────────────────────────────────────────────────────────────────

  /** Records each recipient's outcome as the policy judges it, and acts on it. */
  private settle(path: Path, mxHost: string, delivery: Delivery, outcomes: readonly RecipientOutcome[]): void {
    const nowMs = this.scheduler.now();
    const attempt = delivery.attemptsMade + 1;
    const retries = new Map<EpochMs, { recipients: string[]; verdict: Verdict }>();
    let holdFor: { readonly verdict: Verdict; readonly action: 'backoff' | 'stop' } | undefined;
    for (const outcome of outcomes) {
      const context: AttemptContext = { atMs: nowMs, messageId: delivery.messageId, recipient: outcome.recipient, domain: delivery.domain, site: path.site, mxHost, provider: path.provider, source: path.source, owner: delivery.owner, attempt };
      const judgement = this.policy.judge(outcome, context);
      const { verdict } = judgement;
      this.classCounts[verdict.class] = (this.classCounts[verdict.class] ?? 0) + 1;
      const base = {
        atMs: nowMs,
        messageId: delivery.messageId,
        recipient: outcome.recipient,
        queue: delivery.queue,
        ...delivery.owner,
        attempt,
        site: path.site,
        mxHost,
        sourceIp: path.source.sourceIp,
        source: path.source.name,
        ...(path.provider === null ? {} : { provider: path.provider }),
        stage: outcome.stage,
        ...(outcome.kind === 'reply' ? { reply: outcome.reply } : { networkError: outcome.message }),
        class: verdict.class,
        action: verdict.action,
        rule: verdict.rule,
        ...(verdict.evidence?.length ? { evidence: verdict.evidence } : {}),
      };
      for (const request of judgement.suspend ?? []) this.suspensions.suspend({ ...request, origin: 'policy' }, nowMs);
      if (verdict.action === 'backoff' || verdict.action === 'stop') holdFor ??= { verdict, action: verdict.action };
      if (outcome.kind === 'reply' && isPositive(outcome.reply)) {
        path.holds = 0;
        this.emitFinal({ type: 'Delivery', ...base });
        this.suppressions.lift(outcome.recipient, nowMs, 'engine.suppression.lifted-by-delivery');
        continue;
      }
      const answer = { ...(outcome.kind === 'reply' ? { reply: outcome.reply } : { networkError: outcome.message }), mxHost, attempts: attempt };
      if (verdict.action === 'suppress' || verdict.action === 'fail-message' || verdict.action === 'none') {
        this.emitFinal({ type: 'Bounce', ...base });
        this.notify('failed', delivery, outcome.recipient, answer);
        if (judgement.suppress !== undefined) this.suppress(delivery, outcome.recipient, verdict, judgement.suppress, nowMs);
        continue;
      }
      const retryAtMs = judgement.retryAtMs ?? nowMs + Math.round(classRetryDelayMs(this.retry, verdict.class, attempt) * this.rng.jitter(this.retry.jitter));
      this.emit({ type: 'TransientFailure', ...base, nextAttemptAtMs: retryAtMs });
      if (retryAtMs > delivery.expiresAtMs) {
        // The next attempt would fall after the message's lifetime: this was the last one.
        this.emitFinal({ type: 'Expiration', atMs: nowMs, messageId: delivery.messageId, recipient: outcome.recipient, queue: delivery.queue, ...delivery.owner, attempts: attempt });
        this.notify('expired', delivery, outcome.recipient, answer);
        continue;
      }
      this.notify('delayed', delivery, outcome.recipient, answer);
      const group = retries.get(retryAtMs) ?? { recipients: [], verdict };
      group.recipients.push(outcome.recipient);
      retries.set(retryAtMs, group);
    }
    for (const [retryAtMs, group] of retries) this.schedule({ ...delivery, recipients: group.recipients, attemptsMade: attempt, lastClass: group.verdict.class }, retryAtMs);
    if (holdFor !== undefined) this.hold(path, `${holdFor.verdict.class} (${holdFor.verdict.rule})`, holdFor.action);
  }

  private suppress(delivery: Delivery, recipient: string, verdict: Verdict, request: { readonly untilMs?: EpochMs; readonly evidence?: readonly string[] }, nowMs: EpochMs): void {
    this.suppressions.add({
      recipient,
      class: verdict.class,
      rule: verdict.rule,
      sinceMs: nowMs,
      ...(request.untilMs === undefined ? {} : { untilMs: request.untilMs }),
      ...(delivery.owner.tenant === undefined ? {} : { tenant: delivery.owner.tenant }),
      ...(request.evidence === undefined ? {} : { evidence: request.evidence }),
    });
  }

  /** A recipient whose domain has no mail service: bounced (and suppressed) without a connection. */
  private bounceWithoutAttempt(delivery: Delivery, recipient: string, why: string): void {
    const nowMs = this.scheduler.now();
    this.emitFinal({ type: 'AdminBounce', atMs: nowMs, messageId: delivery.messageId, recipient, queue: delivery.queue, ...delivery.owner, reason: 'no-mail-domain', class: 'bad-domain', rule: 'engine.dns.nxdomain' });
    this.notify('failed', delivery, recipient, { networkError: why });
    this.suppressions.add({ recipient, class: 'bad-domain', rule: 'engine.dns.nxdomain', sinceMs: nowMs, evidence: [why], ...(delivery.owner.tenant === undefined ? {} : { tenant: delivery.owner.tenant }) });
  }

  /** The engine's own back-off: no new messages on the path for a while, doubling with each hold in a row. */
  private hold(path: Path, reason: string, action: 'backoff' | 'stop'): void {
    path.holds++;
    const nowMs = this.scheduler.now();
    const holdMs = Math.max(retryDelayMs(this.retry, path.holds), action === 'stop' ? STOP_HOLD_MIN_MS : 0);
    this.suspensions.suspend({ scope: { source: path.source.name, site: path.site }, untilMs: nowMs + holdMs, reason, rule: `engine.${action}.hold`, origin: 'engine' }, nowMs);
    this.handBack(path, nowMs + holdMs);
  }

  // ── admin ─────────────────────────────────────────────────────────────────────────────

  snapshot(): EngineSnapshot {
    const atMs = this.scheduler.now();
    const scheduled = [...this.waiting.entries()].map(([name, entries]) => {
      const first = entries.values().next().value as Waiting;
      let recipients = 0;
      let nextDueAtMs = Number.POSITIVE_INFINITY;
      for (const entry of entries) {
        recipients += entry.delivery.recipients.length;
        nextDueAtMs = Math.min(nextDueAtMs, entry.dueMs);
      }
      return { name, tenant: first.delivery.owner.tenant ?? '', campaign: first.delivery.owner.campaign ?? '', domain: first.delivery.domain, recipients, nextDueAtMs };
    });
    const ready = [...this.paths.values()].map((path) => {
      const blockedUntilMs = this.suspensions.blockedUntil(pathRef(path), atMs);
      const suspension = this.suspensions.of({ source: path.source.name, site: path.site });
      const ratePerHour = this.policyRates.get(path)?.perHour ?? (path.params.maxMessageRate === null ? null : (path.params.maxMessageRate.count * HOUR_MS) / path.params.maxMessageRate.perMs);
      return {
        name: path.key,
        source: path.source.name,
        sourceIp: path.source.sourceIp,
        site: path.site,
        provider: path.provider,
        ready: path.ready.reduce((sum, delivery) => sum + delivery.recipients.length, 0),
        connectionsOpen: path.connections.size,
        connectionLimit: path.params.connectionLimit,
        ratePerHour,
        suspendedUntilMs: blockedUntilMs > atMs ? blockedUntilMs : null,
        suspendedReason: blockedUntilMs > atMs ? (suspension?.reason ?? 'a wider suspension') : null,
      };
    });
    return { atMs, scheduled, ready, suspensions: this.suspensions.all().map(({ scope, untilMs, reason }) => ({ scope, untilMs, reason })) };
  }

  metrics(): EngineMetrics {
    const stats = this.stats;
    return {
      records: { ...this.recordCounts },
      classes: { ...this.classCounts },
      recipientsQueued: stats.queued,
      recipientsInFlight: this.open.size - stats.queued,
      connectionsOpen: stats.sessionsOpen,
      suppressedAddresses: this.suppressions.size,
    };
  }

  suspend(target: SuspendTarget, options: { readonly durationMs: number; readonly reason: string }): AdminResult {
    const problem = this.checkTarget(target);
    if (problem !== null) return { ok: false, message: problem };
    if (!(options.durationMs > 0)) return { ok: false, message: `duration must be more than 0 (got ${options.durationMs} ms)` };
    const nowMs = this.scheduler.now();
    const scope = scopeOf(target);
    this.suspensions.suspend({ scope, untilMs: nowMs + options.durationMs, reason: options.reason, rule: 'operator.suspend', origin: 'operator' }, nowMs);
    for (const path of this.paths.values()) if (this.suspensions.blockedUntil(pathRef(path), nowMs) > nowMs) this.handBack(path, nowMs + options.durationMs);
    return { ok: true, detail: `suspended ${describeScope(scope)} until ${new Date(nowMs + options.durationMs).toISOString()}` };
  }

  resume(target: SuspendTarget): AdminResult {
    const problem = this.checkTarget(target);
    if (problem !== null) return { ok: false, message: problem };
    const nowMs = this.scheduler.now();
    const scope = scopeOf(target);
    if (!this.suspensions.resume(scope, nowMs, 'an operator resumed it', 'operator.resume')) return { ok: false, message: `${describeScope(scope)} is not suspended` };
    this.wakeHandedBack(nowMs);
    return { ok: true, detail: `resumed ${describeScope(scope)}` };
  }

  private checkTarget(target: SuspendTarget): string | null {
    if ('source' in target && !this.egress.sources.some((source) => source.name === target.source)) {
      return `unknown source '${target.source}' (known: ${this.egress.sources.map((source) => source.name).join(', ')})`;
    }
    return null;
  }

  // ── records ───────────────────────────────────────────────────────────────────────────

  private emitFinal(record: FinalRecord): void {
    const key = recipientKey(record.messageId, record.recipient);
    assert(this.open.delete(key), `a second final record for ${record.recipient} of ${record.messageId}`);
    this.recipientsFinal++;
    this.emit(record);
  }

  private emit(record: AccountingRecord): void {
    this.recordCounts[record.type] = (this.recordCounts[record.type] ?? 0) + 1;
    this.options.onRecord(record);
    this.policy.observe?.(record);
  }

  private cancelTimer(handle: TimerHandle | null): void {
    if (handle === null) return;
    this.scheduler.cancel(handle);
    this.timers.delete(handle);
  }
}

function recipientKey(messageId: string, recipient: string): string {
  return `${messageId} ${recipient.toLowerCase()}`;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function pathRef(path: Path): { source: string; site: string; provider: string | null } {
  return { source: path.source.name, site: path.site, provider: path.provider };
}

function scopeOf(target: SuspendTarget): { source: string; site?: string; provider?: string } {
  if ('site' in target) return { source: 'source' in target ? target.source : ANY_SOURCE, site: target.site };
  if ('provider' in target) return { source: target.source, provider: target.provider };
  return { source: target.source };
}

function describeScope(scope: { source: string; site?: string; provider?: string }): string {
  if (scope.site !== undefined) return scope.source === ANY_SOURCE ? `site ${scope.site} from every source` : `path ${scope.source}->${scope.site}`;
  if (scope.provider !== undefined) return `source ${scope.source} towards ${scope.provider}`;
  return `source ${scope.source}`;
}
