/**
 * Scenarios written as JSON or YAML files, for users who do not write TypeScript: read, checked
 * against the shape of `ScenarioInput` (every unknown key is refused, with its path and the keys
 * that are known there), human durations ('2d', '90 min') turned into milliseconds once, then
 * resolved and validated like a built-in scenario. Every problem comes back in one
 * ScenarioError, so a user fixes a file in one pass.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readDuration } from '../sim/clock/duration.ts';
import { ScenarioError, resolveScenario } from './scenario.ts';
import type { ResolveOptions, ResolvedScenario, ScenarioInput, ScenarioIssue } from './scenario.ts';

/** The keys an object may have at a path; `*` stands for any key (maps keyed by name). */
type Shape = { readonly keys: Readonly<Record<string, Shape | 'value'>> } | { readonly map: Shape | 'value' } | { readonly list: Shape };

const SOURCE: Shape = { keys: { name: 'value', sourceIp: 'value', heloName: 'value' } };

/** ScenarioInput's shape. Free-form blocks (the shaping file, faults, family shares) are checked where they are resolved. */
const SCENARIO_SHAPE: Shape = {
  keys: {
    name: 'value',
    story: 'value',
    population: {
      keys: {
        recipients: 'value',
        domains: 'value',
        unknownShare: 'value',
        corporate: { keys: { share: 'value', tenants: 'value', familyShares: 'value', annualTurnover: 'value' } },
        traps: { keys: { pristine: 'value', recycled: 'value', typo: 'value' } },
        engagement: { keys: { engaged: 'value', passive: 'value', dormant: 'value' } },
      },
    },
    sender: {
      keys: {
        sourceIp: 'value',
        heloName: 'value',
        mailFrom: 'value',
        sources: { list: SOURCE },
        pools: 'value',
        defaultPool: 'value',
        tenants: { map: { keys: { pool: 'value' } } },
        shaping: 'value',
        history: { keys: { cleanPerDay: 'value', engagedShare: 'value' } },
        warmup: { keys: { plan: 'value', sources: 'value', startStage: 'value', overflow: 'value' } },
        grid: { keys: { pool: 'value', tenants: 'value', initialMembers: 'value' } },
        auditList: 'value',
        auth: { keys: { dkim: 'value', spf: 'value', dmarc: 'value', dkimBreaks: { keys: { at: 'value', to: 'value' } } } },
      },
    },
    receivers: { keys: { limitsOff: 'value', faults: 'value' } },
    limits: { keys: { simulatedDurationMaxMs: 'value', realSecondsPerSimulatedHour: 'value', realDurationMaxMs: 'value' } },
    // Each event's keys depend on its kind: scenarios/timeline.ts checks them, with the same messages.
    timeline: 'value',
    expect: 'value',
    scale: 'value',
  },
};

/** Fields in milliseconds that a file may write as a human duration. */
const DURATION_FIELDS = ['simulatedDurationMaxMs', 'realDurationMaxMs'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Every key the shape does not know, and every object the shape expects but the file lacks as one. */
function checkShape(value: unknown, shape: Shape, path: string, issues: ScenarioIssue[]): void {
  if ('list' in shape) {
    if (!Array.isArray(value)) issues.push({ path, message: 'must be a list' });
    else value.forEach((item: unknown, index) => checkShape(item, shape.list, at(path, index), issues));
    return;
  }
  if (!isObject(value)) {
    issues.push({ path: path === '' ? '(file)' : path, message: 'must be an object' });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childShape = 'map' in shape ? shape.map : shape.keys[key];
    if (childShape === undefined) {
      issues.push({ path: at(path, key), message: `unknown key '${key}' (known here: ${Object.keys('keys' in shape ? shape.keys : {}).join(', ')})` });
      continue;
    }
    if (childShape !== 'value') checkShape(child, childShape, at(path, key), issues);
  }
}

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

/** The file's content: JSON for `.json`, YAML for `.yaml` and `.yml`. */
function parseFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return extname(path).toLowerCase() === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
}

/** True when a name on the command line is a scenario file rather than a built-in scenario's name. */
export function isScenarioFile(name: string): boolean {
  return /\.(json|ya?ml)$/i.test(name);
}

/** Reads, checks and resolves a scenario file; throws a ScenarioError listing every problem. */
export function loadScenarioFile(path: string, options: ResolveOptions = {}): ResolvedScenario {
  const label = basename(path);
  let parsed: unknown;
  try {
    parsed = parseFile(path);
  } catch (error) {
    throw new ScenarioError(label, [{ path: '(file)', message: error instanceof Error ? error.message : String(error) }]);
  }
  const issues: ScenarioIssue[] = [];
  checkShape(parsed, SCENARIO_SHAPE, '', issues);
  // A block of the wrong kind (a string where an object belongs) would only confuse resolution: stop here.
  if (!isObject(parsed) || issues.some((issue) => /^must be (an object|a list)$/.test(issue.message))) throw new ScenarioError(label, issues);
  const input = readDurations(parsed, issues);
  if (typeof input['name'] !== 'string') issues.push({ path: 'name', message: 'is required: a short name for reports and output folders' });
  if (!isObject(input['population'])) {
    if (!issues.some((issue) => issue.path === 'population')) issues.push({ path: 'population', message: 'is required: { recipients, … }' });
    throw new ScenarioError(label, issues);
  }
  try {
    // The shape was checked above; the values are checked by resolveScenario.
    const resolved = resolveScenario(input as unknown as ScenarioInput, options);
    if (issues.length > 0) throw new ScenarioError(label, issues);
    return resolved;
  } catch (error) {
    if (error instanceof ScenarioError && error.issues !== issues) throw new ScenarioError(label, [...issues, ...error.issues]);
    throw error;
  }
}
