/**
 * Which receiver ids a scenario may name: a timeline's incidents (outages, policy changes) name
 * a provider or gateway family; an expectation may also name the typo-trap network, whose
 * figures say whether a list's typo domains were mailed.
 */
import { INCIDENT_RECEIVER_IDS } from '../sim/receivers/incident-receivers.ts';
import { TYPO_TRAP_NETWORK } from '../sim/receivers/trap-network.ts';

export { INCIDENT_RECEIVER_IDS };
export { validatePolicyChange } from '../sim/receivers/incidents.ts';

export const EXPECTATION_RECEIVERS: readonly string[] = [...INCIDENT_RECEIVER_IDS, TYPO_TRAP_NETWORK.id];
