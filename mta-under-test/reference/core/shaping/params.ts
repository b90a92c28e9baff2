/**
 * The shaping parameters of one egress path (source → site), named after KumoMTA's egress-path
 * options in camelCase with the unit last, and their defaults. The defaults are KumoMTA's shipped
 * `["default"]` block of `assets/policy-extras/shaping.toml`, which its shaping helper loads first
 * (research/engines.md §3.2); where that block is silent the built-in default of
 * `crates/kumo-api-types/src/egress_path.rs` applies (same table).
 */
import { SECOND_MS } from '../../../../kernel/index.ts';
import type { Milliseconds } from '../../../../kernel/index.ts';
import { parseRate } from './rate.ts';
import type { Rate } from './rate.ts';

/** KumoMTA's `enable_tls`, without its lab-only `*Insecure` variants. */
export type TlsMode = 'opportunistic' | 'required' | 'disabled';
export const TLS_MODES: readonly TlsMode[] = ['opportunistic', 'required', 'disabled'];

/** Every parameter resolved; `null` means "no limit". */
export interface ShapingParams {
  /** Concurrent connections per source → site (KumoMTA `connection_limit`). */
  readonly connectionLimit: number;
  /** Messages on one connection before the engine closes it and reconnects. */
  readonly maxDeliveriesPerConnection: number;
  /** Messages per source → site (GCRA). */
  readonly maxMessageRate: Rate | null;
  /** New connections per source → site (GCRA). */
  readonly maxConnectionRate: Rate | null;
  /** How long an idle connection is kept for reuse. */
  readonly idleTimeoutMs: Milliseconds;
  /** How long to wait for the TCP connection and the 220 greeting. */
  readonly connectTimeoutMs: Milliseconds;
  readonly enableTls: TlsMode;
  /** RCPT commands per transaction (KumoMTA `max_recipients_per_batch`). */
  readonly maxRecipientsPerMessage: number;
  /** Connection failures in a row before the whole ready queue is delayed. */
  readonly consecutiveConnectionFailuresBeforeDelay: number;
  /** Connections from one source to all sites of the matched provider together. */
  readonly providerConnectionLimit: number | null;
  /** Messages from one source to all sites of the matched provider together (GCRA). */
  readonly providerMaxMessageRate: Rate | null;
  /** Connections from one source to every site together (a per-IP cap). */
  readonly sourceConnectionLimit: number | null;
  /** Messages from one source to every site together (GCRA; a warm-up cap). */
  readonly sourceMaxMessageRate: Rate | null;
}

export type ShapingParamName = keyof ShapingParams;

/** What one layer sets: any subset of the parameters. */
export type ShapingOverrides = { readonly [K in ShapingParamName]?: ShapingParams[K] };

/**
 * How a parameter is written in a shaping file. Names stay the same as the resolved ones, so a
 * validation message and the resolved table use one vocabulary; `…Ms` fields take '30s' or a number
 * of milliseconds, rates take '100/min', `null` lifts an inherited limit, and TLS modes may be
 * written KumoMTA's way ('Required').
 */
export type ShapingParamsInput = {
  readonly [K in ShapingParamName]?: K extends `${string}Ms`
    ? string | number
    : ShapingParams[K] extends Rate | null
      ? string | null
      : ShapingParams[K] extends TlsMode
        ? TlsMode | Capitalize<TlsMode>
        : ShapingParams[K];
};

/**
 * Where a parameter may be set. `path` parameters may be set in any layer; aggregate limits only
 * where their key is unambiguous: provider-wide ones in a provider block (or its per-source
 * refinement), source-wide ones in the default block or a source block.
 */
export type ParamScope = 'path' | 'provider' | 'source';

/** The value's shape, tied to the parameter's type at compile time. */
type KindOf<V> = [V] extends [TlsMode]
  ? 'tls'
  : [V] extends [Rate | null]
    ? 'rate'
    : [V] extends [number]
      ? 'count' | 'duration'
      : 'limit';

export interface ParamSpec<K extends ShapingParamName> {
  readonly kind: KindOf<ShapingParams[K]>;
  readonly scope: ParamScope;
  /** The smallest accepted number (counts, limits, durations). */
  readonly min: number;
}

export const PARAM_SPECS: { readonly [K in ShapingParamName]: ParamSpec<K> } = {
  connectionLimit: { kind: 'count', scope: 'path', min: 1 },
  maxDeliveriesPerConnection: { kind: 'count', scope: 'path', min: 1 },
  maxMessageRate: { kind: 'rate', scope: 'path', min: 1 },
  maxConnectionRate: { kind: 'rate', scope: 'path', min: 1 },
  idleTimeoutMs: { kind: 'duration', scope: 'path', min: 0 },
  connectTimeoutMs: { kind: 'duration', scope: 'path', min: 1 },
  enableTls: { kind: 'tls', scope: 'path', min: 0 },
  maxRecipientsPerMessage: { kind: 'count', scope: 'path', min: 1 },
  consecutiveConnectionFailuresBeforeDelay: { kind: 'count', scope: 'path', min: 1 },
  providerConnectionLimit: { kind: 'limit', scope: 'provider', min: 1 },
  providerMaxMessageRate: { kind: 'rate', scope: 'provider', min: 1 },
  sourceConnectionLimit: { kind: 'limit', scope: 'source', min: 1 },
  sourceMaxMessageRate: { kind: 'rate', scope: 'source', min: 1 },
};

/** The parameter names in a stable, readable order (the order of `PARAM_SPECS`). */
export const PARAM_NAMES = Object.keys(PARAM_SPECS) as readonly ShapingParamName[];

/**
 * The bottom layer. Sources: research/engines.md §3.2 (KumoMTA's shipped `["default"]` block,
 * `assets/policy-extras/shaping.toml`, and the built-ins of `egress_path.rs`).
 */
export const DEFAULT_SHAPING_PARAMS: ShapingParams = {
  // Shipped default block: 10 (built-in 32).
  connectionLimit: 10,
  // Shipped default block: 100 (built-in 1024).
  maxDeliveriesPerConnection: 100,
  // Shipped default block: "100/s" (built-in: none).
  maxMessageRate: parseRate('100/s'),
  // Shipped default block: "100/min" (built-in: none).
  maxConnectionRate: parseRate('100/min'),
  // Shipped and built-in: 60 s.
  idleTimeoutMs: 60 * SECOND_MS,
  // @assumption: KumoMTA has a `connect_timeout` egress-path option, but research/engines.md
  // does not record its default; 60 s matches the idle timeout and leaves room for slow greetings.
  connectTimeoutMs: 60 * SECOND_MS,
  // Shipped and built-in: Opportunistic.
  enableTls: 'opportunistic',
  // Built-in `max_recipients_per_batch` 100 (the shipped block is silent).
  maxRecipientsPerMessage: 100,
  // Shipped and built-in: 100.
  consecutiveConnectionFailuresBeforeDelay: 100,
  // KumoMTA sets aggregate limits only in provider blocks or by name; none by default.
  providerConnectionLimit: null,
  providerMaxMessageRate: null,
  sourceConnectionLimit: null,
  sourceMaxMessageRate: null,
};
