/**
 * Wirtualna Polska (wp.pl, o2.pl, tlen.pl): its anti-spam policy refuses complained-about sources,
 * blocklisted IPs, mail-bombing patterns and hosts without proper DNS/rDNS (facts §4). No exact
 * reply lines are public: the texts are stock Postfix (@assumption).
 */
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';
import { POSTFIX_REPLIES, POSTFIX_SOURCE } from './postfix-style.ts';

export const WP: ProviderProfile = {
  id: 'wp',
  name: 'WP and o2 (Wirtualna Polska)',
  kind: 'provider',
  domains: ['wp.pl', 'o2.pl', 'tlen.pl'],
  // unconfirmed by the facts (§9).
  mxHosts: ['mx.wp.pl', 'mx.o2.pl'],
  hostname: 'mx.wp.pl',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(3, 'connections', '@assumption: not published'),
    messagesPerConnection: sourced(50, 'messages', '@assumption: not published'),
    newIpPerHour: sourced(400, 'recipients per hour', '@assumption'),
    maxPerHour: sourced(15000, 'recipients per hour', '@assumption'),
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
    source: 'https://pomoc.o2.pl/polityka-antyspamowa (proper DNS/rDNS)',
  },
  spamHandling: 'folder',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    ...POSTFIX_REPLIES,
  },
  sources: ['https://pomoc.o2.pl/polityka-antyspamowa', POSTFIX_SOURCE],
};
