/**
 * A small world for receiver and transport tests: a virtual clock, a seeded stream, a truth
 * log, DNS and a mailbox directory with the addresses the test names. The DNS holds a
 * well-configured sender (FCrDNS for 127.0.0.2 and 127.0.0.3, SPF for news.mailbench.test), so
 * a test sees a provider's policy rather than an authentication refusal unless it breaks one.
 */
import type { DkimKey } from '../../mta-under-test/reference/core/dkim-signer.ts';
import { DEFAULT_EPOCH_MS } from '../../kernel/clock/clock.ts';
import { VirtualScheduler } from '../../kernel/clock/virtual-scheduler.ts';
import { DnsZone } from '../../sim/dns/zone.ts';
import { Rng } from '../../kernel/random/rng.ts';
import type { ReceiverContext } from '../../sim/receivers/receiver.ts';
import { LaterEventLog } from '../../sim/later/events.ts';
import type { ProviderProfile } from '../../sim/receivers/profile.ts';
import { createProfiledReceiver } from '../../sim/receivers/profiled-receiver.ts';
import type { ProfiledReceiver } from '../../sim/receivers/profiled-receiver.ts';
import { TruthRecorder } from '../../sim/truth/truth-record.ts';
import { MailboxDirectory } from '../../sim/world/mailboxes.ts';
import type { MailboxStatus } from '../../sim/world/mailboxes.ts';
import { ed25519DkimRecord, ed25519Key } from './test-keys.ts';

export interface ReceiverWorld {
  readonly scheduler: VirtualScheduler;
  readonly context: ReceiverContext;
}

export const TEST_SENDER_DOMAIN = 'news.mailbench.test';

/** The test sender's DKIM key (Ed25519, fixed seed) for news.mailbench.test. */
export const TEST_DKIM_KEY: DkimKey = {
  domain: TEST_SENDER_DOMAIN,
  selector: 'test',
  privateKey: ed25519Key(7),
};

export function publishTestSender(dns: DnsZone): void {
  for (const [ip, name] of [
    ['127.0.0.2', 'mta1.mailbench.test'],
    ['127.0.0.3', 'mta2.mailbench.test'],
  ] as const) {
    dns.addPtr(ip, name).addA(name, ip);
  }
  dns.addTxt(TEST_SENDER_DOMAIN, 'v=spf1 ip4:127.0.0.0/8 -all');
  dns.addTxt(`test._domainkey.${TEST_SENDER_DOMAIN}`, ed25519DkimRecord(TEST_DKIM_KEY.privateKey));
  dns.addTxt(`_dmarc.${TEST_SENDER_DOMAIN}`, 'v=DMARC1; p=reject');
}

type AdmissionNumber = Exclude<keyof ProviderProfile['admission'], 'reputationGate'>;

/** A provider with some admission numbers changed, to keep a test small. */
export function withAdmission(
  profile: ProviderProfile,
  admission: Partial<Record<AdmissionNumber, number>>,
): ProviderProfile {
  const changed = { ...profile.admission };
  for (const [name, value] of Object.entries(admission) as [AdmissionNumber, number][]) {
    changed[name] = { ...changed[name], value, source: 'test override' };
  }
  return { ...profile, admission: changed };
}

export function receiverFor(profile: ProviderProfile, context: ReceiverContext, limitsOff = false): ProfiledReceiver {
  return createProfiledReceiver(profile, context, { limitsOff });
}

export function receiverWorld(
  mailboxes: Record<string, MailboxStatus>,
  clock?: ReceiverContext['clock'],
): ReceiverWorld {
  const scheduler = new VirtualScheduler(DEFAULT_EPOCH_MS);
  const directory = new MailboxDirectory();
  for (const [address, status] of Object.entries(mailboxes)) directory.set(address, status);
  const dns = new DnsZone();
  publishTestSender(dns);
  const context: ReceiverContext = {
    clock: clock ?? scheduler,
    rng: new Rng('receiver-test'),
    truth: new TruthRecorder(),
    dns,
    mailboxes: directory,
    later: new LaterEventLog(),
  };
  return { scheduler, context };
}
