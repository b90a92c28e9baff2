/**
 * Rules for providers that end every refusal with a numbered reason code (Orange's `OFR006_102`,
 * La Poste's `LPN007_426`): one rule per documented number, matched on the code, not the words.
 */
import type { Class } from '../../../../../kernel/index.ts';
import type { Rule } from '../rule.ts';
import { rule } from '../rule.ts';

/** One rule per reason number; `pattern` captures the number in group 1. */
export function platformCodeRules(pack: string, pattern: RegExp, reasons: Readonly<Record<string, Class>>): Rule[] {
  return Object.entries(reasons).map(([reason, cls]) =>
    rule(`${pack}.${reason}`, cls, (observation) => {
      const found = pattern.exec(observation.text);
      return found?.[1] === reason ? [`code: ${found[0]}`] : null;
    }),
  );
}
