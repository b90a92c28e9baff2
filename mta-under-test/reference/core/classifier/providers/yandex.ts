/**
 * Yandex (yandex.com/support/mail, "Error messages"). "Policy rejection on the target address"
 * is Yandex's answer for a blocked or frozen recipient account.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const YANDEX_RULES: readonly Rule[] = [
  rule('yandex.target-policy', 'mailbox-disabled', text(/policy rejection on the target address/)),
];
