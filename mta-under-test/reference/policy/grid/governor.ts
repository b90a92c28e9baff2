/**
 * The grid governor: which tenants send through the shared high-quality pool, the "grid"
 * (DESIGN "The sender": customers "graduate to above 98 % deliverability and fall out of" it;
 * research/engines.md §9.2 item 6). Every tenant keeps its dedicated pool. A promoted tenant's
 * mail goes through the grid's sources except a share kept on its dedicated IP so that the IP
 * stays warm; a tenant not (or no longer) on the grid sends through its dedicated pool only.
 *
 * Days are UTC days (`floor(atMs / 24 h)`). Promotion is decided when a day closes (the first
 * call at or after its end), over the last `windowDays` complete days, all of them days since the
 * grid first saw the tenant: a week of good figures, not one good day. Demotion is immediate:
 * each record that moves a tenant's figures re-checks the day so far, once it has at least
 * `messagesMin` of volume. After a demotion the tenant is on probation: only days after the
 * demotion day count, and it needs a full new window of them before it can be promoted again.
 * A tenant that misbehaves while not on the grid is put on probation the same way
 * (`grid.probation`), so complaints cannot be hidden behind a good deliverability figure.
 *
 * Pure and clock-injected: time comes from the request's, the record's or the caller's `atMs`.
 */
import { DAY_MS } from '../../../../kernel/index.ts';
import type { EpochMs } from '../../../../kernel/index.ts';
import type { AccountingRecord, PolicyRecord } from '../../../accounting.ts';
import type { EgressSource } from '../../core/egress.ts';
import type { DecisionEmitter, SourceChoice, SourceRequest } from '../../core/policy.ts';
import { RoundRobin } from '../warmup/index.ts';
import {
  addFigures,
  blockShareOf,
  bounceShareOf,
  complaintShareOf,
  countRecord,
  deliverabilityOf,
  describeTenantFigures,
  emptyTenantFigures,
  finalsOf,
} from './figures.ts';
import type { TenantFigures } from './figures.ts';

/** A pool by name and its sources, as the engine's egress configures them. */
export interface GridPool {
  readonly pool: string;
  readonly sources: readonly EgressSource[];
}

export interface GridPromotion {
  /**
   * Promote above this deliverability over the window (DESIGN "The sender": "above 98 %").
   * @defaultValue 0.98
   */
  readonly deliverabilityMin: number;
  /** The window, in complete UTC days. @assumption: a week, so weekday and weekend sends both count. @defaultValue 7 */
  readonly windowDays: number;
  /** At least this many finals (the deliverability denominator) in the window. @assumption: enough for 98 % to mean something (±0.9 % at 1,000). @defaultValue 1000 */
  readonly messagesMin: number;
}

export interface GridDemotion {
  /** Demote above this (bounces + async bounces) ÷ finals in a day. @assumption: 5 %, past what a clean list produces. @defaultValue 0.05 */
  readonly bounceShareMax: number;
  /** Demote above this complaints ÷ delivered in a day: Gmail's and Yahoo's 0.3 % (facts/isp-behaviors.md §1). @defaultValue 0.003 */
  readonly complaintShareMax: number;
  /** Demote above this share of attempts answered reputation-block or blocklisted in a day. @assumption: 1 %. @defaultValue 0.01 */
  readonly blockShareMax: number;
  /** Shares count only once the day has this many finals (bounces, complaints) or attempts (blocks). @assumption. @defaultValue 100 */
  readonly messagesMin: number;
}

export interface GridGovernorOptions {
  readonly grid: GridPool;
  /** Per tenant: its dedicated pool and sources. */
  readonly tenants: Readonly<Record<string, GridPool>>;
  readonly promotion?: Partial<GridPromotion>;
  readonly demotion?: Partial<GridDemotion>;
  /**
   * The share of a promoted tenant's recipients kept on its dedicated pool, so its IP stays warm.
   * @assumption: 10 %. @defaultValue 0.1
   */
  readonly dedicatedShare?: number;
  /** Tenants on the grid from the start. @defaultValue none */
  readonly initialMembers?: readonly string[];
}

