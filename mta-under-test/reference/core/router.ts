/**
 * Routing: from a delivery's domain to a site (MX rollup, research/engines.md §3.1), from its
 * owner to an egress source (the pool's rotation, or the policy's choice), and onto that
 * source → site path's ready queue, split into transactions the path's shaping allows.
 */
import { assert } from '../../../kernel/index.ts';
import type { EpochMs } from '../../../kernel/index.ts';
import type { VerpConfig } from '../verp.ts';
import type { Delivery } from './delivery.ts';
import type { Egress, EgressSource } from './egress.ts';
import { Path } from './paths.ts';
import type { SendPolicy } from './policy.ts';
import type { MxResolver } from './resolver.ts';
import type { ShapingConfig } from './shaping/config.ts';
import { resolveShaping } from './shaping/resolve.ts';
import { siteName } from './shaping/site.ts';
import type { Suspensions } from './suspensions.ts';

type Route =
  | { readonly kind: 'nxdomain' }
  | {
      readonly kind: 'site';
      readonly site: string;
      readonly mxHosts: readonly string[];
      readonly provider: string | null;
    };

/** Every source → site path the engine has used, made once per pair. */
export class PathTable {
  private readonly paths = new Map<string, Path>();
  /** The key of each path, by source and site: every routed delivery asks for it. */
  private readonly keys = new Map<string, Map<string, string>>();

  constructor(private readonly shaping: ShapingConfig) {}

  all(): IterableIterator<Path> {
    return this.paths.values();
  }

  pathFor(
    source: EgressSource,
    route: { readonly site: string; readonly mxHosts: readonly string[] },
    domain: string,
  ): Path {
    const key = this.keyOf(source.name, route.site);
    let path = this.paths.get(key);
    if (path === undefined) {
      const resolved = resolveShaping(this.shaping, { domain, mxHosts: route.mxHosts, source: source.name });
      path = new Path(source, route.site, route.mxHosts, resolved.provider, resolved.effective);
      this.paths.set(key, path);
    }
    return path;
  }

  private keyOf(source: string, site: string): string {
    let bySite = this.keys.get(source);
    if (bySite === undefined) {
      bySite = new Map();
      this.keys.set(source, bySite);
    }
    let key = bySite.get(site);
    if (key === undefined) {
      key = `${source}->${site}`;
      bySite.set(site, key);
    }
    return key;
  }
}

export interface RouterDeps {
  readonly resolver: MxResolver;
  readonly shaping: ShapingConfig;
  readonly egress: Egress;
  readonly suspensions: Suspensions;
  readonly policy: SendPolicy;
  readonly verp: VerpConfig | undefined;
  readonly paths: PathTable;
  now(): EpochMs;
  /** Back to a scheduled queue until `dueMs` (a warm-up cap is spent). */
  schedule(delivery: Delivery, dueMs: EpochMs): void;
  /** A recipient whose domain does not exist. */
  bounceWithoutAttempt(delivery: Delivery, recipient: string, why: string): void;
  /** The path has work: dispatch it at `atMs`. */
  wakePath(path: Path, atMs: EpochMs): void;
}

export class Router {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly deps: RouterDeps) {}

  /** Picks the site and the source, and puts the delivery on that path's ready queue. */
  route(delivery: Delivery): void {
    const { deps } = this;
    const route = this.routeOf(delivery.domain);
    const nowMs = deps.now();
    if (route.kind === 'nxdomain') {
      for (const recipient of delivery.recipients)
        deps.bounceWithoutAttempt(delivery, recipient, `${delivery.domain} does not exist (NXDOMAIN)`);
      return;
    }
    const free = (source: EgressSource): boolean =>
      deps.suspensions.blockedUntil({ source: source.name, site: route.site, provider: route.provider }, nowMs) <=
      nowMs;
    const pool = deps.egress.poolFor(delivery.owner);
    const members = deps.egress.members(pool);
    const freeMembers = members.filter(free);
    const candidates = freeMembers.length > 0 ? freeMembers : members;
    const choice = deps.policy.chooseSource?.({
      atMs: nowMs,
      pool,
      candidates,
      domain: delivery.domain,
      provider: route.provider,
      owner: delivery.owner,
      recipients: delivery.recipients.length,
    });
    if (choice !== undefined && 'holdUntilMs' in choice) {
      deps.schedule(delivery, choice.holdUntilMs);
      return;
    }
    if (choice !== undefined && 'pool' in choice && !deps.egress.hasPool(choice.pool))
      throw new Error(`the policy chose pool '${choice.pool}', which the egress configuration does not have`);
    const rotation = choice !== undefined && 'pool' in choice ? choice.pool : pool;
    const source =
      choice !== undefined && 'source' in choice
        ? choice.source
        : (deps.egress.pick(rotation, free) ?? deps.egress.pick(rotation));
    assert(source !== undefined, `pool ${rotation} has no source`);
    const path = deps.paths.pathFor(source, route, delivery.domain);
    // VERP names one recipient in MAIL FROM, so each recipient gets its own transaction.
    const batch = deps.verp === undefined ? path.params.maxRecipientsPerMessage : 1;
    for (let start = 0; start < delivery.recipients.length; start += batch) {
      path.ready.push({ ...delivery, recipients: delivery.recipients.slice(start, start + batch) });
    }
    path.sweepAtMs = Math.min(path.sweepAtMs, delivery.expiresAtMs);
    deps.wakePath(path, nowMs);
  }

  private routeOf(domain: string): Route {
    let route = this.routes.get(domain);
    if (route === undefined) {
      const answer = this.deps.resolver.resolveMx(domain);
      if (answer.kind === 'nxdomain') route = { kind: 'nxdomain' };
      else {
        // No MX records: RFC 5321 §5.1, the domain itself is the implicit MX.
        const mxHosts = answer.kind === 'hosts' && answer.hosts.length > 0 ? answer.hosts : [domain];
        route = {
          kind: 'site',
          site: siteName(mxHosts),
          mxHosts,
          provider: resolveShaping(this.deps.shaping, { domain, mxHosts }).provider,
        };
      }
      this.routes.set(domain, route);
    }
    return route;
  }
}
