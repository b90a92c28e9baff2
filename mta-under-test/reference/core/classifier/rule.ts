/**
 * One classification rule: a matcher over the observation and the class it concludes. A
 * matcher returns the evidence it found (the phrase, the code, the family) or null, so every
 * verdict can say why, and rules compose from a few small matchers instead of one regex over a
 * glued string (KumoMTA and PowerMTA match `"<code> <enhanced> <text>"` with one regex each;
 * ../shared/research/engines.md §3.5, §4.4).
 */
import { RIGHT_ACTION } from '../../../../kernel/index.ts';
import type { Action, Class, SmtpStage } from '../../../../kernel/index.ts';
import type { Observation } from './facts.ts';
import type { Family } from './family.ts';

/** Evidence strings when the matcher holds, null when it does not. */
export type Matcher = (observation: Observation) => readonly string[] | null;

export interface Rule {
  /** Stable id, written into accounting records: `<pack>.<what>`, e.g. `gmail.4.7.28`. */
  readonly id: string;
  readonly class: Class;
  readonly action: Action;
  readonly match: Matcher;
}

/** The action a class calls for: TAXONOMY's right action; nothing for `delivered`; retry when undecided. */
export function defaultAction(cls: Class): Action {
  if (cls === 'delivered') return 'none';
  if (cls === 'unclassified') return 'retry';
  return RIGHT_ACTION[cls];
}

/** A rule whose action is the class's right action unless one is given (with a reason in a comment). */
export function rule(id: string, cls: Class, match: Matcher, action: Action = defaultAction(cls)): Rule {
  return { id, class: cls, action, match };
}

const clip = (phrase: string): string => (phrase.length > 60 ? `${phrase.slice(0, 57)}...` : phrase);

/** The normalised text matches (write patterns lower-case, without accents). */
export function text(pattern: RegExp): Matcher {
  return (observation) => {
    const found = pattern.exec(observation.text);
    return found === null ? null : [`text: "${clip(found[0].trim())}"`];
  };
}

/** The enhanced code is one of these, or matches the pattern. */
export function enhanced(...codes: readonly (string | RegExp)[]): Matcher {
  return (observation) => {
    const code = observation.enhanced;
    if (code === null) return null;
    return codes.some((wanted) => (typeof wanted === 'string' ? wanted === code : wanted.test(code)))
      ? [`enhanced: ${code}`]
      : null;
  };
}

/** The basic code lies in [low, high]. */
export function code(low: number, high: number = low): Matcher {
  return (observation) =>
    observation.code !== null && observation.code >= low && observation.code <= high
      ? [`code: ${observation.code}`]
      : null;
}

/** There was no SMTP reply (a DSN without code, or a network failure). */
export const noCode: Matcher = (observation) => (observation.code === null ? ['no reply code'] : null);

/** The receiver said the failure is temporary. */
export const transient: Matcher = (observation) => (observation.transient ? ['transient'] : null);

/** The receiver said the failure is permanent (or said nothing about it). */
export const notTransient: Matcher = (observation) => (observation.transient ? null : []);

/** The answer came from one of these receiver families. */
export function family(...families: readonly Family[]): Matcher {
  return (observation) =>
    observation.family !== null && families.includes(observation.family) ? [`family: ${observation.family}`] : null;
}

/** The answer was given at one of these stages. */
export function stage(...stages: readonly SmtpStage[]): Matcher {
  return (observation) =>
    observation.stage !== null && stages.includes(observation.stage) ? [`stage: ${observation.stage}`] : null;
}

/** Every matcher holds; the evidence is theirs together. */
export function all(...matchers: readonly Matcher[]): Matcher {
  return (observation) => {
    const evidence: string[] = [];
    for (const matcher of matchers) {
      const found = matcher(observation);
      if (found === null) return null;
      evidence.push(...found);
    }
    return evidence;
  };
}

/** The first matcher that holds. */
export function any(...matchers: readonly Matcher[]): Matcher {
  return (observation) => {
    for (const matcher of matchers) {
      const found = matcher(observation);
      if (found !== null) return found;
    }
    return null;
  };
}

/** The matcher does not hold (adds no evidence). */
export function not(matcher: Matcher): Matcher {
  return (observation) => (matcher(observation) === null ? [] : null);
}
