/** Every consumer mailbox provider the fleet runs, in a fixed order (it sets their loopback addresses). */
import type { ProviderProfile } from '../profile.ts';
import { FREE_FR } from './free.ts';
import { GMAIL } from './gmail.ts';
import { GMX_WEBDE } from './gmx-webde.ts';
import { INTERIA } from './interia.ts';
import { LAPOSTE } from './laposte.ts';
import { LIBERO } from './libero.ts';
import { ONET } from './onet.ts';
import { ORANGE } from './orange.ts';
import { OUTLOOK } from './outlook.ts';
import { SEZNAM } from './seznam.ts';
import { SFR } from './sfr.ts';
import { T_ONLINE } from './t-online.ts';
import { WP } from './wp.ts';
import { YAHOO } from './yahoo.ts';

export const PROVIDER_PROFILES: readonly ProviderProfile[] = [
  GMAIL,
  OUTLOOK,
  YAHOO,
  ORANGE,
  SFR,
  FREE_FR,
  LAPOSTE,
  GMX_WEBDE,
  T_ONLINE,
  LIBERO,
  SEZNAM,
  WP,
  ONET,
  INTERIA,
];
