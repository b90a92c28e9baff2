/**
 * Turns untyped input (a parsed JSON file) into a `ShapingConfig`, collecting every problem with
 * its path. The config is built even when there are problems, from whatever could be read, so that
 * one pass finds them all; `loadShapingConfig` refuses to return it then.
 */
import type { DomainBlock, NamedOverrides, ProviderBlock, ShapingConfig, ShapingIssue, SourceBlock } from './config.ts';
import type { ShapingOverrides } from './params.ts';
import { BUILT_IN_PROVIDERS } from './presets.ts';
import type { ProviderPreset } from './presets.ts';
import { MATCH_RULE_KEYS } from './provider-match.ts';
import type { MatchRule } from './provider-match.ts';
import { childPath, isPlainObject, readParamBlock } from './read-params.ts';

const TOP_LEVEL_KEYS = ['default', 'providers', 'domains', 'sources', 'builtInProviders'];
const DOMAIN_PATTERN = /^\.?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Reads `raw` as a map of named entries; reports a non-object once. */
function entriesOf(raw: unknown, path: string, issues: ShapingIssue[]): [string, unknown][] {
  if (raw === undefined) return [];
  if (!isPlainObject(raw)) {
    issues.push({ path, message: 'must be an object keyed by name' });
    return [];
  }
  return Object.entries(raw);
}

function readMatchRule(raw: unknown, path: string, issues: ShapingIssue[]): MatchRule | undefined {
  if (!isPlainObject(raw)) {
    issues.push({ path, message: `must be an object with one of ${MATCH_RULE_KEYS.join(', ')}` });
    return undefined;
  }
  const keys = Object.keys(raw);
  const unknown = keys.filter((key) => !(MATCH_RULE_KEYS as readonly string[]).includes(key));
  for (const key of unknown)
    issues.push({
      path: childPath(path, key),
      message: `unknown key '${key}' (known keys: ${MATCH_RULE_KEYS.join(', ')})`,
    });
  if (unknown.length > 0) return undefined;
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) {
    issues.push({ path, message: `must have exactly one of ${MATCH_RULE_KEYS.join(', ')} (got ${keys.length})` });
    return undefined;
  }
  const value = raw[key];
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ path: childPath(path, key), message: 'must be a non-empty host name or suffix' });
    return undefined;
  }
  const text = value.trim().toLowerCase();
  return key === 'mxSuffix' ? { mxSuffix: text } : key === 'domainSuffix' ? { domainSuffix: text } : { hostName: text };
}

function readMatchList(raw: unknown, path: string, issues: ShapingIssue[]): MatchRule[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    issues.push({ path, message: 'must be a non-empty list of rules like { "mxSuffix": ".example.net" }' });
    return [];
  }
  return raw.flatMap((rule: unknown, index) => readMatchRule(rule, childPath(path, index), issues) ?? []);
}

/** One `providers.<name>` entry, layered over the built-in block of that name if there is one. */
function readProvider(
  name: string,
  raw: unknown,
  path: string,
  builtIns: boolean,
  issues: ShapingIssue[],
): ProviderBlock {
  const params = readParamBlock(raw, path, { scopes: ['provider'], structuralKeys: ['match', 'replaceBase'] }, issues);
  const entry = isPlainObject(raw) ? raw : {};
  const preset = builtIns ? BUILT_IN_PROVIDERS.find((candidate) => candidate.name === name) : undefined;
  const replaceBase = entry['replaceBase'] ?? false;
  if (typeof replaceBase !== 'boolean')
    issues.push({ path: childPath(path, 'replaceBase'), message: 'must be true or false' });
  else if (replaceBase && preset === undefined)
    issues.push({
      path: childPath(path, 'replaceBase'),
      message: `only applies to a built-in provider (${builtInNames()})`,
    });
  const match = entry['match'] === undefined ? [] : readMatchList(entry['match'], childPath(path, 'match'), issues);
  const own: NamedOverrides = { name, params };
  if (preset === undefined || replaceBase === true) {
    if (entry['match'] === undefined)
      issues.push({
        path: childPath(path, 'match'),
        message: `required for a provider that is not built in (built-in: ${builtInNames()})`,
      });
    return { name, match, layers: [own] };
  }
  return {
    name,
    match: [...preset.match, ...match],
    layers: [{ name: `${name} (built-in)`, params: preset.params }, own],
  };
}

