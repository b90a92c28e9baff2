/**
 * Sending on connections: opening one to a site (its MX hosts in preference order), then
 * sending on it while the path has work, shaping allows and nothing holds it. Each answer goes
 * to settlement; a site that will not talk charges the attempt to the head of the queue.
 *
 * Two rules keep this safe on the virtual clock: nothing here waits for time (a wait is a
 * timer set through the dispatcher), and a transaction's promise covers all the work it starts.
 */
import type {
  ConnectOutcome,
  EpochMs,
  RecipientOutcome,
  TransactionOutcome,
  TransportSession,
} from '../../../kernel/index.ts';
import type { Delivery } from './delivery.ts';
import type { DispatcherDeps } from './dispatcher.ts';
import { pathRef } from './path-ref.ts';
import type { Connection, Path } from './paths.ts';

/** A message on disk that could not be read is tried again this much later. */
const LOAD_RETRY_MS = 60_000;

/** What the driver asks of the dispatcher that owns the paths. */
export interface PathControl {
  wakePath(path: Path, atMs: EpochMs): void;
  sweepExpired(path: Path, nowMs: EpochMs): void;
  park(path: Path, connection: Connection): void;
  release(path: Path, connection: Connection): Promise<void>;
}

export class ConnectionDriver {
  private readonly sessions = new Set<TransportSession>();
  /** Transactions under way (a body being read, or sent and not yet answered): a graceful stop waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly control: PathControl,
  ) {}

  inFlightSettled(): Promise<unknown> {
    return Promise.allSettled([...this.inFlight]);
  }

  async closeSessions(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.close()));
    this.sessions.clear();
  }

  closeSession(session: TransportSession): Promise<void> {
    this.sessions.delete(session);
    return session.close();
  }

  async connectAndDrive(path: Path): Promise<void> {
    const { timers, limits } = this.deps;
    const connection: Connection = {
      session: null,
      mxHost: path.mxHosts[0] as string,
      sent: 0,
      idle: false,
      idleTimer: null,
    };
    path.connections.add(connection);
    for (const limit of limits.of(path)) limit.connections++;
    path.connectionRate?.tryTake(timers.now());
    const { connected, mxHost } = await this.connectToSite(path);
    connection.mxHost = mxHost;
    if (connected.kind !== 'open') {
      await this.control.release(path, connection);
      this.connectFailed(path, mxHost, connected);
      return;
    }
    path.consecutiveConnectionFailures = 0;
    connection.session = connected.session;
    this.sessions.add(connected.session);
    if (timers.stopped) {
      await this.control.release(path, connection);
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
      if (this.deps.timers.stopped) break;
      const route = this.deps.resolver.route(mxHost);
      const connected: ConnectOutcome =
        route === undefined
          ? { kind: 'network-error', message: `${mxHost} does not resolve` }
          : await this.deps.transport.connect({
              sourceIp: path.source.sourceIp,
              heloName: path.source.heloName,
              mxHost,
              address: route.address,
              port: route.port,
              tls: path.params.enableTls,
            });
      last = { connected, mxHost };
      if (connected.kind !== 'network-error') return last;
      failures.push(`${mxHost}: ${connected.message}`);
    }
    const mxHost = last?.mxHost ?? path.site;
    return {
      connected: {
        kind: 'network-error',
        message:
          failures.length > 1
            ? `no MX host answered (${failures.join('; ')})`
            : (failures[0] ?? 'the engine is shutting down'),
      },
      mxHost,
    };
  }

  /** The site would not talk: the delivery at the head of the queue takes the attempt (so it counts towards its expiry). */
  private connectFailed(path: Path, mxHost: string, connected: Exclude<ConnectOutcome, { kind: 'open' }>): void {
    const { timers, suspensions } = this.deps;
    const delivery = path.ready.shift();
    if (delivery !== undefined) {
      const outcomes: RecipientOutcome[] = delivery.recipients.map((recipient) =>
        connected.kind === 'refused'
          ? { kind: 'reply', recipient, stage: 'connect', reply: connected.reply }
          : { kind: 'network-error', recipient, stage: 'connect', message: connected.message },
      );
      this.deps.settle(path, mxHost, delivery, outcomes);
    }
    path.consecutiveConnectionFailures++;
    const nowMs = timers.now();
    if (
      connected.kind === 'refused' ||
      path.consecutiveConnectionFailures >= path.params.consecutiveConnectionFailuresBeforeDelay
    ) {
      if (suspensions.blockedUntil(pathRef(path), nowMs) <= nowMs)
        this.deps.hold(
          path,
          connected.kind === 'refused'
            ? 'the site refused the connection'
            : `${path.consecutiveConnectionFailures} connection failures in a row`,
          'backoff',
        );
    }
    if (path.ready.length > 0) this.control.wakePath(path, timers.now());
  }

