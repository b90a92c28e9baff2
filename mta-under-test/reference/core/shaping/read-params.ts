/**
 * Reads one block of shaping parameters from untyped input, collecting a problem for each bad
 * key or value instead of stopping at the first (KumoMTA `deny_unknown_fields`, k6 `Validate()
 * []error`).
 */
import type { ShapingIssue } from './config.ts';
import { readDuration } from '../../../../kernel/index.ts';
import type { Read } from './read.ts';
import { PARAM_NAMES, PARAM_SPECS, TLS_MODES } from './params.ts';
import type { ParamScope, ShapingOverrides, ShapingParamName } from './params.ts';
import { readRate } from './rate.ts';

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `base.key`, or `base["key"]` when the key is not an identifier (domains, 'ip-1'). */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

function readWholeNumber(value: unknown, min: number): Read<number> {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    return { ok: false, message: `must be a whole number ≥ ${min} (got ${describe(value)})` };
  }
  return { ok: true, value };
}

function readDurationValue(value: unknown, min: number): Read<number> {
  if (typeof value === 'number') return readWholeNumber(value, min);
  if (typeof value !== 'string')
    return { ok: false, message: `must be a duration like '30s' or a number of milliseconds (got ${describe(value)})` };
  const read = readDuration(value);
  if (read.ok && read.value < min) return { ok: false, message: `must be at least ${min} ms (got ${describe(value)})` };
  return read;
}

/** Reads one parameter's value according to its spec. */
export function readParamValue(name: ShapingParamName, value: unknown): Read<ShapingOverrides[ShapingParamName]> {
  const spec = PARAM_SPECS[name];
  switch (spec.kind) {
    case 'count':
      return readWholeNumber(value, spec.min);
    case 'limit':
      return value === null ? { ok: true, value: null } : readWholeNumber(value, spec.min);
    case 'duration':
      return readDurationValue(value, spec.min);
    case 'rate':
      if (value === null) return { ok: true, value: null };
      if (typeof value !== 'string')
        return { ok: false, message: `must be a rate like '100/min', or null for no limit (got ${describe(value)})` };
      return readRate(value);
    case 'tls': {
      const mode = TLS_MODES.find((candidate) => typeof value === 'string' && candidate === value.toLowerCase());
      if (mode === undefined)
        return { ok: false, message: `must be one of ${TLS_MODES.join(', ')} (got ${describe(value)})` };
      return { ok: true, value: mode };
    }
  }
}

const SCOPE_HOMES: Readonly<Record<ParamScope, string>> = {
  path: 'any block',
  provider: 'a provider block (providers.<name> or sources.<name>.providers.<name>)',
  source: 'the default block or a source block (sources.<name>)',
};

export interface ParamBlockRules {
  /** Which aggregate limits may be set here (path parameters always may). */
  readonly scopes: readonly ParamScope[];
  /** Structural keys this block also accepts (`match`, `providers` …), read by the caller. */
  readonly structuralKeys: readonly string[];
}

/** Reads the parameters of one block; reports unknown keys with the list of known ones. */
export function readParamBlock(
  raw: unknown,
  path: string,
  rules: ParamBlockRules,
  issues: ShapingIssue[],
): ShapingOverrides {
  if (!isPlainObject(raw)) {
    issues.push({ path, message: `must be an object (got ${describe(raw)})` });
    return {};
  }
  const params: Partial<Record<ShapingParamName, unknown>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (rules.structuralKeys.includes(key)) continue;
    const keyPath = childPath(path, key);
    const name = PARAM_NAMES.find((candidate) => candidate === key);
    if (name === undefined) {
      issues.push({
        path: keyPath,
        message: `unknown key '${key}' (known keys: ${[...rules.structuralKeys, ...PARAM_NAMES].join(', ')})`,
      });
      continue;
    }
    const scope = PARAM_SPECS[name].scope;
    if (scope !== 'path' && !rules.scopes.includes(scope)) {
      issues.push({ path: keyPath, message: `${name} is an aggregate limit that belongs in ${SCOPE_HOMES[scope]}` });
      continue;
    }
    const read = readParamValue(name, value);
    if (read.ok) params[name] = read.value;
    else issues.push({ path: keyPath, message: read.message });
  }
  // Each value was read by its own parameter's reader, so the record matches ShapingOverrides.
  return params as ShapingOverrides;
}