export const DEFAULT_GRID_PROMOTION: GridPromotion = { deliverabilityMin: 0.98, windowDays: 7, messagesMin: 1_000 };
export const DEFAULT_GRID_DEMOTION: GridDemotion = {
  bounceShareMax: 0.05,
  complaintShareMax: 0.003,
  blockShareMax: 0.01,
  messagesMin: 100,
};
export const DEFAULT_DEDICATED_SHARE = 0.1;

export type MembershipState = 'grid' | 'dedicated' | 'probation';

/** Where a tenant stands, for reports. */
export interface Membership {
  readonly tenant: string;
  readonly state: MembershipState;
  readonly onGrid: boolean;
  /** Since when it is in this state; null: from the start. */
  readonly sinceMs: EpochMs | null;
  /** The earliest day end at which a promotion can be decided; null while on the grid. */
  readonly promotableFromMs: EpochMs | null;
  /** The figures of the last `windowDays` complete days that count (after a demotion, only the days after it). */
  readonly window: TenantFigures;
  readonly deliverability: number | null;
}

interface TenantState {
  readonly tenant: string;
  readonly dedicated: GridPool;
  state: MembershipState;
  sinceMs: EpochMs | null;
  /** The first UTC day whose figures count towards a promotion. */
  countsFromDay: number;
  readonly days: Map<number, TenantFigures>;
  routedTotal: number;
  routedDedicated: number;
}

export class GridGovernor {
  readonly promotion: GridPromotion;
  readonly demotion: GridDemotion;
  readonly dedicatedShare: number;
  private readonly grid: GridPool;
  private readonly tenants = new Map<string, TenantState>();
  private readonly rotation = new RoundRobin();
  /** The current UTC day; null before the first call. */
  private day: number | null = null;
  private emit: DecisionEmitter = () => undefined;

