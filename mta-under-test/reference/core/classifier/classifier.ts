/**
 * The ordered evaluation: every pack in one list, first match wins (KumoMTA's and PowerMTA's
 * discipline, ../shared/research/engines.md §3.5, §4.4), and a verdict that says which rule
 * decided, on what evidence, and what the sender should do.
 *
 * The order, and why:
 * 1. accepted answers;
 * 2. provider and gateway packs: their codes (TSS04, S3150, OFR006_102) mean more than words;
 *    then "user unknown" in disguise (answered to DATA, beside a policy code, the address left out);
 * 3. phrases, in every language, that name a cause other than the address;
 * 4. enhanced codes that name one cause (X.1.1, X.2.2, X.7.26 …);
 * 5. "no such user" phrasings, then 5.2.1 (a disabled mailbox, unless the text says unknown);
 * 6. bare refusal words ("blocked", "denied"), which must not read as a dead address;
 * 7. vague enhanced codes, then the basic code.
 */
import type { Action, Class } from '../../../../kernel/index.ts';
import type { Observation, ReplyFacts } from './facts.ts';
import { observe } from './facts.ts';
import { ADDRESS_CODE_RULES, BASIC_CODE_RULES, GENERAL_CODE_RULES, SPECIFIC_CODE_RULES } from './codes.ts';
import { DISGUISED_RULES } from './disguised.ts';
import { GATEWAY_RULES } from './gateways.ts';
import { GENERIC_ADDRESS_RULES, GENERIC_SPECIFIC_RULES, GENERIC_WEAK_RULES, POSITIVE_RULES } from './generic.ts';
import { isGateway } from './family.ts';
import { LANGUAGE_ADDRESS_RULES, LANGUAGE_SPECIFIC_RULES, LANGUAGE_TRANSIENT_RULES } from './languages.ts';
import { PROVIDER_RULES } from './providers/index.ts';
import type { Rule } from './rule.ts';

/** Every rule, in evaluation order. */
export const RULES: readonly Rule[] = [
  ...POSITIVE_RULES,
  ...PROVIDER_RULES,
  ...GATEWAY_RULES,
  ...DISGUISED_RULES,
  ...LANGUAGE_SPECIFIC_RULES,
  ...GENERIC_SPECIFIC_RULES,
  ...LANGUAGE_TRANSIENT_RULES,
  ...SPECIFIC_CODE_RULES,
  ...GENERIC_ADDRESS_RULES,
  ...LANGUAGE_ADDRESS_RULES,
  ...ADDRESS_CODE_RULES,
  ...GENERIC_WEAK_RULES,
  ...GENERAL_CODE_RULES,
  ...BASIC_CODE_RULES,
];

/** What the classifier concluded about one answer. */
export interface Decision {
  readonly class: Class;
  readonly action: Action;
  /** The id of the rule that decided, e.g. `yahoo.ts` or `generic.enhanced.5.1.1`. */
  readonly rule: string;
  /**
   * True when the engine would suppress the address on this answer alone (action `suppress`).
   * False for every answer the receiver marked temporary (4xx) and for every refusal about the
   * sender rather than the address. A gateway's "user unknown" is hard here; its evidence and
   * `family` let the engine ask for corroboration first.
   */
  readonly hard: boolean;
  /** Short strings saying why: the matched phrase, the enhanced code, the receiver family. */
  readonly evidence: readonly string[];
  /** The receiver family (MX host, domain or text), when known, e.g. `mimecast`. */
  readonly family?: string;
}

/**
 * A temporary answer never kills an address: a 4xx "user unknown" (Postfix's 450 when its
 * lookup table is unsure, a directory that is down) is retried, and suppression waits for a
 * permanent answer. Only the receiver's own 4xx code counts: the 4.x.x of a code-less DSN is the
 * reporting relay's opinion (OpenSMTPD writes 4.0.0 for "No MX found").
 */
function settle(found: Rule, evidence: readonly string[], observation: Observation): Decision {
  const held = found.action === 'suppress' && observation.code !== null && observation.transient;
  const action: Action = held ? 'retry' : found.action;
  const notes = [...evidence];
  if (held) notes.push('transient answer: retry before suppressing');
  if (observation.family !== null && !notes.some((note) => note.startsWith('family:')))
    notes.push(`family: ${observation.family}`);
  if (action === 'suppress' && isGateway(observation.family)) notes.push('gateway: may be a disguised policy block');
  return {
    class: found.class,
    action,
    rule: found.id,
    hard: action === 'suppress',
    evidence: notes,
    ...(observation.family === null ? {} : { family: observation.family }),
  };
}

/** Evaluates the rules over an observation; `unclassified` only when none matches. */
export function decide(observation: Observation, rules: readonly Rule[] = RULES): Decision {
  for (const candidate of rules) {
    const evidence = candidate.match(observation);
    if (evidence !== null) return settle(candidate, evidence, observation);
  }
  return {
    class: 'unclassified',
    action: 'retry',
    rule: 'generic.unmatched',
    hard: false,
    evidence: ['no rule matched'],
    ...(observation.family === null ? {} : { family: observation.family }),
  };
}

/** Classifies one answer described as facts (the CLI's input). */
export function classifyObservedFacts(facts: ReplyFacts): Decision {
  return decide(observe(facts));
}
