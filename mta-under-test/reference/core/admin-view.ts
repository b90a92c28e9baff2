/**
 * What the engine shows an operator and lets an operator change: the contract between the
 * engine core and its admin HTTP endpoints (inspect queues, suspend and resume, metrics).
 * The core implements it; the HTTP layer (reference/admin/) only translates.
 *
 * Everything here is a snapshot value, so an admin request never holds engine state.
 */
import type { EpochMs } from '../../../kernel/index.ts';
import type { PathScope } from '../../accounting.ts';

/** A scheduled queue (`campaign:tenant@domain`): messages waiting for their time. */
export interface ScheduledQueueView {
  readonly name: string;
  readonly tenant: string;
  readonly campaign: string;
  readonly domain: string;
  /** Recipients waiting in it. */
  readonly recipients: number;
  /** When the earliest of them is due, or null when it is empty. */
  readonly nextDueAtMs: EpochMs | null;
}

/** A ready queue: one egress path, source → site, where shaping is enforced. */
export interface ReadyQueueView {
  /** `source->site`, KumoMTA's naming. */
  readonly name: string;
  readonly source: string;
  readonly sourceIp: string;
  readonly site: string;
  readonly provider: string | null;
  /** Deliveries ready to go on this path. */
  readonly ready: number;
  readonly connectionsOpen: number;
  readonly connectionLimit: number;
  /** The path's message rate now (after adaptive throttling), messages per hour; null: none. */
  readonly ratePerHour: number | null;
  /** Set while the path is suspended. */
  readonly suspendedUntilMs: EpochMs | null;
  readonly suspendedReason: string | null;
}

export interface EngineSnapshot {
  readonly atMs: EpochMs;
  readonly scheduled: readonly ScheduledQueueView[];
  readonly ready: readonly ReadyQueueView[];
  /** Suspensions in force, whatever their scope. */
  readonly suspensions: readonly { readonly scope: PathScope; readonly untilMs: EpochMs; readonly reason: string }[];
}

/** Counters since the engine started, and gauges now, for the Prometheus endpoint. */
export interface EngineMetrics {
  /** Accounting records emitted, by type. */
  readonly records: Readonly<Record<string, number>>;
  /** Attempts by the class the engine concluded. */
  readonly classes: Readonly<Record<string, number>>;
  readonly recipientsQueued: number;
  readonly recipientsInFlight: number;
  readonly connectionsOpen: number;
  readonly suppressedAddresses: number;
}

/** What an operator may suspend or resume: a path, a site from every source, a source, a source towards a provider. */
export type SuspendTarget =
  | { readonly source: string; readonly site: string }
  | { readonly site: string }
  | { readonly source: string; readonly provider: string }
  | { readonly source: string };

export type AdminResult =
  { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly message: string };

export interface EngineAdmin {
  snapshot(): EngineSnapshot;
  metrics(): EngineMetrics;
  /** Stops new deliveries on the target for `durationMs`; an accounting Suspend record says so. */
  suspend(target: SuspendTarget, options: { readonly durationMs: number; readonly reason: string }): AdminResult;
  /** Lifts the operator's suspension of the target; a Resume record says so. */
  resume(target: SuspendTarget): AdminResult;
}
