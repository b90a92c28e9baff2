/**
 * Which provider block applies to a destination, KumoMTA's way (`[provider."name"] match = [...]`,
 * research/engines.md §3.1; `crates/kumo-api-types/src/shaping.rs`, `ProviderEntry::domain_matches`):
 * a `domainSuffix` rule matching the domain is enough; otherwise *every* MX host must match one of
 * the `mxSuffix` / `hostName` rules, so a vanity domain that mixes providers is not lumped into one.
 */
import { normalizeHostName } from './site.ts';

export type MatchRule =
  { readonly mxSuffix: string } | { readonly domainSuffix: string } | { readonly hostName: string };

export const MATCH_RULE_KEYS = ['mxSuffix', 'domainSuffix', 'hostName'] as const;

/**
 * A name ends with a suffix on a label boundary. '.google.com' matches 'alt1.gmail-smtp-in.l.google.com'
 * but not 'google.com' (as in KumoMTA); 'google.com' matches 'google.com' and 'x.google.com' but,
 * unlike KumoMTA's plain `ends_with`, not 'notgoogle.com'.
 */
export function hasSuffix(name: string, suffix: string): boolean {
  const wanted = normalizeHostName(suffix);
  const candidate = normalizeHostName(name);
  if (wanted.startsWith('.')) return candidate.endsWith(wanted);
  return candidate === wanted || candidate.endsWith(`.${wanted}`);
}

function hostMatchesOne(host: string, rules: readonly MatchRule[]): boolean {
  return rules.some((rule) =>
    'mxSuffix' in rule
      ? hasSuffix(host, rule.mxSuffix)
      : 'hostName' in rule
        ? normalizeHostName(host) === normalizeHostName(rule.hostName)
        : false,
  );
}

/** True when the rules claim this destination. An empty MX list matches no MX rule. */
export function providerMatches(
  rules: readonly MatchRule[],
  destination: { readonly domain: string; readonly mxHosts: readonly string[] },
): boolean {
  if (rules.some((rule) => 'domainSuffix' in rule && hasSuffix(destination.domain, rule.domainSuffix))) return true;
  const hasMxRules = rules.some((rule) => !('domainSuffix' in rule));
  if (!hasMxRules || destination.mxHosts.length === 0) return false;
  return destination.mxHosts.every((host) => hostMatchesOne(host, rules));
}
