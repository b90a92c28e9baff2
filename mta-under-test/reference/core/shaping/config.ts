/**
 * Layered shaping configuration: default → provider → domain → source (→ source × provider →
 * source × domain), the layering of KumoMTA's shaping helper (research/engines.md §3.1, §9.1 item 3).
 * Two types, as everywhere in mailbench: `ShapingConfigInput` is what a JSON file holds, with human
 * strings; `ShapingConfig` is the validated form with parsed values. `validateShapingConfig` lists
 * every problem with its path; `loadShapingConfig` throws one error that lists them all.
 */
import type { MatchRule } from './provider-match.ts';
import type { ShapingOverrides, ShapingParamsInput } from './params.ts';
import { readShapingConfig } from './read-config.ts';
import { MailbenchError } from '../../../../kernel/index.ts';

/** One match rule as written in a file: exactly one of the keys. */
export type MatchRuleInput = MatchRule;

export interface ProviderInput extends ShapingParamsInput {
  /** Required for a new provider; for a built-in one, these rules are added to its own. */
  readonly match?: readonly MatchRuleInput[];
  /** For a built-in provider: drop its rules and numbers instead of layering over them. */
  readonly replaceBase?: boolean;
}

export interface SourceInput extends ShapingParamsInput {
  /** This source towards one provider (by provider name). */
  readonly providers?: Readonly<Record<string, ShapingParamsInput>>;
  /** This source towards one domain ('example.com' exactly, '.example.com' its subdomains). */
  readonly domains?: Readonly<Record<string, ShapingParamsInput>>;
}

export interface ShapingConfigInput {
  readonly default?: ShapingParamsInput;
  readonly providers?: Readonly<Record<string, ProviderInput>>;
  /** 'example.com' matches exactly; '.example.com' matches its subdomains. */
  readonly domains?: Readonly<Record<string, ShapingParamsInput>>;
  /** Keyed by egress source or pool name. */
  readonly sources?: Readonly<Record<string, SourceInput>>;
  /** @defaultValue true: the presets of presets.ts are tried after the config's own providers. */
  readonly builtInProviders?: boolean;
}

/** A block of overrides with the name it is shown under. */
export interface NamedOverrides {
  readonly name: string;
  readonly params: ShapingOverrides;
}

export interface ProviderBlock {
  readonly name: string;
  readonly match: readonly MatchRule[];
  /** Built-in numbers first (when extending a preset), then the config's. */
  readonly layers: readonly NamedOverrides[];
}

export interface DomainBlock {
  /** Lower case, no trailing dot; a leading dot marks a suffix block. */
  readonly pattern: string;
  readonly params: ShapingOverrides;
}

export interface SourceBlock {
  readonly params: ShapingOverrides;
  readonly providers: ReadonlyMap<string, ShapingOverrides>;
  readonly domains: readonly DomainBlock[];
}

export interface ShapingConfig {
  readonly defaults: ShapingOverrides;
  /** In match order: the config's own providers, then the built-in ones. The first match applies. */
  readonly providers: readonly ProviderBlock[];
  readonly domains: readonly DomainBlock[];
  readonly sources: ReadonlyMap<string, SourceBlock>;
}

/** One problem, at a path like `sources["ip-1"].providers.gmial`. */
export interface ShapingIssue {
  readonly path: string;
  readonly message: string;
}

/** A shaping file that cannot be used. Carries every problem, not the first. */
export class ShapingConfigError extends MailbenchError {
  readonly issues: readonly ShapingIssue[];

  constructor(issues: readonly ShapingIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
    super(
      'E_SHAPING_CONFIG_INVALID',
      `invalid shaping configuration, ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    );
    this.name = 'ShapingConfigError';
    this.issues = issues;
  }
}

/** Every problem in `input`, each with its path; empty when the input is usable. */
export function validateShapingConfig(input: unknown): readonly ShapingIssue[] {
  return readShapingConfig(input).issues;
}

/** The validated configuration; throws a `ShapingConfigError` listing every problem. */
export function loadShapingConfig(input: unknown): ShapingConfig {
  const { config, issues } = readShapingConfig(input);
  if (issues.length > 0) throw new ShapingConfigError(issues);
  return config;
}
