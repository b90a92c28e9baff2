/**
 * A stand-in for the engine core behind the admin API: it serves a fixed snapshot and fixed
 * metrics, records every suspend and resume it is asked for, and refuses a source it does
 * not know the way the engine does, so the HTTP layer can be tested without an engine.
 */
import type {
  AdminResult,
  EngineAdmin,
  EngineMetrics,
  EngineSnapshot,
  SuspendTarget,
} from '../../mta-under-test/reference/core/admin-view.ts';

export type AdminCall =
  | { readonly method: 'suspend'; readonly target: SuspendTarget; readonly durationMs: number; readonly reason: string }
  | { readonly method: 'resume'; readonly target: SuspendTarget };

export const GMAIL_SITE = '(alt1|alt2)?.gmail-smtp-in.l.google.com';

/** Two sources, three paths: one to Gmail per source (one of them suspended), one to a domain with no provider block. */
export const SAMPLE_SNAPSHOT: EngineSnapshot = {
  atMs: 1_767_571_200_000,
  scheduled: [
    {
      name: 'spring:acme@gmail.com',
      tenant: 'acme',
      campaign: 'spring',
      domain: 'gmail.com',
      recipients: 40,
      nextDueAtMs: 1_767_571_260_000,
    },
  ],
  ready: [
    {
      name: 'ip-1->' + GMAIL_SITE,
      source: 'ip-1',
      sourceIp: '127.0.0.11',
      site: GMAIL_SITE,
      provider: 'gmail',
      ready: 12,
      connectionsOpen: 2,
      connectionLimit: 5,
      ratePerHour: 3600,
      suspendedUntilMs: null,
      suspendedReason: null,
    },
    {
      name: 'ip-2->' + GMAIL_SITE,
      source: 'ip-2',
      sourceIp: '127.0.0.12',
      site: GMAIL_SITE,
      provider: 'gmail',
      ready: 7,
      connectionsOpen: 0,
      connectionLimit: 5,
      ratePerHour: 600,
      suspendedUntilMs: 1_767_578_400_000,
      suspendedReason: 'operator: warm-up pause',
    },
    {
      name: 'ip-1->mx.example.net',
      source: 'ip-1',
      sourceIp: '127.0.0.11',
      site: 'mx.example.net',
      provider: null,
      ready: 3,
      connectionsOpen: 1,
      connectionLimit: 10,
      ratePerHour: null,
      suspendedUntilMs: null,
      suspendedReason: null,
    },
  ],
  suspensions: [
    { scope: { source: 'ip-2', site: GMAIL_SITE }, untilMs: 1_767_578_400_000, reason: 'operator: warm-up pause' },
  ],
};

export const SAMPLE_METRICS: EngineMetrics = {
  records: { Reception: 100, Delivery: 60, TransientFailure: 9, Bounce: 4 },
  classes: { delivered: 60, 'unknown-user': 3 },
  recipientsQueued: 62,
  recipientsInFlight: 3,
  connectionsOpen: 3,
  suppressedAddresses: 17,
};

export class FakeEngineAdmin implements EngineAdmin {
  readonly calls: AdminCall[] = [];

  constructor(
    readonly snapshotValue: EngineSnapshot = SAMPLE_SNAPSHOT,
    readonly metricsValue: EngineMetrics = SAMPLE_METRICS,
  ) {}

  snapshot(): EngineSnapshot {
    return this.snapshotValue;
  }

  metrics(): EngineMetrics {
    return this.metricsValue;
  }

  suspend(target: SuspendTarget, options: { readonly durationMs: number; readonly reason: string }): AdminResult {
    this.calls.push({ method: 'suspend', target, durationMs: options.durationMs, reason: options.reason });
    return (
      this.refusal(target) ?? { ok: true, detail: `suspended ${JSON.stringify(target)} for ${options.durationMs} ms` }
    );
  }

  resume(target: SuspendTarget): AdminResult {
    this.calls.push({ method: 'resume', target });
    return this.refusal(target) ?? { ok: true, detail: `resumed ${JSON.stringify(target)}` };
  }

  /** The engine's answer to a source it has no ready queue for. */
  private refusal(target: SuspendTarget): AdminResult | undefined {
    const sources = [...new Set(this.snapshotValue.ready.map((queue) => queue.source))];
    if ('source' in target && !sources.includes(target.source))
      return { ok: false, message: `unknown source "${target.source}" (known: ${sources.join(', ')})` };
    return undefined;
  }
}