function builtInNames(): string {
  return BUILT_IN_PROVIDERS.map((preset) => preset.name).join(', ');
}

function presetBlock(preset: ProviderPreset): ProviderBlock {
  return {
    name: preset.name,
    match: preset.match,
    layers: [{ name: `${preset.name} (built-in)`, params: preset.params }],
  };
}

/**
 * Match order: the config's new providers first, in file order (they win over a preset that also
 * matches), then the presets in their own order, each extended or replaced by the config's block
 * of the same name.
 */
function readProviders(raw: unknown, builtIns: boolean, issues: ShapingIssue[]): ProviderBlock[] {
  const own = entriesOf(raw, 'providers', issues).map(([name, entry]) =>
    readProvider(name, entry, childPath('providers', name), builtIns, issues),
  );
  const presets = builtIns ? BUILT_IN_PROVIDERS : [];
  const fresh = own.filter((block) => !presets.some((preset) => preset.name === block.name));
  const builtIn = presets.map((preset) => own.find((block) => block.name === preset.name) ?? presetBlock(preset));
  return [...fresh, ...builtIn];
}

function readDomains(raw: unknown, path: string, issues: ShapingIssue[]): DomainBlock[] {
  const seen = new Map<string, string>();
  return entriesOf(raw, path, issues).flatMap(([key, entry]) => {
    const keyPath = childPath(path, key);
    const pattern = key.trim().toLowerCase().replace(/\.$/, '');
    const params = readParamBlock(entry, keyPath, { scopes: [], structuralKeys: [] }, issues);
    if (!DOMAIN_PATTERN.test(pattern)) {
      issues.push({
        path: keyPath,
        message: `'${key}' is not a domain ('example.com' exactly, '.example.com' for its subdomains)`,
      });
      return [];
    }
    const earlier = seen.get(pattern);
    if (earlier !== undefined) issues.push({ path: keyPath, message: `'${key}' is the same domain as '${earlier}'` });
    seen.set(pattern, key);
    return [{ pattern, params }];
  });
}

function readSource(
  raw: unknown,
  path: string,
  providerNames: ReadonlySet<string>,
  issues: ShapingIssue[],
): SourceBlock {
  const params = readParamBlock(raw, path, { scopes: ['source'], structuralKeys: ['providers', 'domains'] }, issues);
  const entry = isPlainObject(raw) ? raw : {};
  const providers = new Map<string, ShapingOverrides>();
  const providersPath = childPath(path, 'providers');
  for (const [name, block] of entriesOf(entry['providers'], providersPath, issues)) {
    const blockPath = childPath(providersPath, name);
    const overrides = readParamBlock(block, blockPath, { scopes: ['provider'], structuralKeys: [] }, issues);
    if (providerNames.has(name)) providers.set(name, overrides);
    else
      issues.push({
        path: blockPath,
        message: `unknown provider '${name}' (known: ${[...providerNames].join(', ') || 'none'})`,
      });
  }
  return { params, providers, domains: readDomains(entry['domains'], childPath(path, 'domains'), issues) };
}

/** Reads the whole input; never throws. */
export function readShapingConfig(input: unknown): { config: ShapingConfig; issues: ShapingIssue[] } {
  const issues: ShapingIssue[] = [];
  const root = isPlainObject(input) ? input : {};
  if (!isPlainObject(input)) issues.push({ path: '', message: 'a shaping configuration must be an object' });
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL_KEYS.includes(key))
      issues.push({
        path: childPath('', key),
        message: `unknown key '${key}' (known keys: ${TOP_LEVEL_KEYS.join(', ')})`,
      });
  }
  const builtIns = root['builtInProviders'] ?? true;
  if (typeof builtIns !== 'boolean') issues.push({ path: 'builtInProviders', message: 'must be true or false' });
  const defaults =
    root['default'] === undefined
      ? {}
      : readParamBlock(root['default'], 'default', { scopes: ['source'], structuralKeys: [] }, issues);
  const providers = readProviders(root['providers'], builtIns !== false, issues);
  const providerNames = new Set(providers.map((block) => block.name));
  const domains = readDomains(root['domains'], 'domains', issues);
  const sources = new Map<string, SourceBlock>();
  for (const [name, entry] of entriesOf(root['sources'], 'sources', issues)) {
    sources.set(name, readSource(entry, childPath('sources', name), providerNames, issues));
  }
  return { config: { defaults, providers, domains, sources }, issues };
}
