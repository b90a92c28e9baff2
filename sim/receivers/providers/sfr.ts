/**
 * SFR (sfr.fr, neuf.fr, numericable.fr, club-internet.fr …): one platform, one MX, Vade
 * filtering, `SFR_IN_xNN` codes (01 spam, 04 too many unknown users, 05 volume) and blocks that
 * last two hours; two connections per IP (secondary sources; facts §4). Exact SFR_IN wordings
 * are known only through a vendor summary, so those texts are reconstructions (@assumption).
 */
import { reply } from '../../smtp/reply.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const PM = 'https://www.postmastery.com/all-about-isp-sfr-and-smtp-error-codes-sfr_in_xxx/';
const BENTO = 'https://bentonow.com/smtp-errors/sfr (secondary)';

export const SFR: ProviderProfile = {
  id: 'sfr',
  name: 'SFR',
  kind: 'provider',
  domains: ['sfr.fr', 'neuf.fr', 'numericable.fr', 'club-internet.fr', 'cegetel.net', '9online.fr'],
  mxHosts: ['smtp-in.sfr.fr'],
  hostname: 'msfrf2604.sfr.fr',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(2, 'connections', BENTO),
    messagesPerConnection: sourced(100, 'messages', '@assumption: as Orange and La Poste'),
    newIpPerHour: sourced(400, 'recipients per hour', `@assumption: SFR_IN_x05 volume limit exists (${PM}) with no published figure`),
    maxPerHour: sourced(15_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(1_000, 'messages per day', '@assumption: as Orange'),
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: PM,
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Signal Spam / Validity', kind: 'arf', source: PM },
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP`),
    ehlo: ({ hostname }) => reply(250, null, hostname),
    mailOk: () => reply(250, '2.1.0', 'Ok'),
    rcptOk: () => reply(250, '2.1.5', 'Ok'),
    dataOk: ({ token }) => reply(250, '2.0.0', `Ok: queued as ${token}`),
    // @assumption: SFR runs a Postfix front end.
    unknownUser: ({ recipient }) => reply(550, '5.1.1', `<${recipient}>: Recipient address rejected: User unknown`),
    mailboxDisabled: ({ recipient }) => reply(550, '5.2.1', `<${recipient}>: Recipient address rejected: Mailbox disabled`),
    mailboxFull: ({ recipient }) => reply(452, '4.2.2', `<${recipient}>: Recipient address rejected: Mailbox full`),
    // @assumption: SFR_IN_x05 (volume limit), reconstructed from the vendor summary.
    rateLimited: ({ peerIp }) => reply(421, '4.7.0', `${peerIp} Too many messages, retry later. SFR_IN_105`),
    // responses.jsonl bytecamp (Postfix) too-many-connections.
    tooManyConnections: ({ peerIp }) => reply(421, '4.7.0', `Error: too many connections from ${peerIp}`),
    // @assumption: SFR_IN_x01 (too much spam), reconstructed.
    reputationBlock: ({ peerIp }) => reply(554, '5.7.1', `${peerIp} Service refused, too much spam. SFR_IN_101`),
    authFailure: ({ senderDomain }) => reply(550, '5.7.1', `Sender domain ${senderDomain} failed authentication (SPF/DKIM)`),
    dmarcFailure: ({ senderDomain }) => reply(550, '5.7.1', `Message rejected per DMARC policy of ${senderDomain}`),
    ptrFailure: ({ peerIp }) => reply(450, '4.7.1', `Client host rejected: cannot find your hostname, [${peerIp}]`),
    tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
    messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
    // responses.jsonl sfr protocol-error, SFR's session-closing line.
    serverError: () => reply(421, '4.7.0', 'msfrf2604.sfr.fr Error: too many errors'),
  },
  sources: [PM, BENTO, '../shared/facts/responses.jsonl (provider sfr)', '../shared/facts/isp-behaviors.md §4'],
};
