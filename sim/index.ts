/**
 * sim/: the world a sender meets, and the only way into it from outside (lint holds other
 * folders to this file): the sim DNS, the receivers (providers, gateways, trap networks), the
 * fleet and its wire listeners, the truth log, later events, the bench CA and the world
 * builders. The sender never imports it; the runner builds a world from a scenario through it.
 */

export { DnsZone } from './dns/zone.ts';
export { LaterEventLog } from './later/events.ts';
export { ReportPostman } from './later/report-postman.ts';
export type { ReportMail } from './later/report-postman.ts';
export { organizationalDomain } from './mechanisms/auth/dmarc.ts';
export { NO_FAULTS } from './mechanisms/faults.ts';
export type { FaultRates } from './mechanisms/faults.ts';
export { REPUTATION_BANDS, reputationBand, scaleLabel } from './mechanisms/reputation.ts';
export type { ReputationScale } from './mechanisms/reputation.ts';
export { buildFleet } from './receivers/fleet.ts';
export type { Fleet } from './receivers/fleet.ts';
export { GATEWAY_FAMILY_LIST } from './receivers/gateways/families.ts';
export { INCIDENT_RECEIVER_IDS } from './receivers/incident-receivers.ts';
export { validatePolicyChange } from './receivers/incidents.ts';
export type { ReputationView } from './receivers/profiled-receiver.ts';
export { PROVIDER_PROFILES } from './receivers/providers/index.ts';
export type { ReceiverIdentity, SenderHistory } from './receivers/receiver.ts';
export { TYPO_TRAP_NETWORK } from './receivers/trap-network.ts';
export { createBenchCa } from './tls/bench-ca.ts';
export type { BenchCa } from './tls/bench-ca.ts';
export { InProcessTransport } from './transport/in-process.ts';
export { startFleetListeners } from './transport/smtp-listener.ts';
export type { FleetListeners, Route } from './transport/smtp-listener.ts';
export { TruthRecorder } from './truth/truth-record.ts';
export type { TruthRecord } from './truth/truth-record.ts';
export { MailboxDirectory } from './world/mailboxes.ts';
export type { Engagement, TrapKind } from './world/mailboxes.ts';
export { generatePopulation } from './world/population.ts';
export type { Population } from './world/population.ts';
export { GATEWAY_FAMILIES } from './world/tenants.ts';
export type { GatewayFamilyId } from './world/tenants.ts';
export { addTraps, TRAP_INJECTION_STREAM } from './world/trap-injection.ts';
export { MailauthAudit } from './mechanisms/auth/mailauth-audit.ts';
export type { AuthenticationAuditFigures } from './mechanisms/auth/mailauth-audit.ts';
