/**
 * Which receiver ids a scenario may name: a timeline's incidents (outages, policy changes) name
 * a provider or gateway family; an expectation may also name the typo-trap network, whose
 * figures say whether a list's typo domains were mailed.
 */
import { INCIDENT_RECEIVER_IDS, TYPO_TRAP_NETWORK } from '../sim/index.ts';
export { validatePolicyChange } from '../sim/index.ts';

export { INCIDENT_RECEIVER_IDS };

export const EXPECTATION_RECEIVERS: readonly string[] = [...INCIDENT_RECEIVER_IDS, TYPO_TRAP_NETWORK.id];
