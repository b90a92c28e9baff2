/**
 * A small world for receiver and transport tests: a virtual clock, a seeded stream, a truth
 * log, DNS and a mailbox directory with the addresses the test names.
 */
import { DEFAULT_EPOCH_MS } from '../../sim/clock/clock.ts';
import { VirtualScheduler } from '../../sim/clock/virtual-scheduler.ts';
import { DnsZone } from '../../sim/dns/zone.ts';
import { Rng } from '../../sim/random/rng.ts';
import type { ReceiverContext } from '../../sim/receivers/receiver.ts';
import { TruthRecorder } from '../../sim/truth/truth-record.ts';
import { MailboxDirectory } from '../../sim/world/mailboxes.ts';
import type { MailboxStatus } from '../../sim/world/mailboxes.ts';

export interface ReceiverWorld {
  readonly scheduler: VirtualScheduler;
  readonly context: ReceiverContext;
}

export function receiverWorld(mailboxes: Record<string, MailboxStatus>, clock?: ReceiverContext['clock']): ReceiverWorld {
  const scheduler = new VirtualScheduler(DEFAULT_EPOCH_MS);
  const directory = new MailboxDirectory();
  for (const [address, status] of Object.entries(mailboxes)) directory.set(address, status);
  const context: ReceiverContext = {
    clock: clock ?? scheduler,
    rng: new Rng('receiver-test'),
    truth: new TruthRecorder(),
    dns: new DnsZone(),
    mailboxes: directory,
  };
  return { scheduler, context };
}
