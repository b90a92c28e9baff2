/**
 * The receivers of a run and where they live: each gets a loopback address 127.0.1.N, and its
 * domains' MX records and its MX hosts' A records go into the world's DNS zone, which both the
 * senders and the wire listeners read. Adding a receiver is one line in RECEIVER_FACTORIES.
 */
import type { DnsZone } from '../dns/zone.ts';
import { GMAIL_IDENTITY, createGmail } from './gmail.ts';
import type { Receiver, ReceiverContext } from './receiver.ts';

export interface FleetOptions {
  /** Turn every receiver's rate limits off (throughput benchmarks). */
  readonly limitsOff: boolean;
}

interface ReceiverFactory {
  /** The receiver's id, which also names its random stream. */
  readonly id: string;
  readonly create: (context: ReceiverContext, options: FleetOptions) => Receiver;
}

const RECEIVER_FACTORIES: readonly ReceiverFactory[] = [{ id: GMAIL_IDENTITY.id, create: createGmail }];

/** MX preferences in the order of a receiver's `mxHosts`, as Gmail publishes them. */
const MX_PRIORITIES = [5, 10, 20, 30, 40];

export interface Fleet {
  readonly receivers: readonly Receiver[];
  receiverForMxHost(mxHost: string): Receiver | undefined;
  /** The loopback address a receiver's MX hosts resolve to. */
  addressOf(receiverId: string): string;
}

export function buildFleet(context: ReceiverContext, options: FleetOptions): Fleet {
  const receivers: Receiver[] = [];
  const byMxHost = new Map<string, Receiver>();
  const addresses = new Map<string, string>();
  RECEIVER_FACTORIES.forEach((factory, index) => {
    // Each receiver draws from its own stream, so adding one never shifts another's draws.
    const receiver = factory.create({ ...context, rng: context.rng.fork(factory.id) }, options);
    const address = `127.0.1.${index + 1}`;
    receivers.push(receiver);
    addresses.set(receiver.identity.id, address);
    register(context.dns, receiver, address);
    for (const mxHost of receiver.identity.mxHosts) byMxHost.set(mxHost.toLowerCase(), receiver);
  });
  return {
    receivers,
    receiverForMxHost: (mxHost) => byMxHost.get(mxHost.toLowerCase()),
    addressOf: (receiverId) => {
      const address = addresses.get(receiverId);
      if (address === undefined) throw new RangeError(`no receiver with id ${receiverId}`);
      return address;
    },
  };
}

function register(dns: DnsZone, receiver: Receiver, address: string): void {
  const { domains, mxHosts } = receiver.identity;
  for (const domain of domains) {
    mxHosts.forEach((mxHost, rank) => dns.addMx(domain, mxHost, MX_PRIORITIES[rank] ?? 50 + rank));
  }
  for (const mxHost of mxHosts) dns.addA(mxHost, address);
}
