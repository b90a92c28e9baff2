/**
 * The receivers that can have incidents (outages, policy changes): every provider and every
 * B2B gateway family, by id. Apart from incidents.ts so the engine can import that one without
 * pulling in the fleet's profiles (which import the engine).
 */
import { GATEWAY_FAMILY_LIST } from './gateways/families.ts';
import { PROVIDER_PROFILES } from './providers/index.ts';

export const INCIDENT_RECEIVER_IDS: readonly string[] = [
  ...PROVIDER_PROFILES.map((profile) => profile.id),
  ...GATEWAY_FAMILY_LIST.map((family) => family.id),
];
