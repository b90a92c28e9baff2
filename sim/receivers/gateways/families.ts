/** Every B2B gateway family the fleet runs, in a fixed order (it sets their loopback addresses). */
import { BARRACUDA } from './barracuda.ts';
import { CISCO_SECURE_EMAIL } from './cisco-secure-email.ts';
import { EXCHANGE_ONPREM } from './exchange-onprem.ts';
import type { GatewayFamily } from './gateway.ts';
import { GOOGLE_WORKSPACE } from './google-workspace.ts';
import { MICROSOFT_365 } from './microsoft-365.ts';
import { MIMECAST } from './mimecast.ts';
import { PROOFPOINT } from './proofpoint.ts';

export const GATEWAY_FAMILY_LIST: readonly GatewayFamily[] = [
  MICROSOFT_365,
  GOOGLE_WORKSPACE,
  MIMECAST,
  PROOFPOINT,
  BARRACUDA,
  CISCO_SECURE_EMAIL,
  EXCHANGE_ONPREM,
];
