/**
 * WP and o2 (pomoc.wp.pl, "polityka antyspamowa"), Onet and Interia
 * (pomoc.poczta.interia.pl, "Dlaczego wiadomość nie została dostarczona?"). WP refuses spam
 * in Polish and English ("Nie przyjmiemy tej wiadomosci poniewaz jest to spam"); Interia's
 * "Recipient doesn't want your mail" means the recipient put the sender on a personal block list.
 */
import type { Rule } from '../rule.ts';
import { rule, text } from '../rule.ts';

/** This pack's rules, in the order they are tried. */
export const POLISH_PORTAL_RULES: readonly Rule[] = [
  rule('wp.spam', 'content-spam', text(/nie przyjmiemy tej wiadomosci|polityka-antyspamowa/)),
  rule('interia.recipient-block', 'policy-block', text(/recipient doesn't want your mail/)),
];
