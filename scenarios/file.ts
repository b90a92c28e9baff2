/**
 * Scenarios written as JSON or YAML files, for users who do not write TypeScript: read, checked
 * against the shape of `ScenarioInput` (every unknown key is refused, with its path and the keys
 * that are known there), human durations ('2d', '90 min') turned into milliseconds once, then
 * resolved and validated like a built-in scenario. Every problem comes back in one
 * ScenarioError, so a user fixes a file in one pass.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readDuration } from '../kernel/index.ts';
import { ScenarioError, resolveScenario } from './scenario.ts';
import type { ResolveOptions, ResolvedScenario, ScenarioInput, ScenarioIssue } from './scenario.ts';

/**
 * What a value at a path must be. A leaf names its type (`'string'`, `'number'`, `'boolean'`,
 * `'strings'` for a list of strings, `'duration'` for a number of milliseconds or a human
 * duration, `'any'` for blocks checked where they are resolved); an object lists its keys, a map
 * (`{ map }`) takes any key, a list (`{ list }`) holds items of one shape.
 */
type Leaf = 'string' | 'number' | 'boolean' | 'strings' | 'duration' | 'any';
type Shape =
  Leaf | { readonly keys: Readonly<Record<string, Shape>> } | { readonly map: Shape } | { readonly list: Shape };

const SOURCE: Shape = { keys: { name: 'string', sourceIp: 'string', heloName: 'string' } };
const POOL_MEMBER: Shape = 'any';

/** ScenarioInput's shape. Free-form blocks (the shaping file, faults, the timeline) are checked where they are resolved. */
const SCENARIO_SHAPE: Shape = {
  keys: {
    name: 'string',
    story: 'string',
    population: {
      keys: {
        recipients: 'number',
        domains: 'strings',
        unknownShare: 'number',
        corporate: {
          keys: { share: 'number', tenants: 'number', familyShares: { map: 'number' }, annualTurnover: 'number' },
        },
        traps: { keys: { pristine: 'number', recycled: 'number', typo: 'number' } },
        engagement: { keys: { engaged: 'number', passive: 'number', dormant: 'number' } },
      },
    },
    sender: {
      keys: {
        sourceIp: 'string',
        heloName: 'string',
        mailFrom: 'string',
        sources: { list: SOURCE },
        pools: { map: { list: POOL_MEMBER } },
        defaultPool: 'string',
        tenants: { map: { keys: { pool: 'string' } } },
        shaping: 'any',
        history: { keys: { cleanPerDay: 'number', engagedShare: 'number' } },
        warmup: { keys: { plan: 'string', sources: 'strings', startStage: 'number', overflow: 'strings' } },
        grid: { keys: { pool: 'string', tenants: { map: 'string' }, initialMembers: 'strings' } },
        auditList: 'boolean',
        auth: {
          keys: {
            dkim: 'string',
            spf: 'string',
            dmarc: 'string',
            dkimBreaks: { keys: { at: 'duration', to: 'string' } },
          },
        },
      },
    },
    receivers: { keys: { limitsOff: 'boolean', faults: { map: 'number' } } },
    limits: {
      keys: {
        simulatedDurationMaxMs: 'duration',
        realSecondsPerSimulatedHour: 'number',
        realDurationMaxMs: 'duration',
      },
    },
    // Each event's keys depend on its kind: scenarios/timeline.ts checks them, with the same messages.
    timeline: { list: 'any' },
    expect: { list: 'any' },
    scale: 'number',
  },
};

