/**
 * La Poste (laposte.net; its postmaster page lists the `LPNnnn_xyz` reasons). The texts are
 * bilingual; the number decides where the words are shared ("Service refuse").
 */
import type { Class } from '../../../../../kernel/index.ts';
import type { Rule } from '../rule.ts';
import { platformCodeRules } from './platform-code.ts';

const LAPOSTE_REASONS: Readonly<Record<string, Class>> = {
  '102': 'blocklisted', // "Service unavailable" for a listed IP
  '104': 'too-many-connections', // "Too many connections, slow down"
  '108': 'reputation-block', // "Service refuse" for the sending IP
  '401': 'auth-failure', // SPF
  '402': 'auth-failure', // DKIM not configured
  '416': 'unknown-user', // "Adresse d au moins un destinataire invalide"
  '420': 'mailbox-disabled', // "Boite du destinataire archivee"
  '426': 'mailbox-disabled', // "Le compte du destinataire est bloque"
  '505': 'server-error', // "Service refuse. Veuillez essayer plus tard"
  '510': 'content-spam', // "Suspicion de contenu non sollicite"
  '517': 'auth-failure', // DMARC
  '630': 'policy-block', // client host rejected by local policy
};

// La Poste writes both `LPN007_426` and `LPN416`.
/** This pack's rules, in the order they are tried. */
export const LAPOSTE_RULES: readonly Rule[] = platformCodeRules(
  'laposte',
  /\blpn(?:\d{3}_)?(\d{3})\b/,
  LAPOSTE_REASONS,
);
