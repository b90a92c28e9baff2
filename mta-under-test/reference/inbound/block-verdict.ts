/**
 * The classifier's verdict on one failed recipient of a bounce, the same for the engine's intake
 * (join.ts) and for `mailbench bounces`: the diagnostic's quoted reply (its enhanced code taken
 * from the Status when the text has none, since RFC 3464 §2.3.4 makes Status the authoritative
 * code), or, when the diagnostic quotes no reply code, its words with the Status.
 *
 * Rule ids are the classifier's, prefixed `dsn.` (`dsn.status.` when the Status alone decided,
 * with no words to read), so a report shows which path decided.
 */
import { classifyFacts } from '../core/classify.ts';
import type { Verdict } from '../core/classify.ts';
import { quoteOfDiagnostic } from './diagnostic.ts';
import type { DsnRecipientBlock } from './report.ts';

/** Who answered: the MX that wrote the diagnostic, the recipient's domain. */
export interface BlockContext {
  readonly mxHost?: string;
  readonly domain?: string;
}

/** The remote reply a block reports, as the classifier's facts. */
export function blockFacts(block: DsnRecipientBlock): { code: number | null; enhanced: string | null; text: string } {
  const quoted =
    block.diagnosticCode === undefined
      ? { code: null, enhanced: null, text: '' }
      : quoteOfDiagnostic(block.diagnosticCode);
  // The Status is authoritative for the enhanced code, unless it is the reporting relay's vague
  // x.0.0 and the quoted reply names a sharper one.
  const status = /^[245]\.0\.0$/.test(block.status) && quoted.enhanced !== null ? quoted.enhanced : block.status;
  // The classifier reads a reply, not a novel: a peer's oversized diagnostic is cut.
  return {
    code: quoted.code,
    enhanced: quoted.code === null && quoted.text === '' ? block.status : (quoted.enhanced ?? status),
    text: quoted.text.slice(0, 2_000),
  };
}

export function classifyBlock(block: DsnRecipientBlock, context: BlockContext = {}): Verdict {
  const facts = blockFacts(block);
  const where = {
    ...(context.mxHost === undefined ? {} : { mx: context.mxHost }),
    ...(context.domain === undefined ? {} : { domain: context.domain }),
    ...(block.smtpCommand === undefined ? {} : { stage: block.smtpCommand }),
  };
  if (facts.code === null && facts.text === '') {
    // Nothing but the Status: read it as the basic reply its class implies.
    const basic = { '2': 250, '4': 450, '5': 550 }[block.status[0] as '2' | '4' | '5'] ?? 550;
    const verdict = classifyFacts({ code: basic, enhanced: block.status, text: '', ...where });
    return { ...verdict, rule: `dsn.status.${verdict.rule}` };
  }
  const verdict = classifyFacts({ ...facts, ...where });
  return { ...verdict, rule: `dsn.${verdict.rule}` };
}
