/**
 * Seznam.cz (seznam.cz, email.cz, post.cz, spoluzaci.cz): DKIM required for mass mail since
 * 2015, a newsletter folder besides inbox and spam, and a feedback loop keyed on the DKIM
 * signature that reports counts (facts §3, §4). No exact reply lines are public: the texts
 * are stock Postfix (@assumption).
 */
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';
import { POSTFIX_REPLIES, POSTFIX_SOURCE } from './postfix-style.ts';

export const SEZNAM: ProviderProfile = {
  id: 'seznam',
  name: 'Seznam.cz',
  kind: 'provider',
  domains: ['seznam.cz', 'email.cz', 'post.cz', 'spoluzaci.cz'],
  // unconfirmed by the facts (§9): the commonly seen names.
  mxHosts: ['mx1.seznam.cz', 'mx2.seznam.cz'],
  hostname: 'mx1.seznam.cz',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(5, 'connections', '@assumption: not published'),
    messagesPerConnection: sourced(100, 'messages', '@assumption: not published'),
    newIpPerHour: sourced(500, 'recipients per hour', '@assumption'),
    maxPerHour: sourced(20000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(1_000, 'messages per day', '@assumption: Seznam says "mass mail" without a figure'),
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source:
      'https://emaillabs.io/en/sending-to-czech-republic-rules-introduced-by-seznam-cz/ (valid DKIM for mass mail)',
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Seznam FBL', kind: 'aggregate', source: 'https://fbl.seznam.cz/locale/en.js' },
  reputationScale: 'generic',
  replies: {
    ...POSTFIX_REPLIES,
  },
  sources: [
    'https://fbl.seznam.cz/locale/en.js',
    'https://emaillabs.io/en/sending-to-czech-republic-rules-introduced-by-seznam-cz/',
    POSTFIX_SOURCE,
  ],
};
