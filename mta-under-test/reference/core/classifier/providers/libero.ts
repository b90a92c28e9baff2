/**
 * Libero and the other Italiaonline domains. Refusals carry `LIB_nnn`; LIB_102 is a Cloudmark
 * CSI listing ("IP blacklisted by CSI").
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const LIBERO_RULES: readonly Rule[] = [rule('libero.csi', 'blocklisted', text(/\blib_102\b/))];
