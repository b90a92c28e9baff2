/**
 * The engine as an operator sees it (admin-view.ts's contract): queues, paths, suspensions and
 * counters as snapshot values, and the operator's suspend and resume. It reads the engine's
 * parts and changes nothing but suspensions, and the deliveries they hand back or wake.
 */
import type { EpochMs } from '../../../kernel/index.ts';
import type {
  AdminResult,
  EngineAdmin,
  EngineMetrics,
  EngineSnapshot,
  ReadyQueueView,
  SuspendTarget,
} from './admin-view.ts';
import type { Egress } from './egress.ts';
import type { EngineLedger } from './engine-ledger.ts';
import type { PathRates } from './path-rates.ts';
import { pathRef } from './path-ref.ts';
import type { Path } from './paths.ts';
import type { PathTable } from './router.ts';
import type { ScheduledQueues } from './scheduled-queues.ts';
import type { SuppressionList } from './suppression.ts';
import { ANY_SOURCE } from './suspensions.ts';
import type { Suspensions } from './suspensions.ts';

export interface EngineParts {
  now(): EpochMs;
  readonly queues: ScheduledQueues;
  readonly paths: PathTable;
  readonly rates: PathRates;
  readonly suspensions: Suspensions;
  readonly suppressions: SuppressionList;
  readonly egress: Egress;
  readonly ledger: EngineLedger;
  /** A suspended path's ready deliveries go back to their scheduled queues. */
  handBack(path: Path, untilMs: EpochMs): void;
}

export class EngineAdminDesk implements EngineAdmin {
  constructor(private readonly parts: EngineParts) {}

  /** Recipients waiting in a scheduled or ready queue, and the connections open. */
  queued(): { readonly recipients: number; readonly connections: number } {
    let recipients = this.parts.queues.recipientsWaiting();
    let connections = 0;
    for (const path of this.parts.paths.all()) {
      for (const delivery of path.ready) recipients += delivery.recipients.length;
      connections += path.connections.size;
    }
    return { recipients, connections };
  }

  snapshot(): EngineSnapshot {
    const { suspensions } = this.parts;
    const atMs = this.parts.now();
    const ready = [...this.parts.paths.all()].map((path): ReadyQueueView => {
      const blockedUntilMs = suspensions.blockedUntil(pathRef(path), atMs);
      const suspension = suspensions.of({ source: path.source.name, site: path.site });
      return {
        name: path.key,
        source: path.source.name,
        sourceIp: path.source.sourceIp,
        site: path.site,
        provider: path.provider,
        ready: path.ready.reduce((sum, delivery) => sum + delivery.recipients.length, 0),
        connectionsOpen: path.connections.size,
        connectionLimit: path.params.connectionLimit,
        ratePerHour: this.parts.rates.perHourOf(path),
        suspendedUntilMs: blockedUntilMs > atMs ? blockedUntilMs : null,
        suspendedReason: blockedUntilMs > atMs ? (suspension?.reason ?? 'a wider suspension') : null,
      };
    });
    return {
      atMs,
      scheduled: this.parts.queues.views(),
      ready,
      suspensions: suspensions.all().map(({ scope, untilMs, reason }) => ({ scope, untilMs, reason })),
    };
  }

  metrics(): EngineMetrics {
    const { ledger } = this.parts;
    const queued = this.queued();
    return {
      records: ledger.records(),
      classes: ledger.classes(),
      recipientsQueued: queued.recipients,
      recipientsInFlight: ledger.recipientsOpen - queued.recipients,
      connectionsOpen: queued.connections,
      suppressedAddresses: this.parts.suppressions.size,
    };
  }

  suspend(target: SuspendTarget, options: { readonly durationMs: number; readonly reason: string }): AdminResult {
    const problem = this.checkTarget(target);
    if (problem !== null) return { ok: false, message: problem };
    if (!(options.durationMs > 0))
      return { ok: false, message: `duration must be more than 0 (got ${options.durationMs} ms)` };
    const { suspensions } = this.parts;
    const nowMs = this.parts.now();
    const scope = scopeOf(target);
    suspensions.suspend(
      {
        scope,
        untilMs: nowMs + options.durationMs,
        reason: options.reason,
        rule: 'operator.suspend',
        origin: 'operator',
      },
      nowMs,
    );
    for (const path of this.parts.paths.all())
      if (suspensions.blockedUntil(pathRef(path), nowMs) > nowMs) this.parts.handBack(path, nowMs + options.durationMs);
    return {
      ok: true,
      detail: `suspended ${describeScope(scope)} until ${new Date(nowMs + options.durationMs).toISOString()}`,
    };
  }

  resume(target: SuspendTarget): AdminResult {
    const problem = this.checkTarget(target);
    if (problem !== null) return { ok: false, message: problem };
    const nowMs = this.parts.now();
    const scope = scopeOf(target);
    if (!this.parts.suspensions.resume(scope, nowMs, 'an operator resumed it', 'operator.resume'))
      return { ok: false, message: `${describeScope(scope)} is not suspended` };
    this.parts.queues.wakeHandedBack(nowMs);
    return { ok: true, detail: `resumed ${describeScope(scope)}` };
  }

  private checkTarget(target: SuspendTarget): string | null {
    const { egress } = this.parts;
    if ('source' in target && !egress.sources.some((source) => source.name === target.source)) {
      return `unknown source '${target.source}' (known: ${egress.sources.map((source) => source.name).join(', ')})`;
    }
    return null;
  }
}

function scopeOf(target: SuspendTarget): { source: string; site?: string; provider?: string } {
  if ('site' in target) return { source: 'source' in target ? target.source : ANY_SOURCE, site: target.site };
  if ('provider' in target) return { source: target.source, provider: target.provider };
  return { source: target.source };
}

function describeScope(scope: { source: string; site?: string; provider?: string }): string {
  if (scope.site !== undefined)
    return scope.source === ANY_SOURCE ? `site ${scope.site} from every source` : `path ${scope.source}->${scope.site}`;
  if (scope.provider !== undefined) return `source ${scope.source} towards ${scope.provider}`;
  return `source ${scope.source}`;
}
