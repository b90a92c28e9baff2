/**
 * Suspensions in force, at four scopes: one egress path (source → site), a site from every
 * source, a source towards a provider, a whole source. The engine's own back-off holds,
 * an operator's suspensions and the policy's (issue 5: TSS04, S3150) all live here, so one
 * question — "until when is this path blocked?" — covers them all, and every start and end is
 * an accounting record (research/engines.md §9.2 item 9: decisions a report can show).
 */
import type { EpochMs } from '../../../kernel/index.ts';
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

/** Scope keys remembered per source (a bound: a source meets one site per destination domain at most). */
const PATH_KEYS_PER_SOURCE_MAX = 10_000;

export class Suspensions {
  private readonly byKey = new Map<string, Suspension>();
  /** The scope keys of each path asked about: source → site → provider → keys. */
  private readonly pathKeys = new Map<string, Map<string, Map<string | null, string[]>>>();

  constructor(private readonly onRecord: (record: SuspendRecord | ResumeRecord) => void) {}

  /** Suspends a scope until `untilMs` (an existing later suspension of the scope stays). */
  suspend(suspension: Suspension, atMs: EpochMs): void {
    const key = scopeKey(suspension.scope);
    const current = this.byKey.get(key);
    if (current !== undefined && current.untilMs >= suspension.untilMs) return;
    this.byKey.set(key, suspension);
    this.onRecord({
      type: 'Suspend',
      atMs,
      scope: suspension.scope,
      untilMs: suspension.untilMs,
      reason: suspension.reason,
      rule: suspension.rule,
    });
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
      this.onRecord({
        type: 'Resume',
        atMs: suspension.untilMs,
        scope: suspension.scope,
        reason: 'suspension time ran out',
        rule: `${suspension.rule}.expired`,
      });
    }
  }

  /** The latest time any scope covering this path is suspended until; `nowMs` or earlier when free. */
  blockedUntil(
    path: { readonly source: string; readonly site: string; readonly provider: string | null },
    nowMs: EpochMs,
  ): EpochMs {
    // Most of a run has nothing suspended: answer without looking up the four scope keys.
    if (this.byKey.size === 0) return nowMs;
    let untilMs = nowMs;
    for (const key of this.keysOf(path)) {
      const suspension = this.byKey.get(key);
      if (suspension !== undefined && suspension.untilMs > untilMs) untilMs = suspension.untilMs;
    }
    return untilMs;
  }

  /**
   * The scope keys that cover a path, made once per (source, site, provider): the engine asks
   * for the same few paths on every message, and building the strings was a cost of its own.
   */
  private keysOf(path: {
    readonly source: string;
    readonly site: string;
    readonly provider: string | null;
  }): readonly string[] {
    let bySite = this.pathKeys.get(path.source);
    if (bySite === undefined) {
      bySite = new Map();
      this.pathKeys.set(path.source, bySite);
    }
    let byProvider = bySite.get(path.site);
    if (byProvider === undefined) {
      if (bySite.size >= PATH_KEYS_PER_SOURCE_MAX) bySite.clear();
      byProvider = new Map();
      bySite.set(path.site, byProvider);
    }
    let keys = byProvider.get(path.provider);
    if (keys === undefined) {
      keys = [`${path.source}->${path.site}`, `${ANY_SOURCE}->${path.site}`, path.source];
      if (path.provider !== null) keys.push(`${path.source}|${path.provider}`);
      byProvider.set(path.provider, keys);
    }
    return keys;
  }

  /** The suspension of exactly this scope, if any. */
  of(scope: PathScope): Suspension | undefined {
    return this.byKey.get(scopeKey(scope));
  }

  all(): readonly Suspension[] {
    return [...this.byKey.values()];
  }
}
