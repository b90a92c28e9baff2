/**
 * Free (free.fr, aliceadsl.fr, libertysurf.fr): per-IP real-time statistics, spam refused at
 * SMTP (`550 spam detected`) rather than filed, blocks lifted automatically within 24 hours,
 * unknown users expected to be removed after one bounce, SPF required (facts §4).
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const FREE = 'http://postmaster.free.fr/';
const RP = 'https://help.returnpath.com/hc/en-us/articles/115002966487-Free-troubleshooting-support-information';

export const FREE_FR: ProviderProfile = {
  id: 'free',
  name: 'Free',
  kind: 'provider',
  domains: ['free.fr', 'aliceadsl.fr', 'libertysurf.fr', 'online.fr'],
  mxHosts: ['mx1.free.fr', 'mx2.free.fr'],
  hostname: 'mx1.free.fr',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(3, 'connections', '@assumption: Free publishes no number; EU ISPs allow a handful'),
    messagesPerConnection: sourced(100, 'messages', '@assumption'),
    newIpPerHour: sourced(500, 'recipients per hour', `@assumption: per-IP real-time statistics (${FREE})`),
    maxPerHour: sourced(20_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-or-dkim',
    bulkPerDay: null,
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: false,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${RP} (SPF must pass)`,
  },
  spamHandling: 'reject',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP Postfix`),
    ehlo: ({ hostname }) => reply(250, null, hostname),
    mailOk: () => reply(250, '2.1.0', 'Ok'),
    rcptOk: () => reply(250, '2.1.5', 'Ok'),
    dataOk: ({ token }) => reply(250, '2.0.0', `Ok: queued as ${token.toUpperCase()}`),
    // @assumption: Free's Postfix front end for unknown users.
    unknownUser: ({ recipient }) =>
      reply(550, '5.1.1', `<${recipient}>: Recipient address rejected: User unknown in local recipient table`),
    // responses.jsonl free.fr mailbox-disabled.
    mailboxDisabled: () => reply(550, '5.2.1', 'This mailbox has been blocked due to inactivity'),
    // responses.jsonl free.fr mailbox-full.
    mailboxFull: ({ recipient }) =>
      reply(554, '5.2.2', `<${recipient}>: Recipient address rejected: Quota exceeded (mailbox for user is full)`),
    // responses.jsonl free.fr reputation-block ("too many errors").
    rateLimited: ({ peerIp }) =>
      reply(451, null, `too many errors from your ip (${peerIp}), please visit http://postmaster.free.fr/`),
    tooManyConnections: ({ peerIp }) => reply(421, '4.7.0', `Error: too many connections from ${peerIp}`),
    // responses.jsonl free.fr reputation-block ("Too many spams").
    reputationBlock: ({ peerIp }) =>
      reply(421, null, `Too many spams from your IP (${peerIp}), please visit http://postmaster.free.fr/`),
    authFailure: ({ senderDomain }) =>
      reply(550, '5.7.1', `SPF check failed for ${senderDomain}, please visit http://postmaster.free.fr/`),
    dmarcFailure: ({ senderDomain }) => reply(550, '5.7.1', `DMARC policy of ${senderDomain} rejects this message`),
    ptrFailure: ({ peerIp }) => reply(450, '4.7.1', `Client host rejected: cannot find your hostname, [${peerIp}]`),
    tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
    messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
    serverError: () => reply(451, '4.3.0', 'Error: queue file write error'),
    // responses.jsonl free.fr content-spam.
    contentSpam: () => reply(550, null, 'spam detected'),
  },
  sources: [
    FREE,
    RP,
    'CODE-IDX 71015263145 (MX names, via ../shared/facts/isp-behaviors.md)',
    '../shared/facts/responses.jsonl (provider free.fr)',
  ],
};
