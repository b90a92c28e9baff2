/**
 * Orange / Wanadoo (Orange's postmaster pages, "codes retour OFR"). Orange ends each refusal
 * with `OFRnnn_xyz [xyz]`; the number after the underscore is the reason, and the French and
 * English words in front are often the same ("Service refuse") for different reasons.
 */
import type { Class } from '../../../../../kernel/index.ts';
import type { Rule } from '../rule.ts';
import { platformCodeRules } from './platform-code.ts';

/** Reason numbers Orange documents, with the words that come with them. */
const ORANGE_REASONS: Readonly<Record<string, Class>> = {
  '102': 'blocklisted', // "Adresse IP source bloquee pour incident de spam" (Cloudmark CSI)
  '103': 'reputation-block', // "Service refuse" for the sending IP
  '104': 'too-many-connections', // "Trop de connexions"
  '405': 'auth-failure', // "Emetteur invalide"
  '416': 'unknown-user', // "Adresse d au moins un destinataire invalide"
  '417': 'mailbox-full', // "Boite du destinataire pleine"
  '505': 'server-error', // "Service refuse. Veuillez essayer plus tard" as a temporary failure
  '999': 'reputation-block',
};

/** This pack's rules, in the order they are tried. */
export const ORANGE_RULES: readonly Rule[] = platformCodeRules('orange', /\bofr\d*_(\d{3})\b/, ORANGE_REASONS);
