/**
 * Egress: where mail leaves from. A *source* is one virtual MTA (PowerMTA's term; KumoMTA's
 * egress source): a loopback address the engine binds and the EHLO name it gives there. A
 * *pool* is a weighted set of sources (KumoMTA egress pools, PowerMTA virtual-mta-pools,
 * research/engines.md §3.1, §4.1). Tenants (customers) name the pool they send from: a
 * dedicated pool of their own, or the shared high-quality pool, the "grid".
 *
 * Selection inside a pool is smooth weighted round robin (nginx's upstream algorithm): with
 * weights 3:1 the picks run a a b a …, evenly interleaved and the same for the same inputs,
 * where KumoMTA's "probabilistic" weighted choice would need a draw per message.
 */
import { isLoopbackIpv4 } from '../../../kernel/index.ts';

export interface EgressSource {
  readonly name: string;
  /** The loopback address bound as the connection's source (the sending IP). */
  readonly sourceIp: string;
  readonly heloName: string;
}

export interface PoolMember {
  readonly source: string;
  /** Relative share of the pool's traffic. @defaultValue 1 */
  readonly weight?: number;
}

export interface EgressPool {
  readonly name: string;
  readonly members: readonly PoolMember[];
}

export interface TenantEgress {
  /** The pool the tenant sends from unless a message names one. */
  readonly pool: string;
}

export interface EgressConfig {
  readonly sources: readonly EgressSource[];
  readonly pools: readonly EgressPool[];
  /** The pool of messages that name none and whose tenant has none. */
  readonly defaultPool: string;
  /** Per tenant: its pool (a dedicated pool, or the grid). */
  readonly tenants?: Readonly<Record<string, TenantEgress>>;
}

/** One problem in an egress configuration, with its path. */
export interface EgressIssue {
  readonly path: string;
  readonly message: string;
}

/** Every problem of a configuration; empty when it is usable. */
export function validateEgress(config: EgressConfig): EgressIssue[] {
  const issues: EgressIssue[] = [];
  const names = new Set<string>();
  config.sources.forEach((source, index) => {
    const path = `sources[${index}]`;
    if (!/^[A-Za-z0-9][\w.-]*$/.test(source.name))
      issues.push({
        path: `${path}.name`,
        message: `must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(source.name)})`,
      });
    if (names.has(source.name)) issues.push({ path: `${path}.name`, message: `'${source.name}' is named twice` });
    names.add(source.name);
    if (!isLoopbackIpv4(source.sourceIp))
      issues.push({
        path: `${path}.sourceIp`,
        message: `must be a 127.0.0.0/8 address: the bench sends from loopback only (got ${source.sourceIp})`,
      });
    if (!/^[a-z0-9.-]+$/i.test(source.heloName))
      issues.push({
        path: `${path}.heloName`,
        message: `must be a host name (got ${JSON.stringify(source.heloName)})`,
      });
  });
  const poolNames = new Set<string>();
  config.pools.forEach((pool, index) => {
    const path = `pools[${index}]`;
    if (poolNames.has(pool.name)) issues.push({ path: `${path}.name`, message: `'${pool.name}' is named twice` });
    poolNames.add(pool.name);
    if (pool.members.length === 0)
      issues.push({ path: `${path}.members`, message: 'a pool needs at least one source' });
    pool.members.forEach((member, memberIndex) => {
      if (!names.has(member.source))
        issues.push({
          path: `${path}.members[${memberIndex}].source`,
          message: `unknown source '${member.source}' (known: ${[...names].join(', ')})`,
        });
      const weight = member.weight ?? 1;
      if (!(Number.isFinite(weight) && weight > 0))
        issues.push({
          path: `${path}.members[${memberIndex}].weight`,
          message: `must be a number > 0 (got ${weight})`,
        });
    });
  });
  if (!poolNames.has(config.defaultPool))
    issues.push({
      path: 'defaultPool',
      message: `unknown pool '${config.defaultPool}' (known: ${[...poolNames].join(', ')})`,
    });
  for (const [tenant, egress] of Object.entries(config.tenants ?? {})) {
    if (!poolNames.has(egress.pool))
      issues.push({
        path: `tenants.${tenant}.pool`,
        message: `unknown pool '${egress.pool}' (known: ${[...poolNames].join(', ')})`,
      });
  }
  return issues;
}

