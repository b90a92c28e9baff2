/**
 * Ready queues: one per egress path, source → site (MX rollup), where shaping is enforced
 * (research/engines.md §3.1). A path holds the deliveries ready to go, its open connections,
 * and its limiters: connections at once, messages per connection, message rate and connection
 * rate (GCRA). Aggregate limits cut across paths: everything from one source to one provider
 * (`providerConnectionLimit`, `providerMaxMessageRate`) and everything from one source
 * (`sourceConnectionLimit`, `sourceMaxMessageRate`), KumoMTA's provider and additional limits.
 */
import type { EpochMs, TimerHandle, TransportSession } from '../../../kernel/index.ts';
import type { Delivery } from './delivery.ts';
import type { EgressSource } from './egress.ts';
import { Gcra } from './shaping/gcra.ts';
import type { ShapingParams } from './shaping/params.ts';
import type { Rate } from './shaping/rate.ts';

/** One connection slot of a path: connecting, sending, or parked idle for reuse. */
export interface Connection {
  session: TransportSession | null;
  /** The MX host it is connected to (a lower-preference one when the first did not answer). */
  mxHost: string;
  /** Messages sent on it so far. */
  sent: number;
  /** Parked idle, waiting for work or for the rate to allow the next message. */
  idle: boolean;
  idleTimer: TimerHandle | null;
}

export class Path {
  readonly key: string;
  readonly ready: Delivery[] = [];
  readonly connections = new Set<Connection>();
  readonly messageRate: Gcra | null;
  readonly connectionRate: Gcra | null;
  /** A pending dispatch task, at most one per path: the earliest wins. */
  wake: { readonly atMs: EpochMs; readonly handle: TimerHandle } | null = null;
  /** Consecutive engine back-off holds, for the doubling hold time; reset by a delivery. */
  holds = 0;
  /** The earliest expiry among the ready deliveries (a lower bound): sweep the queue when it comes. */
  sweepAtMs = Number.POSITIVE_INFINITY;
  consecutiveConnectionFailures = 0;

  constructor(
    readonly source: EgressSource,
    readonly site: string,
    /** The site's MX hosts in preference order. */
    readonly mxHosts: readonly string[],
    readonly provider: string | null,
    readonly params: ShapingParams,
  ) {
    this.key = `${source.name}->${site}`;
    this.messageRate = gcraOf(params.maxMessageRate);
    this.connectionRate = gcraOf(params.maxConnectionRate);
  }

  /** Connections parked idle, ready to take the next delivery. */
  idleConnections(): Connection[] {
    return [...this.connections].filter((connection) => connection.idle);
  }
}

export function gcraOf(rate: Rate | null): Gcra | null {
  return rate === null ? null : new Gcra({ rate });
}

/** Open connections and a message-rate limiter shared by several paths. */
export interface SharedLimit {
  connections: number;
  readonly connectionLimit: number | null;
  readonly messageRate: Gcra | null;
  /** Paths that found the connection limit full, woken when a connection under it closes. */
  readonly waiters: Set<Path>;
}

/**
 * The aggregate limits, created on first use from the first path's parameters: they are
 * provider- and source-scoped (a config may only set them there, read-params.ts), so every
 * path of the same scope resolves the same numbers.
 */
export class AggregateLimits {
  private readonly byProvider = new Map<string, SharedLimit>();
  private readonly bySource = new Map<string, SharedLimit>();

  /** The limits that apply to a path: its source × provider (when matched) and its source. */
  of(path: Path): SharedLimit[] {
    const limits: SharedLimit[] = [];
    if (path.provider !== null) {
      const key = `${path.source.name}|${path.provider}`;
      let limit = this.byProvider.get(key);
      if (limit === undefined) {
        limit = {
          connections: 0,
          connectionLimit: path.params.providerConnectionLimit,
          messageRate: gcraOf(path.params.providerMaxMessageRate),
          waiters: new Set(),
        };
        this.byProvider.set(key, limit);
      }
      limits.push(limit);
    }
    let sourceLimit = this.bySource.get(path.source.name);
    if (sourceLimit === undefined) {
      sourceLimit = {
        connections: 0,
        connectionLimit: path.params.sourceConnectionLimit,
        messageRate: gcraOf(path.params.sourceMaxMessageRate),
        waiters: new Set(),
      };
      this.bySource.set(path.source.name, sourceLimit);
    }
    limits.push(sourceLimit);
    return limits;
  }
}
