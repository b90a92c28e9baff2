/**
 * The reference engine's bounce classifier, as the engine and the `mailbench classify` command
 * call it. The rules live in ./classifier/ (one pack per provider, gateway family, language and
 * the generic MTA phrasings); this file adapts the engine's types to them.
 *
 * Every verdict names its class (TAXONOMY.md), the action, the rule that decided and the
 * evidence, because the bench scores all four and a report must be able to say why a sender
 * suppressed an address (../shared/research/engines.md §9.2, point 2).
 */
import { replyText } from '../../../kernel/index.ts';
import type { SmtpReply, SmtpStage } from '../../../kernel/index.ts';
import type { Decision } from './classifier/classifier.ts';
import { classifyObservedFacts, decide } from './classifier/classifier.ts';
import type { ReplyFacts } from './classifier/facts.ts';
import { observe } from './classifier/facts.ts';
import { NETWORK_RULES } from './classifier/generic.ts';

export type { ReplyFacts } from './classifier/facts.ts';

/** What the engine concluded about one recipient attempt (the rules' decision, as the engine sees it). */
export type Verdict = Decision;

/** Where an answer came from; each field sharpens the verdict and none is required. */
export interface ReplyContext {
  readonly stage?: SmtpStage;
  /** The MX host that answered: the family comes from its name (`*.pphosted.com` → proofpoint). */
  readonly mxHost?: string;
  /** The recipient domain (consumer domains name their provider). */
  readonly domain?: string;
}

function withContext(facts: Omit<ReplyFacts, 'mx' | 'domain' | 'stage'>, context: ReplyContext): ReplyFacts {
  // Field by field rather than by spreads: the engine classifies every answer it gets.
  const withWhere: { -readonly [K in keyof ReplyFacts]: ReplyFacts[K] } = {
    code: facts.code,
    enhanced: facts.enhanced,
    text: facts.text,
  };
  if (facts.provider !== undefined) withWhere.provider = facts.provider;
  if (context.mxHost !== undefined) withWhere.mx = context.mxHost;
  if (context.domain !== undefined) withWhere.domain = context.domain;
  if (context.stage !== undefined) withWhere.stage = context.stage;
  return withWhere;
}

/** Classifies an SMTP reply the engine received. */
export function classifyReply(reply: SmtpReply, context: ReplyContext = {}): Verdict {
  return classifyFacts(withContext({ code: reply.code, enhanced: reply.enhanced, text: replyText(reply) }, context));
}

/**
 * No reply at all: the connection failed or closed before the receiver answered. The message,
 * when there is one, only refines the evidence; the class stays a network error to retry.
 */
export function classifyNetworkError(message?: string, context: ReplyContext = {}): Verdict {
  const observation = observe(withContext({ code: null, enhanced: null, text: message ?? '' }, context));
  const decision = decide(observation, NETWORK_RULES);
  if (decision.class !== 'unclassified') return decision;
  return {
    class: 'network-error',
    action: 'retry',
    rule: 'generic.network',
    hard: false,
    evidence: message === undefined || message === '' ? [] : [`network: "${message.slice(0, 60)}"`],
    ...(decision.family === undefined ? {} : { family: decision.family }),
  };
}

/** Classifies an answer described as facts: a code (or none), an enhanced code, a text, and where it came from. */
export function classifyFacts(facts: ReplyFacts): Verdict {
  return classifyObservedFacts(facts);
}
