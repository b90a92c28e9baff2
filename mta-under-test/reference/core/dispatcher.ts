/**
 * Ready queues and connections: when a path has work, the dispatcher puts its idle connections
 * to work and opens new ones while shaping allows (connection limits, connection and message
 * rates, aggregate limits) and nothing holds the path; a suspended path hands its ready
 * deliveries back to their scheduled queues. Sending on a connection is connection-driver.ts.
 */
import type { EpochMs, RecipientOutcome, Transport } from '../../../kernel/index.ts';
import { ConnectionDriver } from './connection-driver.ts';
import type { Delivery } from './delivery.ts';
import type { EngineTimers } from './engine-timers.ts';
import type { PathRates } from './path-rates.ts';
import { pathRef } from './path-ref.ts';
import type { AggregateLimits, Connection, Path } from './paths.ts';
import type { MxResolver } from './resolver.ts';
import type { Suspensions } from './suspensions.ts';

export interface DispatcherDeps {
  readonly timers: EngineTimers;
  readonly suspensions: Suspensions;
  readonly limits: AggregateLimits;
  readonly rates: PathRates;
  readonly resolver: MxResolver;
  readonly transport: Transport;
  schedule(delivery: Delivery, dueMs: EpochMs, handedBack?: boolean): void;
  expire(delivery: Delivery): void;
  /** Records and acts on a transaction's answers, recipient by recipient. */
  settle(path: Path, mxHost: string, delivery: Delivery, outcomes: readonly RecipientOutcome[]): void;
  /** The engine's own back-off on a path. */
  hold(path: Path, reason: string, action: 'backoff' | 'stop'): void;
  /** The MAIL FROM of a delivery. */
  returnPath(delivery: Delivery): string;
  onLoadError?(messageId: string, error: unknown): void;
}

export class Dispatcher {
  private readonly driver: ConnectionDriver;

  constructor(private readonly deps: DispatcherDeps) {
    this.driver = new ConnectionDriver(deps, this);
  }

  /** Waits for the transactions under way (a graceful stop starts no new one). */
  inFlightSettled(): Promise<unknown> {
    return this.driver.inFlightSettled();
  }

  closeSessions(): Promise<void> {
    return this.driver.closeSessions();
  }

  /** One pending dispatch per path: an earlier request replaces a later one. */
  wakePath(path: Path, atMs: EpochMs): void {
    const { timers } = this.deps;
    if (timers.stopped) return;
    if (path.wake !== null) {
      if (path.wake.atMs <= atMs) return;
      timers.cancel(path.wake.handle);
    }
    const handle = timers.at(atMs, () => {
      path.wake = null;
      return this.dispatch(path);
    });
    path.wake = { atMs, handle };
  }

  /** Puts idle connections to work and opens new ones while shaping allows and the queue needs them. */
  private dispatch(path: Path): Promise<void> | undefined {
    const { timers, suspensions, rates } = this.deps;
    if (timers.stopped) return undefined;
    const nowMs = timers.now();
    suspensions.expire(nowMs);
    this.sweepExpired(path, nowMs);
    if (path.ready.length === 0) return undefined;
    const blockedUntilMs = suspensions.blockedUntil(pathRef(path), nowMs);
    if (blockedUntilMs > nowMs) {
      this.handBack(path, blockedUntilMs);
      return undefined;
    }
    const workers: Promise<void>[] = [];
    for (const connection of path.idleConnections()) {
      if (path.ready.length <= workers.length) break;
      workers.push(this.driver.drive(path, connection));
    }
    // A connection opened while the message rate forbids sending would only idle and close
    // (and be opened again): wait for the rate instead.
    const rateWaitMs = rates.wait(path, nowMs);
    if (rateWaitMs > nowMs && path.ready.length > path.connections.size)
      this.wakePath(path, Math.min(rateWaitMs, path.sweepAtMs));
    // Every open connection takes a message the rate allows; open no more than there are messages for.
    const sendableNow = rates
      .limiters(path, nowMs)
      .reduce((fewest, limiter) => Math.min(fewest, limiter.availableAt(nowMs)), Number.POSITIVE_INFINITY);
    while (rateWaitMs <= nowMs && path.ready.length > path.connections.size && path.connections.size < sendableNow) {
      const waitUntilMs = this.connectionWait(path, nowMs);
      if (waitUntilMs === null) break;
      if (waitUntilMs > nowMs) {
        this.wakePath(path, waitUntilMs);
        break;
      }
      workers.push(this.driver.connectAndDrive(path));
    }
    return workers.length === 0 ? undefined : Promise.all(workers).then(() => undefined);
  }

  /**
   * Expires the ready deliveries whose lifetime is over, wherever they are in the queue (a
   * rate-limited queue holds them longer than their age allows); recomputes the next sweep.
   */
  sweepExpired(path: Path, nowMs: EpochMs): void {
    if (nowMs < path.sweepAtMs) return;
    const expired = path.ready.filter((delivery) => nowMs >= delivery.expiresAtMs);
    if (expired.length > 0) {
      const kept = path.ready.filter((delivery) => nowMs < delivery.expiresAtMs);
      path.ready.splice(0, path.ready.length, ...kept);
      for (const delivery of expired) this.deps.expire(delivery);
    }
    path.sweepAtMs = path.ready.reduce(
      (earliest, delivery) => Math.min(earliest, delivery.expiresAtMs),
      Number.POSITIVE_INFINITY,
    );
  }

  /** A suspended path's ready deliveries go back to their scheduled queues until it may send again. */
  handBack(path: Path, untilMs: EpochMs): void {
    for (const delivery of path.ready.splice(0)) this.deps.schedule(delivery, untilMs, true);
    path.sweepAtMs = Number.POSITIVE_INFINITY;
    for (const connection of path.idleConnections()) void this.release(path, connection);
  }

  /**
   * When another connection may open: now, a later time (the connection rate), or null when a
   * connection limit is full (a closing connection wakes the path).
   */
  private connectionWait(path: Path, nowMs: EpochMs): EpochMs | null {
    if (path.connections.size >= path.params.connectionLimit) return null;
    for (const limit of this.deps.limits.of(path)) {
      if (limit.connectionLimit !== null && limit.connections >= limit.connectionLimit) {
        limit.waiters.add(path);
        return null;
      }
    }
    return path.connectionRate?.nextFreeAtMs(nowMs) ?? nowMs;
  }

  /** Keeps an idle connection for reuse until the path's idle timeout. */
  park(path: Path, connection: Connection): void {
    const { timers } = this.deps;
    connection.idle = true;
    connection.idleTimer = timers.at(timers.now() + path.params.idleTimeoutMs, () => {
      connection.idleTimer = null;
      if (connection.idle) return this.release(path, connection);
      return undefined;
    });
  }

  /** Closes a connection and frees its place under every limit; paths waiting for one are woken. */
  async release(path: Path, connection: Connection): Promise<void> {
    const { timers } = this.deps;
    if (!path.connections.delete(connection)) return;
    connection.idle = false;
    timers.cancel(connection.idleTimer);
    connection.idleTimer = null;
    for (const limit of this.deps.limits.of(path)) {
      limit.connections--;
      for (const waiter of limit.waiters) if (waiter.ready.length > 0) this.wakePath(waiter, timers.now());
      limit.waiters.clear();
    }
    if (connection.session !== null) await this.driver.closeSession(connection.session);
    if (path.ready.length > 0) this.wakePath(path, timers.now());
  }
}
