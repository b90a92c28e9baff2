/**
 * Interia (interia.pl, interia.eu, poczta.fm): documented refusals for unknown accounts
 * (`550 5.1.1 Account not found`), unavailable mailboxes, SPF failures, and a temporary spam
 * block in Polish (facts §4). A paid "premium channel" exists for senders.
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';
import { POSTFIX_REPLIES, POSTFIX_SOURCE } from './postfix-style.ts';

export const INTERIA: ProviderProfile = {
  id: 'interia',
  name: 'Interia',
  kind: 'provider',
  domains: ['interia.pl', 'interia.eu', 'poczta.fm'],
  // unconfirmed by the facts (§9).
  mxHosts: ['poczta.interia.pl', 'mx.poczta.interia.pl'],
  hostname: 'poczta.interia.pl',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(3, 'connections', '@assumption: not published'),
    messagesPerConnection: sourced(50, 'messages', '@assumption: not published'),
    newIpPerHour: sourced(300, 'recipients per hour', '@assumption'),
    maxPerHour: sourced(10000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-or-dkim',
    bulkPerDay: null,
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: 'https://pomoc.poczta.interia.pl/news-dlaczego-wiadomosc-nie-zostala-dostarczona,nId,6589600',
  },
  spamHandling: 'folder',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    ...POSTFIX_REPLIES,
    // responses.jsonl interia (https://pomoc.poczta.interia.pl/news-dlaczego-wiadomosc-nie-zostala-dostarczona,nId,6589600).
    unknownUser: () => reply(550, '5.1.1', 'Account not found'),
    mailboxDisabled: () => reply(550, '5.2.1', 'Mailbox not available'),
    mailboxFull: () => reply(550, '5.2.1', 'Mailbox not available'),
    reputationBlock: ({ peerIp }) =>
      reply(450, '4.7.1', `Twoj serwer poczty ${peerIp} zostal tymczasowo zablokowany za spam`),
    authFailure: ({ peerIp, senderDomain }) =>
      reply(550, '5.7.0', `[SPF] host ${peerIp} is not allowed to send mail from domain ${senderDomain}`),
  },
  sources: [
    'https://pomoc.poczta.interia.pl/news-dlaczego-wiadomosc-nie-zostala-dostarczona,nId,6589600',
    '../shared/facts/responses.jsonl (provider interia)',
    POSTFIX_SOURCE,
  ],
};
