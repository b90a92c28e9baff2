/**
 * Seznam (napoveda.seznam.cz, "Uživatel neexistuje"): a missing user is answered
 * "5.1.1 szn; User hasn't got the service mapped". Czech phrasings are in languages.ts.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const SEZNAM_RULES: readonly Rule[] = [
  rule('seznam.not-mapped', 'unknown-user', text(/hasn't got the service mapped/)),
];
