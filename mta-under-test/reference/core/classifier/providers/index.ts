/** Every mailbox-provider pack, in the order they are tried (before the generic families). */
import type { Rule } from '../rule.ts';
import { COMCAST_RULES } from './comcast.ts';
import { FREE_RULES } from './free.ts';
import { GMAIL_RULES } from './gmail.ts';
import { GMX_RULES } from './gmx.ts';
import { ICLOUD_RULES } from './icloud.ts';
import { LAPOSTE_RULES } from './laposte.ts';
import { LIBERO_RULES } from './libero.ts';
import { ORANGE_RULES } from './orange.ts';
import { OUTLOOK_RULES } from './outlook.ts';
import { POLISH_PORTAL_RULES } from './polish-portals.ts';
import { SEZNAM_RULES } from './seznam.ts';
import { SFR_RULES } from './sfr.ts';
import { T_ONLINE_RULES } from './t-online.ts';
import { YAHOO_RULES } from './yahoo.ts';
import { YANDEX_RULES } from './yandex.ts';

/** The packs by name, for counting and documentation. */
export const PROVIDER_PACKS: Readonly<Record<string, readonly Rule[]>> = {
  gmail: GMAIL_RULES,
  outlook: OUTLOOK_RULES,
  yahoo: YAHOO_RULES,
  orange: ORANGE_RULES,
  sfr: SFR_RULES,
  free: FREE_RULES,
  laposte: LAPOSTE_RULES,
  gmx: GMX_RULES,
  't-online': T_ONLINE_RULES,
  libero: LIBERO_RULES,
  seznam: SEZNAM_RULES,
  'wp-onet-interia': POLISH_PORTAL_RULES,
  icloud: ICLOUD_RULES,
  comcast: COMCAST_RULES,
  yandex: YANDEX_RULES,
};

/** Every provider rule, pack after pack, in the order they are tried. */
export const PROVIDER_RULES: readonly Rule[] = Object.values(PROVIDER_PACKS).flat();
