/**
 * Onet (onet.pl, op.pl, vp.pl, onet.eu, autograf.pl, poczta.onet.pl): refuses unknown accounts,
 * spam and weak SPF/DKIM/DMARC, and holds senders to a sending limit — wait 1-24 hours or buy a
 * higher one through its verified-sender programme (facts §4). Texts are stock Postfix
 * (@assumption), the limit answer says what Onet's help page says.
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';
import { POSTFIX_REPLIES, POSTFIX_SOURCE } from './postfix-style.ts';

export const ONET: ProviderProfile = {
  id: 'onet',
  name: 'Onet',
  kind: 'provider',
  domains: ['onet.pl', 'op.pl', 'vp.pl', 'onet.eu', 'autograf.pl', 'poczta.onet.pl'],
  // unconfirmed by the facts (§9).
  mxHosts: ['mx.poczta.onet.pl'],
  hostname: 'mx.poczta.onet.pl',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(3, 'connections', '@assumption: not published'),
    messagesPerConnection: sourced(50, 'messages', '@assumption: not published'),
    newIpPerHour: sourced(
      300,
      'recipients per hour',
      '@assumption: a sending limit exists (https://pomoc.poczta.onet.pl/baza-wiedzy/co-zrobic-w-przypadku-odeslanych-lub-odrzuconych-e-maili/) without a figure',
    ),
    maxPerHour: sourced(10000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(1_000, 'messages per day', '@assumption'),
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: 'https://pomoc.poczta.onet.pl/baza-wiedzy/co-zrobic-w-przypadku-odeslanych-lub-odrzuconych-e-maili/',
  },
  spamHandling: 'folder',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    ...POSTFIX_REPLIES,
    // @assumption: Onet's help page says to wait 1-24 h; Postfix-style wording.
    rateLimited: () => reply(450, '4.7.1', 'Error: sending limit exceeded, try again later'),
  },
  sources: [
    'https://pomoc.poczta.onet.pl/baza-wiedzy/co-zrobic-w-przypadku-odeslanych-lub-odrzuconych-e-maili/',
    POSTFIX_SOURCE,
  ],
};