  /** Sends on one connection while the path has work, shaping allows and nothing holds it. */
  async drive(path: Path, connection: Connection): Promise<void> {
    const { timers, suspensions, rates } = this.deps;
    connection.idle = false;
    timers.cancel(connection.idleTimer);
    connection.idleTimer = null;
    while (!timers.stopped && connection.sent < path.params.maxDeliveriesPerConnection) {
      const nowMs = timers.now();
      if (suspensions.blockedUntil(pathRef(path), nowMs) > nowMs) break;
      this.control.sweepExpired(path, nowMs);
      const delivery = path.ready[0];
      if (delivery === undefined) {
        this.control.park(path, connection);
        return;
      }
      const rateWaitMs = rates.wait(path, nowMs);
      if (rateWaitMs > nowMs) {
        this.control.park(path, connection);
        this.control.wakePath(path, Math.min(rateWaitMs, path.sweepAtMs));
        return;
      }
      rates.take(path, nowMs);
      path.ready.shift();
      if (typeof delivery.data !== 'string') {
        const transaction = this.transactFromDisk(path, connection, delivery);
        this.inFlight.add(transaction);
        const sessionClosed = await transaction.finally(() => this.inFlight.delete(transaction));
        if (sessionClosed) break;
        continue;
      }
      // In memory: sent at once, with no await before the send, and settled as soon as it is
      // answered (no await between): sim runs keep their order.
      const sending = (connection.session as TransportSession).send({
        envelope: { mailFrom: this.deps.returnPath(delivery), recipients: delivery.recipients },
        data: delivery.data,
      });
      this.inFlight.add(sending);
      let result: TransactionOutcome;
      try {
        result = await sending;
      } finally {
        this.inFlight.delete(sending);
      }
      connection.sent++;
      this.deps.settle(path, connection.mxHost, delivery, result.recipients);
      if (result.sessionClosed) break;
    }
    await this.control.release(path, connection);
  }

  /** One transaction of a message on disk: its body read, then sent and settled; resolves with whether the session closed. */
  private async transactFromDisk(path: Path, connection: Connection, delivery: Delivery): Promise<boolean> {
    const data = await this.loadData(delivery);
    if (data === null) return false;
    // Reading from disk took time. A hold that arrived meanwhile does not stop it: the decision
    // to send was taken, as for a transaction already on the wire. A stop does: a graceful stop
    // starts no transaction, and the delivery waits in the spool for the next start.
    if (this.deps.timers.stopped) {
      path.ready.unshift(delivery);
      return false;
    }
    const session = connection.session as TransportSession;
    const result = await session.send({
      envelope: { mailFrom: this.deps.returnPath(delivery), recipients: delivery.recipients },
      data,
    });
    connection.sent++;
    this.deps.settle(path, connection.mxHost, delivery, result.recipients);
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
      this.deps.onLoadError?.(delivery.messageId, error);
      this.deps.schedule(delivery, this.deps.timers.now() + LOAD_RETRY_MS);
      return null;
    }
  }
}
