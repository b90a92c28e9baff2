/**
 * What a send policy's hooks must return, checked at the seam where a user's policy plugs in
 * (policy-guard.ts). Each check returns the first problem it finds, in words that name the
 * field, or undefined when the value is well formed. The engine core trusts these shapes; a
 * malformed value let through would become a wrong record or a wrong report, never an error.
 */
import { ACTIONS, CLASSES } from '../../../kernel/index.ts';

type Check = (value: unknown) => string | undefined;

export const checkJudgement: Check = (value) => {
  if (!isObject(value)) return `expected a Judgement object, got ${describe(value)}`;
  const verdictProblem = checkVerdict(value['verdict']);
  if (verdictProblem !== undefined) return `verdict: ${verdictProblem}`;
  const suppress = value['suppress'];
  if (suppress !== undefined) {
    if (!isObject(suppress)) return `suppress: expected an object or undefined, got ${describe(suppress)}`;
    if (suppress['untilMs'] !== undefined && !isTime(suppress['untilMs']))
      return `suppress.untilMs: expected epoch milliseconds, got ${describe(suppress['untilMs'])}`;
    if (suppress['evidence'] !== undefined && !isStrings(suppress['evidence']))
      return `suppress.evidence: expected an array of strings, got ${describe(suppress['evidence'])}`;
  }
  const suspend = value['suspend'];
  if (suspend !== undefined) {
    if (!Array.isArray(suspend)) return `suspend: expected an array of suspension requests, got ${describe(suspend)}`;
    for (const [index, request] of suspend.entries()) {
      const problem = checkSuspension(request);
      if (problem !== undefined) return `suspend[${index}]: ${problem}`;
    }
  }
  if (value['retryAtMs'] !== undefined && !isTime(value['retryAtMs']))
    return `retryAtMs: expected epoch milliseconds, got ${describe(value['retryAtMs'])}`;
  return undefined;
};

function checkVerdict(value: unknown): string | undefined {
  if (!isObject(value)) return `expected a verdict object, got ${describe(value)}`;
  if (!CLASSES.includes(value['class'] as never))
    return `class ${describe(value['class'])} is not one of the taxonomy's classes (${CLASSES.join(', ')})`;
  if (!ACTIONS.includes(value['action'] as never))
    return `action ${describe(value['action'])} is not one of ${ACTIONS.join(', ')}`;
  if (typeof value['rule'] !== 'string' || value['rule'] === '')
    return `rule: expected the deciding rule's name, got ${describe(value['rule'])}`;
  if (typeof value['hard'] !== 'boolean') return `hard: expected a boolean, got ${describe(value['hard'])}`;
  if (!isStrings(value['evidence']))
    return `evidence: expected an array of strings, got ${describe(value['evidence'])}`;
  return undefined;
}

function checkSuspension(value: unknown): string | undefined {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  const scope = value['scope'];
  if (!isObject(scope) || typeof scope['source'] !== 'string')
    return `scope: expected { source, site?, provider? }, got ${describe(scope)}`;
  if (!isTime(value['untilMs'])) return `untilMs: expected epoch milliseconds, got ${describe(value['untilMs'])}`;
  if (typeof value['reason'] !== 'string') return `reason: expected a string, got ${describe(value['reason'])}`;
  if (typeof value['rule'] !== 'string') return `rule: expected a string, got ${describe(value['rule'])}`;
  return undefined;
}

export const checkSourceChoice: Check = (value) => {
  if (value === undefined) return undefined;
  if (!isObject(value)) return `expected a source choice or undefined, got ${describe(value)}`;
  if ('source' in value) {
    const source = value['source'];
    return isObject(source) && typeof source['name'] === 'string'
      ? undefined
      : `source: expected one of the request's candidates, got ${describe(source)}`;
  }
  if ('pool' in value)
    return typeof value['pool'] === 'string' ? undefined : `pool: expected a name, got ${describe(value['pool'])}`;
  if ('holdUntilMs' in value)
    return isTime(value['holdUntilMs'])
      ? undefined
      : `holdUntilMs: expected epoch milliseconds, got ${describe(value['holdUntilMs'])}`;
  return `expected { source }, { pool } or { holdUntilMs }, got ${describe(value)}`;
};

export const checkRatePerHour: Check = (value) =>
  value === null || value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    ? undefined
    : `expected messages per hour (a finite number ≥ 0) or null, got ${describe(value)}`;

export const checkAsyncBounceDecision: Check = (value) => {
  if (!isObject(value) || typeof value['suppress'] !== 'boolean')
    return `expected { suppress: boolean, untilMs? }, got ${describe(value)}`;
  if (value['untilMs'] !== undefined && !isTime(value['untilMs']))
    return `untilMs: expected epoch milliseconds, got ${describe(value['untilMs'])}`;
  return undefined;
};

/** Hooks whose value the engine ignores: anything goes but a promise (a hook is synchronous). */
export const checkNothing: Check = () => undefined;

/** A promise back from a hook means it was written async: the engine would act on a pending value. */
export function isThenable(value: unknown): boolean {
  return isObject(value) && typeof value['then'] === 'function';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isTime(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function isStrings(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}…` : text;
  } catch {
    return typeof value === 'object' ? 'an object that cannot be shown as JSON' : typeof value;
  }
}
