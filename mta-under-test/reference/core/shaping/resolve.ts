/**
 * The effective shaping of one egress path, and where each number came from. Layers apply from
 * the least to the most specific, later ones winning: built-in defaults, the config's default
 * block, the matched provider (preset, then the config's block), the domain blocks (suffix blocks
 * from the shortest suffix, then the exact one), then the source, source × provider and
 * source × domain blocks. This is what `mailbench engine resolve <domain>` prints, after KumoMTA's
 * `resolve-shaping-domain` (research/engines.md §9.1 item 3).
 */
import type { DomainBlock, ShapingConfig } from './config.ts';
import { DEFAULT_SHAPING_PARAMS, PARAM_NAMES } from './params.ts';
import type { ShapingOverrides, ShapingParamName, ShapingParams } from './params.ts';
import { hasSuffix, providerMatches } from './provider-match.ts';
import { normalizeHostName, siteName } from './site.ts';

export interface ShapingQuery {
  readonly domain: string;
  /** The destination's MX hosts; empty means the implicit MX (the domain itself). */
  readonly mxHosts: readonly string[];
  /** The egress source or pool name; without it no source layer applies. */
  readonly source?: string;
}

export type LayerKind = 'default' | 'provider' | 'domain' | 'source' | 'source-provider' | 'source-domain';

export interface AppliedLayer {
  readonly layer: LayerKind;
  readonly name: string;
  readonly set: ShapingOverrides;
}

export interface LayerRef {
  readonly layer: LayerKind;
  readonly name: string;
}

export interface ResolvedShaping {
  readonly domain: string;
  /** The MX rollup key: destinations with the same MX hosts share it. */
  readonly site: string;
  /** The matched provider block, the key of the provider-wide limits; null when none matched. */
  readonly provider: string | null;
  readonly source: string | null;
  readonly effective: ShapingParams;
  /** The layers that set something, in the order they were applied. */
  readonly layers: readonly AppliedLayer[];
  /** For every parameter, the last layer that set it. */
  readonly setBy: { readonly [K in ShapingParamName]: LayerRef };
}

/** Domain blocks that apply, least specific first: suffix blocks by length, then the exact one. */
function matchingDomains(blocks: readonly DomainBlock[], domain: string): DomainBlock[] {
  const suffixes = blocks.filter((block) => block.pattern.startsWith('.') && hasSuffix(domain, block.pattern));
  const exact = blocks.filter((block) => block.pattern === domain);
  return [...suffixes.sort((a, b) => a.pattern.length - b.pattern.length), ...exact];
}

/** The layers for a query, in application order, before empty ones are dropped. */
function collectLayers(
  config: ShapingConfig,
  domain: string,
  mxHosts: readonly string[],
  source: string | null,
): { layers: AppliedLayer[]; provider: string | null } {
  const layers: AppliedLayer[] = [
    { layer: 'default', name: 'built-in', set: DEFAULT_SHAPING_PARAMS },
    { layer: 'default', name: 'config', set: config.defaults },
  ];
  const provider = config.providers.find((block) => providerMatches(block.match, { domain, mxHosts }));
  for (const named of provider?.layers ?? []) layers.push({ layer: 'provider', name: named.name, set: named.params });
  for (const block of matchingDomains(config.domains, domain))
    layers.push({ layer: 'domain', name: block.pattern, set: block.params });
  const sourceBlock = source === null ? undefined : config.sources.get(source);
  if (source !== null && sourceBlock !== undefined) {
    layers.push({ layer: 'source', name: source, set: sourceBlock.params });
    const towardsProvider = provider === undefined ? undefined : sourceBlock.providers.get(provider.name);
    if (provider !== undefined && towardsProvider !== undefined)
      layers.push({ layer: 'source-provider', name: `${source} × ${provider.name}`, set: towardsProvider });
    for (const block of matchingDomains(sourceBlock.domains, domain))
      layers.push({ layer: 'source-domain', name: `${source} × ${block.pattern}`, set: block.params });
  }
  return { layers, provider: provider?.name ?? null };
}

/** The effective parameters for one destination and source, with the layer that set each. */
export function resolveShaping(config: ShapingConfig, query: ShapingQuery): ResolvedShaping {
  const domain = normalizeHostName(query.domain);
  const mxHosts = query.mxHosts.length > 0 ? query.mxHosts : [domain];
  const source = query.source ?? null;
  const { layers, provider } = collectLayers(config, domain, mxHosts, source);
  const applied = layers.filter((layer) => Object.keys(layer.set).length > 0);
  const effective: Record<string, unknown> = {};
  const setBy: Record<string, LayerRef> = {};
  for (const layer of applied) {
    for (const name of PARAM_NAMES) {
      if (!(name in layer.set)) continue;
      effective[name] = layer.set[name];
      setBy[name] = { layer: layer.layer, name: layer.name };
    }
  }
  // The built-in layer sets every parameter, so both records are complete.
  return {
    domain,
    site: siteName(mxHosts),
    provider,
    source,
    effective: effective as unknown as ShapingParams,
    layers: applied,
    setBy: setBy as ResolvedShaping['setBy'],
  };
}