/** A pool's smooth weighted round robin: state is one running score per member. */
class PoolRotation {
  private readonly scores: number[];
  private readonly total: number;

  constructor(private readonly members: readonly { readonly source: EgressSource; readonly weight: number }[]) {
    this.scores = members.map(() => 0);
    this.total = members.reduce((sum, member) => sum + member.weight, 0);
  }

  /** The next source, skipping those `eligible` refuses; undefined when none is eligible. */
  next(eligible: (source: EgressSource) => boolean): EgressSource | undefined {
    let best = -1;
    for (let index = 0; index < this.members.length; index++) {
      const member = this.members[index] as { source: EgressSource; weight: number };
      if (!eligible(member.source)) continue;
      this.scores[index] = (this.scores[index] as number) + member.weight;
      if (best < 0 || (this.scores[index] as number) > (this.scores[best] as number)) best = index;
    }
    if (best < 0) return undefined;
    this.scores[best] = (this.scores[best] as number) - this.total;
    return this.members[best]?.source;
  }
}

/** The sources and pools, validated, with a rotation per pool. */
export class Egress {
  private readonly sourcesByName: ReadonlyMap<string, EgressSource>;
  private readonly rotations = new Map<string, PoolRotation>();
  private readonly poolsByName: ReadonlyMap<string, EgressPool>;

  constructor(private readonly config: EgressConfig) {
    const issues = validateEgress(config);
    if (issues.length > 0)
      throw new RangeError(
        `invalid egress configuration:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
      );
    this.sourcesByName = new Map(config.sources.map((source) => [source.name, source]));
    this.poolsByName = new Map(config.pools.map((pool) => [pool.name, pool]));
    for (const pool of config.pools) {
      this.rotations.set(
        pool.name,
        new PoolRotation(
          pool.members.map((member) => ({ source: this.source(member.source), weight: member.weight ?? 1 })),
        ),
      );
    }
  }

  get sources(): readonly EgressSource[] {
    return this.config.sources;
  }

  get poolNames(): readonly string[] {
    return this.config.pools.map((pool) => pool.name);
  }

  hasPool(name: string): boolean {
    return this.poolsByName.has(name);
  }

  source(name: string): EgressSource {
    const source = this.sourcesByName.get(name);
    if (source === undefined) throw new RangeError(`no egress source named ${name}`);
    return source;
  }

  /** The sources of a pool, in configuration order. */
  members(pool: string): readonly EgressSource[] {
    return (this.poolsByName.get(pool)?.members ?? []).map((member) => this.source(member.source));
  }

  /** The pool a message goes out of: its own, its tenant's, or the default. */
  poolFor(owner: { readonly pool?: string; readonly tenant?: string }): string {
    if (owner.pool !== undefined && this.poolsByName.has(owner.pool)) return owner.pool;
    const tenantPool = owner.tenant === undefined ? undefined : this.config.tenants?.[owner.tenant]?.pool;
    return tenantPool ?? this.config.defaultPool;
  }

  /** The next eligible source of `pool` in its rotation. */
  pick(pool: string, eligible: (source: EgressSource) => boolean = () => true): EgressSource | undefined {
    return this.rotations.get(pool)?.next(eligible);
  }
}

/** One source in one pool: the egress of a single-IP sender. */
export function singleSourceEgress(source: EgressSource, pool = 'default'): EgressConfig {
  return { sources: [source], pools: [{ name: pool, members: [{ source: source.name }] }], defaultPool: pool };
}