/** A scenario describes a population by shares, not by listing it: a bigger file is a mistake, and reading it would cost the heap. */
export const SCENARIO_FILE_BYTES_MAX = 1024 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** What a value is, for messages: `a string ("gmail.com")`, `a list`, `an object`. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value === 'string' ? 'a string' : `a ${typeof value}`} (${shown.length > 40 ? `${shown.slice(0, 37)}…` : shown})`;
}

const LEAF_CHECKS: Readonly<
  Record<Exclude<Leaf, 'any'>, { readonly ok: (value: unknown) => boolean; readonly expected: string }>
> = {
  string: { ok: (value) => typeof value === 'string', expected: 'a string' },
  number: { ok: (value) => typeof value === 'number' && Number.isFinite(value), expected: 'a number' },
  boolean: { ok: (value) => typeof value === 'boolean', expected: 'true or false' },
  strings: {
    ok: (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
    expected: 'a list of strings (e.g. [gmail.com, yahoo.com])',
  },
  duration: {
    ok: (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)),
    expected: "a duration ('2d', '90 min') or a number of milliseconds",
  },
};

/**
 * Every problem of shape and type, each with its path: unknown keys (with the keys known
 * there), a value of the wrong type (a string where a list belongs). Returns the value with each
 * wrong part left out, so resolution can still find the problems elsewhere.
 */
function checkShape(value: unknown, shape: Shape, path: string, issues: ScenarioIssue[]): unknown {
  if (typeof shape === 'string') {
    if (shape === 'any' || LEAF_CHECKS[shape].ok(value)) return value;
    issues.push({ path, message: `must be ${LEAF_CHECKS[shape].expected}, not ${describe(value)}` });
    return undefined;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `must be a list, not ${describe(value)}` });
      return undefined;
    }
    // A wrong item is named and left out, so resolution never meets it.
    return value
      .map((item: unknown, index) => checkShape(item, shape.list, at(path, index), issues))
      .filter((item) => item !== undefined);
  }
  if (!isObject(value)) {
    issues.push({ path: path === '' ? '(file)' : path, message: `must be an object, not ${describe(value)}` });
    return undefined;
  }
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childShape = 'map' in shape ? shape.map : shape.keys[key];
    if (childShape === undefined) {
      issues.push({
        path: at(path, key),
        message: `unknown key '${key}' (known here: ${Object.keys('keys' in shape ? shape.keys : {}).join(', ')})`,
      });
      continue;
    }
    const checked = checkShape(child, childShape, at(path, key), issues);
    if (checked !== undefined) kept[key] = checked;
  }
  return kept;
}

/** Fields in milliseconds that a file may write as a human duration. */
const DURATION_FIELDS = ['simulatedDurationMaxMs', 'realDurationMaxMs'] as const;

/** The file's limits with human durations read into milliseconds. */
function readDurations(input: Record<string, unknown>, issues: ScenarioIssue[]): Record<string, unknown> {
  const limits = input['limits'];
  if (!isObject(limits)) return input;
  const read: Record<string, unknown> = { ...limits };
  for (const field of DURATION_FIELDS) {
    const value = limits[field];
    if (typeof value !== 'string') continue;
    const duration = readDuration(value);
    if (duration.ok) read[field] = duration.value;
    else issues.push({ path: `limits.${field}`, message: duration.message });
  }
  return { ...input, limits: read };
}

/** The file's content: JSON for `.json`, YAML for `.yaml` and `.yml`; refused unread past the size cap. */
function parseFile(path: string): unknown {
  const bytes = statSync(path).size;
  if (bytes > SCENARIO_FILE_BYTES_MAX)
    throw new Error(
      `the file is ${bytes} bytes, over the ${SCENARIO_FILE_BYTES_MAX}-byte limit for a scenario (a scenario describes its population by numbers and shares, not by listing it)`,
    );
  const text = readFileSync(path, 'utf8');
  return extname(path).toLowerCase() === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
}

/** True when a name on the command line is a scenario file rather than a built-in scenario's name. */
export function isScenarioFile(name: string): boolean {
  return /\.(json|ya?ml)$/i.test(name);
}

/** Stands in for a missing or broken required field, so resolution still finds every other problem. */
const PLACEHOLDER_NAME = 'unnamed';
const PLACEHOLDER_POPULATION = { recipients: 1 };

/** Reads, checks and resolves a scenario file; throws a ScenarioError listing every problem at once. */
export function loadScenarioFile(path: string, options: ResolveOptions = {}): ResolvedScenario {
  const label = basename(path);
  let parsed: unknown;
  try {
    parsed = parseFile(path);
  } catch (error) {
    throw new ScenarioError(label, [
      { path: '(file)', message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  const issues: ScenarioIssue[] = [];
  const checked = checkShape(parsed, SCENARIO_SHAPE, '', issues);
  if (!isObject(checked)) throw new ScenarioError(label, issues);
  const input = readDurations(checked, issues);
  if (typeof input['name'] !== 'string' && !issues.some((issue) => issue.path === 'name'))
    issues.push({ path: 'name', message: 'is required: a short name for reports and output folders' });
  if (!isObject(input['population']) && !issues.some((issue) => issue.path === 'population'))
    issues.push({ path: 'population', message: 'is required: { recipients, … }' });
  // Resolved even when something above is wrong (with stand-ins for what is missing), so one
  // pass lists every problem: a misspelled top-level key hides nothing.
  const complete = {
    ...input,
    name: input['name'] ?? PLACEHOLDER_NAME,
    population: input['population'] ?? PLACEHOLDER_POPULATION,
  };
  try {
    const resolved = resolveScenario(complete as unknown as ScenarioInput, options);
    if (issues.length > 0) throw new ScenarioError(label, issues);
    return resolved;
  } catch (error) {
    if (error instanceof ScenarioError && error.issues !== issues)
      throw new ScenarioError(label, [
        ...issues,
        ...error.issues.filter((issue) => !issues.some((known) => known.path === issue.path)),
      ]);
    throw error;
  }
}
