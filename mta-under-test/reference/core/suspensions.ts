/**
 * Suspensions in force, at four scopes: one egress path (source → site), a site from every
 * source, a source towards a provider, a whole source. The engine's own back-off holds,
 * an operator's suspensions and the policy's (issue 5: TSS04, S3150) all live here, so one
 * question — "until when is this path blocked?" — covers them all, and every start and end is
 * an accounting record (research/engines.md §9.2 item 9: decisions a report can show).
 */
import type { EpochMs } from '../../../sim/clock/clock.ts';
import type { PathScope, ResumeRecord, SuspendRecord } from '../../accounting.ts';

export type SuspensionOrigin = 'engine' | 'operator' | 'policy';

export interface Suspension {
  readonly scope: PathScope;
  readonly untilMs: EpochMs;
  readonly reason: string;
  readonly rule: string;
  readonly origin: SuspensionOrigin;
}

/** `source->site`, `*->site`, `source|provider`, `source`: one key per scope shape. */
export function scopeKey(scope: PathScope): string {
  if (scope.site !== undefined) return `${scope.source}->${scope.site}`;
  if (scope.provider !== undefined) return `${scope.source}|${scope.provider}`;
  return scope.source;
}

/** The wildcard source of a site-wide suspension. */
export const ANY_SOURCE = '*';

export class Suspensions {
  private readonly byKey = new Map<string, Suspension>();

  constructor(private readonly onRecord: (record: SuspendRecord | ResumeRecord) => void) {}

  /** Suspends a scope until `untilMs` (an existing later suspension of the scope stays). */
  suspend(suspension: Suspension, atMs: EpochMs): void {
    const key = scopeKey(suspension.scope);
    const current = this.byKey.get(key);
    if (current !== undefined && current.untilMs >= suspension.untilMs) return;
    this.byKey.set(key, suspension);
    this.onRecord({ type: 'Suspend', atMs, scope: suspension.scope, untilMs: suspension.untilMs, reason: suspension.reason, rule: suspension.rule });
  }

  /** Ends the suspension of a scope before its time; false when there was none. */
  resume(scope: PathScope, atMs: EpochMs, reason: string, rule: string): boolean {
    const key = scopeKey(scope);
    if (!this.byKey.delete(key)) return false;
    this.onRecord({ type: 'Resume', atMs, scope, reason, rule });
    return true;
  }

  /** Ends every suspension whose time has come, with a Resume record each. */
  expire(nowMs: EpochMs): void {
    for (const [key, suspension] of this.byKey) {
      if (suspension.untilMs > nowMs) continue;
      this.byKey.delete(key);
      this.onRecord({ type: 'Resume', atMs: suspension.untilMs, scope: suspension.scope, reason: 'suspension time ran out', rule: `${suspension.rule}.expired` });
    }
  }

  /** The latest time any scope covering this path is suspended until; `nowMs` or earlier when free. */
  blockedUntil(path: { readonly source: string; readonly site: string; readonly provider: string | null }, nowMs: EpochMs): EpochMs {
    let untilMs = nowMs;
    const keys = [`${path.source}->${path.site}`, `${ANY_SOURCE}->${path.site}`, path.source];
    if (path.provider !== null) keys.push(`${path.source}|${path.provider}`);
    for (const key of keys) {
      const suspension = this.byKey.get(key);
      if (suspension !== undefined && suspension.untilMs > untilMs) untilMs = suspension.untilMs;
    }
    return untilMs;
  }

  /** The suspension of exactly this scope, if any. */
  of(scope: PathScope): Suspension | undefined {
    return this.byKey.get(scopeKey(scope));
  }

  all(): readonly Suspension[] {
    return [...this.byKey.values()];
  }
}