  constructor(options: GridGovernorOptions) {
    this.grid = options.grid;
    this.promotion = { ...DEFAULT_GRID_PROMOTION, ...options.promotion };
    this.demotion = { ...DEFAULT_GRID_DEMOTION, ...options.demotion };
    this.dedicatedShare = options.dedicatedShare ?? DEFAULT_DEDICATED_SHARE;
    const issues = gridIssues(options, this.promotion, this.dedicatedShare);
    if (issues.length > 0)
      throw new RangeError(`invalid grid options:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    const members = new Set(options.initialMembers ?? []);
    for (const [tenant, dedicated] of Object.entries(options.tenants)) {
      this.tenants.set(tenant, {
        tenant,
        dedicated,
        state: members.has(tenant) ? 'grid' : 'dedicated',
        sinceMs: null,
        countsFromDay: Number.NEGATIVE_INFINITY,
        days: new Map(),
        routedTotal: 0,
        routedDedicated: 0,
      });
    }
  }

  attach(emit: DecisionEmitter): void {
    this.emit = emit;
  }

  /** The pool and candidates a tenant's delivery goes to; the request unchanged when the grid has no say. */
  routeRequest(request: SourceRequest): SourceRequest {
    const tenant = request.owner.tenant === undefined ? undefined : this.tenants.get(request.owner.tenant);
    // A message that names its pool keeps it: the sender chose on purpose.
    if (tenant === undefined || request.owner.pool !== undefined) return request;
    this.roll(request.atMs);
    if (tenant.state !== 'grid')
      return { ...request, pool: tenant.dedicated.pool, candidates: tenant.dedicated.sources };
    const toDedicated = tenant.routedDedicated < this.dedicatedShare * (tenant.routedTotal + request.recipients);
    tenant.routedTotal += request.recipients;
    if (toDedicated) tenant.routedDedicated += request.recipients;
    const target = toDedicated ? tenant.dedicated : this.grid;
    return { ...request, pool: target.pool, candidates: target.sources };
  }

  /** `routeRequest`, then round robin over the chosen pool's sources; undefined when the grid has no say. */
  chooseSource(request: SourceRequest): SourceChoice | undefined {
    const routed = this.routeRequest(request);
    if (routed === request) return undefined;
    const source = this.rotation.pick(routed.pool, routed.candidates);
    return source === undefined ? undefined : { source };
  }

  /** Learns each tenant's figures; demotes at once on misbehaviour. */
  observe(record: AccountingRecord): void {
    if (record.type === 'Policy' || record.type === 'Throttle') return;
    this.roll(record.atMs);
    if (!('tenant' in record) || record.tenant === undefined) return;
    const tenant = this.tenants.get(record.tenant);
    if (tenant === undefined) return;
    const today = dayOf(record.atMs);
    // A full window counts from the first day the grid saw the tenant.
    if (tenant.countsFromDay === Number.NEGATIVE_INFINITY) tenant.countsFromDay = today;
    let figures = tenant.days.get(today);
    if (figures === undefined) {
      figures = emptyTenantFigures();
      tenant.days.set(today, figures);
    }
    if (countRecord(figures, record)) this.checkMisbehaviour(tenant, figures, record.atMs);
  }

  /** Where a tenant stands at `nowMs`; undefined for a tenant the grid does not know. */
  membership(tenant: string, nowMs: EpochMs): Membership | undefined {
    this.roll(nowMs);
    const state = this.tenants.get(tenant);
    if (state === undefined) return undefined;
    const lastComplete = dayOf(nowMs) - 1;
    const window = this.windowFigures(state, lastComplete);
    // A promotion is decided when a day closes: today's end at the earliest, and only once a full window counts.
    const promotableFromDay = Math.max(state.countsFromDay + this.promotion.windowDays, dayOf(nowMs) + 1);
    return {
      tenant,
      state: state.state,
      onGrid: state.state === 'grid',
      sinceMs: state.sinceMs,
      promotableFromMs: state.state === 'grid' ? null : promotableFromDay * DAY_MS,
      window,
      deliverability: deliverabilityOf(window),
    };
  }

  // ── decisions ─────────────────────────────────────────────────────────────────────────

  /** Closes the UTC days that ended at or before `nowMs`: promotion decisions, then old days forgotten. */
  private roll(nowMs: EpochMs): void {
    const today = dayOf(nowMs);
    if (this.day === null) this.day = today;
    if (today <= this.day) return;
    // Past a window and a day of silence every window is empty: nothing more can be promoted.
    const first = Math.max(this.day, today - this.promotion.windowDays - 1);
    this.day = today;
    for (let closing = first; closing < today; closing++) {
      for (const tenant of this.tenants.values()) this.considerPromotion(tenant, closing, nowMs);
    }
    for (const tenant of this.tenants.values()) {
      for (const day of tenant.days.keys()) if (day < today - this.promotion.windowDays) tenant.days.delete(day);
    }
  }

  private considerPromotion(tenant: TenantState, closing: number, nowMs: EpochMs): void {
    if (tenant.state === 'grid') return;
    const firstDay = closing - this.promotion.windowDays + 1;
    if (firstDay < tenant.countsFromDay) return;
    const window = this.windowFigures(tenant, closing);
    const deliverability = deliverabilityOf(window);
    if (
      finalsOf(window) < this.promotion.messagesMin ||
      deliverability === null ||
      !(deliverability > this.promotion.deliverabilityMin)
    )
      return;
    if (this.misbehaviourOf(window) !== null) return;
    tenant.state = 'grid';
    tenant.sinceMs = nowMs;
    tenant.routedTotal = 0;
    tenant.routedDedicated = 0;
    const detail = `window ${isoDay(firstDay)} – ${isoDay(closing)} (${this.promotion.windowDays} days, ≥ ${this.promotion.messagesMin} finals, > ${this.promotion.deliverabilityMin * 100} %): ${describeTenantFigures(window)}; ${this.dedicatedShare * 100} % stays on ${tenant.dedicated.pool}`;
    this.emit(this.record(tenant, nowMs, 'grid.promote', 'grid.promote.deliverability', detail));
  }

  private checkMisbehaviour(tenant: TenantState, today: TenantFigures, nowMs: EpochMs): void {
    const day = dayOf(nowMs);
    // Already demoted or on probation today: one decision per day.
    if (tenant.state !== 'grid' && tenant.countsFromDay > day) return;
    const rule = this.misbehaviourOf(today);
    if (rule === null) return;
    const wasOnGrid = tenant.state === 'grid';
    tenant.state = 'probation';
    tenant.sinceMs = nowMs;
    tenant.countsFromDay = day + 1;
    const decision = wasOnGrid ? 'grid.demote' : 'grid.probation';
    const detail = `${isoDay(day)} so far: ${describeTenantFigures(today)}; off the grid until a full ${this.promotion.windowDays}-day window from ${isoDay(day + 1)} qualifies`;
    this.emit(this.record(tenant, nowMs, decision, `${decision}.${rule}`, detail));
  }

  /** The first demotion rule the figures break (`complaints`, `blocks`, `bounces`), or null. */
  private misbehaviourOf(figures: TenantFigures): string | null {
    const { messagesMin, complaintShareMax, blockShareMax, bounceShareMax } = this.demotion;
    const finals = finalsOf(figures);
    if (finals >= messagesMin && complaintShareOf(figures) > complaintShareMax) return 'complaints';
    if (figures.attempts >= messagesMin && blockShareOf(figures) > blockShareMax) return 'blocks';
    if (finals >= messagesMin && bounceShareOf(figures) > bounceShareMax) return 'bounces';
    return null;
  }

  private windowFigures(tenant: TenantState, lastDay: number): TenantFigures {
    const window = emptyTenantFigures();
    const firstDay = Math.max(lastDay - this.promotion.windowDays + 1, tenant.countsFromDay);
    for (const [day, figures] of tenant.days) if (day >= firstDay && day <= lastDay) addFigures(window, figures);
    return window;
  }

  private record(tenant: TenantState, atMs: EpochMs, decision: string, rule: string, detail: string): PolicyRecord {
    return {
      type: 'Policy',
      atMs,
      decision,
      subject: `tenant ${tenant.tenant}: ${tenant.dedicated.pool} ↔ ${this.grid.pool}`,
      detail,
      rule,
      tenant: tenant.tenant,
    };
  }
}

function gridIssues(options: GridGovernorOptions, promotion: GridPromotion, dedicatedShare: number): string[] {
  const issues: string[] = [];
  if (options.grid.sources.length === 0) issues.push('grid.sources: the grid needs at least one source');
  for (const [tenant, pool] of Object.entries(options.tenants)) {
    if (pool.sources.length === 0)
      issues.push(`tenants.${tenant}.sources: a tenant keeps at least one dedicated source`);
    if (pool.pool === options.grid.pool)
      issues.push(`tenants.${tenant}.pool: must not be the grid pool '${options.grid.pool}'`);
  }
  for (const member of options.initialMembers ?? [])
    if (options.tenants[member] === undefined) issues.push(`initialMembers: unknown tenant '${member}'`);
  if (!(Number.isSafeInteger(promotion.windowDays) && promotion.windowDays >= 1))
    issues.push(`promotion.windowDays: must be a whole number ≥ 1 (got ${promotion.windowDays})`);
  if (!(promotion.messagesMin >= 1)) issues.push(`promotion.messagesMin: must be ≥ 1 (got ${promotion.messagesMin})`);
  if (!(dedicatedShare >= 0 && dedicatedShare <= 1))
    issues.push(`dedicatedShare: must be in [0, 1] (got ${dedicatedShare})`);
  return issues;
}

function dayOf(atMs: EpochMs): number {
  return Math.floor(atMs / DAY_MS);
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
