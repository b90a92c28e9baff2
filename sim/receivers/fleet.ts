/**
 * The receivers of a run and where they live. Each gets its own loopback address 127.0.1.N;
 * its domains' MX records and its MX hosts' A records go into the world's DNS zone, which
 * both the senders and the wire listeners read. Consumer providers are profiles (providers/),
 * B2B gateway families front the population's corporate domains (gateways/), and misspelt
 * domains lead to the typo-trap network.
 */
import type { Tenant } from '../world/tenants.ts';
import { GATEWAY_FAMILY_LIST } from './gateways/families.ts';
import { createGatewayReceiver } from './gateways/gateway.ts';
import { INCIDENT_RECEIVER_IDS } from './incident-receivers.ts';
import { ReceiverIncidents, WorldIncidents } from './incidents.ts';
import { createProfiledReceiver } from './profiled-receiver.ts';
import type { ProfiledReceiver } from './profiled-receiver.ts';
import { PROVIDER_PROFILES } from './providers/index.ts';
import type { Receiver, ReceiverContext } from './receiver.ts';
import { TYPO_TRAP_NETWORK } from './trap-network.ts';

export interface FleetOptions {
  /** Turn every receiver's admission limits off (throughput benchmarks). */
  readonly limitsOff: boolean;
  /** The corporate domains of the population, fronted by their gateway families. */
  readonly tenants?: readonly Tenant[];
}

/** MX preferences in the order of a receiver's `mxHosts`, as Gmail publishes them. */
const MX_PRIORITIES = [5, 10, 20, 30, 40];

export interface Fleet {
  readonly receivers: readonly ProfiledReceiver[];
  receiverForMxHost(mxHost: string): Receiver | undefined;
  receiver(id: string): ProfiledReceiver;
  /** The loopback address a receiver's MX hosts resolve to. */
  addressOf(receiverId: string): string;
  /** Lets every receiver handle what is due by `nowMs` (complaints, later bounces, engagement). */
  settle(nowMs: number): void;
  /** Outages and policy changes of the providers and gateway families, on the run's clock. */
  readonly incidents: WorldIncidents;
}

export function buildFleet(context: ReceiverContext, options: FleetOptions): Fleet {
  const receivers: ProfiledReceiver[] = [];
  const byId = new Map<string, ProfiledReceiver>();
  const byMxHost = new Map<string, ProfiledReceiver>();
  const addresses = new Map<string, string>();
  // Each receiver draws from its own stream, so adding one never shifts another's draws.
  const contextFor = (id: string): ReceiverContext => ({ ...context, rng: context.rng.fork(id) });
  const incidentsById = new Map(INCIDENT_RECEIVER_IDS.map((id) => [id, new ReceiverIncidents(id)]));
  const optionsFor = (id: string): FleetOptions & { incidents?: ReceiverIncidents } => {
    const incidents = incidentsById.get(id);
    return incidents === undefined ? options : { ...options, incidents };
  };
  const add = (receiver: ProfiledReceiver, domainMx: (domain: string) => readonly string[]): void => {
    const address = `127.0.1.${receivers.length + 1}`;
    receivers.push(receiver);
    byId.set(receiver.identity.id, receiver);
    addresses.set(receiver.identity.id, address);
    for (const domain of receiver.identity.domains) {
      domainMx(domain).forEach((mxHost, rank) => context.dns.addMx(domain, mxHost, MX_PRIORITIES[rank] ?? 50 + rank));
    }
    for (const mxHost of receiver.identity.mxHosts) {
      context.dns.addA(mxHost, address);
      byMxHost.set(mxHost.toLowerCase(), receiver);
    }
  };

  for (const profile of PROVIDER_PROFILES) {
    add(createProfiledReceiver(profile, contextFor(profile.id), optionsFor(profile.id)), () => profile.mxHosts);
  }
  const tenants = options.tenants ?? [];
  for (const family of GATEWAY_FAMILY_LIST) {
    const ownTenants = tenants.filter((tenant) => tenant.family === family.id);
    const byDomain = new Map(ownTenants.map((tenant) => [tenant.domain, tenant]));
    const gateway = createGatewayReceiver(family, ownTenants, contextFor(family.id), optionsFor(family.id));
    add(gateway, (domain) => family.mxHostsFor(byDomain.get(domain) as Tenant));
  }
  add(
    createProfiledReceiver(TYPO_TRAP_NETWORK, contextFor(TYPO_TRAP_NETWORK.id), options),
    () => TYPO_TRAP_NETWORK.mxHosts,
  );

  return {
    receivers,
    incidents: new WorldIncidents(incidentsById),
    receiverForMxHost: (mxHost) => byMxHost.get(mxHost.toLowerCase()),
    receiver: (id) => {
      const receiver = byId.get(id);
      if (receiver === undefined) throw new RangeError(`no receiver with id ${id}`);
      return receiver;
    },
    addressOf: (receiverId) => {
      const address = addresses.get(receiverId);
      if (address === undefined) throw new RangeError(`no receiver with id ${receiverId}`);
      return address;
    },
    settle: (nowMs) => {
      for (const receiver of receivers) receiver.settle?.(nowMs);
    },
  };
}
