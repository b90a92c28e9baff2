/**
 * What `mailbench receivers` shows: every receiver of the fleet with its domains, MX hosts,
 * loopback address, limits and sources. Built from a fleet in an empty world, so the listing
 * is exactly what a run would use.
 */
import { DEFAULT_EPOCH_MS, Rng, VirtualScheduler } from '../kernel/index.ts';
import { buildFleet, DnsZone, LaterEventLog, MailboxDirectory, TruthRecorder } from '../sim/index.ts';
import type { ReceiverIdentity } from '../sim/index.ts';

export type ReceiverListing = Pick<
  ReceiverIdentity,
  'id' | 'name' | 'kind' | 'domains' | 'limits' | 'sources' | 'decidedIn' | 'reputationJudgedAt'
> & {
  readonly mx: readonly string[];
  /** The loopback address its listener binds in wire mode. */
  readonly address: string;
};

export function listReceivers(): ReceiverListing[] {
  const fleet = buildFleet(
    {
      clock: new VirtualScheduler(DEFAULT_EPOCH_MS),
      rng: new Rng('listing'),
      truth: new TruthRecorder(),
      dns: new DnsZone(),
      mailboxes: new MailboxDirectory(),
      later: new LaterEventLog(),
    },
    { limitsOff: false },
  );
  return fleet.receivers.map(({ identity }) => ({
    id: identity.id,
    name: identity.name,
    kind: identity.kind,
    domains: identity.domains,
    mx: identity.mxPattern === undefined ? identity.mxHosts : [identity.mxPattern],
    address: fleet.addressOf(identity.id),
    limits: identity.limits,
    sources: identity.sources,
    ...(identity.decidedIn === undefined ? {} : { decidedIn: identity.decidedIn }),
    ...(identity.reputationJudgedAt === undefined ? {} : { reputationJudgedAt: identity.reputationJudgedAt }),
  }));
}

export function renderReceivers(receivers: readonly ReceiverListing[]): string {
  return receivers
    .map((receiver) =>
      [
        `${receiver.name} (${receiver.id}, ${receiver.kind}) at ${receiver.address}`,
        `  domains: ${receiver.kind === 'gateway' ? "the population's corporate domains it fronts" : receiver.domains.join(', ')}`,
        `  MX:      ${receiver.mx.join(', ')}`,
        ...receiver.limits.map(
          (limit) => `  ${limit.name}: ${limit.value.toLocaleString('en-US')} ${limit.unit} (${limit.source})`,
        ),
        ...(receiver.reputationJudgedAt === undefined
          ? []
          : [`  reputation judged at: ${receiver.reputationJudgedAt.stage} (${receiver.reputationJudgedAt.source})`]),
        ...(receiver.decidedIn ?? []).map((module) => `  decided in: ${module}`),
        ...receiver.sources.map((source) => `  source: ${source}`),
      ].join('\n'),
    )
    .join('\n\n');
}
