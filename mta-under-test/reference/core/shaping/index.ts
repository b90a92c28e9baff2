/** Shaping for the reference engine: rates, GCRA, layered configuration, provider presets, sites. */
export { Gcra } from './gcra.ts';
export type { GcraDecision, GcraOptions } from './gcra.ts';
export { formatDuration, parseDuration, readDuration } from '../../../../kernel/index.ts';
export type { Read } from './read.ts';
export { formatRate, parseRate, readRate } from './rate.ts';
export type { Rate } from './rate.ts';
export { DEFAULT_SHAPING_PARAMS, PARAM_NAMES, PARAM_SPECS, TLS_MODES } from './params.ts';
export type { ShapingOverrides, ShapingParamName, ShapingParams, ShapingParamsInput, TlsMode } from './params.ts';
export { ShapingConfigError, loadShapingConfig, validateShapingConfig } from './config.ts';
export type { ShapingConfig, ShapingConfigInput, ShapingIssue } from './config.ts';
export { BUILT_IN_PROVIDERS } from './presets.ts';
export type { ProviderPreset } from './presets.ts';
export { providerMatches } from './provider-match.ts';
export type { MatchRule } from './provider-match.ts';
export { resolveShaping } from './resolve.ts';
export type { AppliedLayer, LayerKind, ResolvedShaping, ShapingQuery } from './resolve.ts';
export { renderResolvedShaping } from './render.ts';
export { siteName } from './site.ts';
