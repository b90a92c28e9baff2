/**
 * SFR (sfr.fr, neuf.fr, club-internet.fr, numericable.fr … about 25 domains): one platform behind
 * one MX, Vade filtering, a Postfix front end (`421 4.7.0 <host> Error: too many errors` is
 * Postfix's own wording), `SFR_IN_xNN` blocks (01 spam, 02 virus, 03 protocol errors, 04 unknown
 * users, 05 volume) that each last two hours, two connections per IP (facts §2, §4; secondary).
 * The SFR_IN wordings are known only through vendor summaries, so those texts are reconstructed.
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';
import { POSTFIX_REPLIES, POSTFIX_SOURCE } from './postfix-style.ts';

const PM = 'https://www.postmastery.com/all-about-isp-sfr-and-smtp-error-codes-sfr_in_xxx/';
const BENTO = 'https://bentonow.com/smtp-errors/sfr (secondary, derived from postmastery)';
/** An ESP's bounce map quoting SFR's content refusal. */
const BOUNCE_MAP = 'public code index, find_string id 49466897185 (ESP bounce map for sfr.fr/neuf.fr/numericable.fr)';

export const SFR: ProviderProfile = {
  id: 'sfr',
  name: 'SFR',
  kind: 'provider',
  // BENTO's list of SFR Grand Public domains, all on one infrastructure and one policy.
  domains: [
    'sfr.fr',
    'neuf.fr',
    'club-internet.fr',
    'numericable.fr',
    'numericable.com',
    'cegetel.net',
    'noos.fr',
    '9online.fr',
    '9business.fr',
    'club.fr',
    'sfr.net',
    'akeonet.com',
    'cario.fr',
    'evc.net',
    'evhr.net',
    'guideo.fr',
    'mageos.com',
    'modulonet.fr',
    'netspeed.fr',
    'numericable-caraibes.fr',
    'sequalum.net',
    'tv-com.net',
    'valvision.fr',
    'waika9.com',
  ],
  // facts §4: one MX for every SFR domain.
  mxHosts: ['smtp-in.sfr.fr'],
  // The node named in SFR's own "too many errors" line (responses.jsonl sfr).
  hostname: 'msfrf2604.sfr.fr',
  // @assumption: a stock Postfix EHLO.
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', 'ENHANCEDSTATUSCODES', '8BITMIME', 'STARTTLS'],
  tls: 'offered',
  maxMessageBytes: sourced(
    50 * 1024 * 1024,
    'bytes',
    '@assumption: SFR publishes no size limit; French ISPs accept 45-50 MB',
  ),
  admission: {
    connectionsPerIp: sourced(2, 'connections', `${BENTO} (two connections per IP)`),
    messagesPerConnection: sourced(
      100,
      'messages',
      '@assumption: SFR publishes none; Orange and La Poste take 100 (facts §2)',
    ),
    newIpPerHour: sourced(
      400,
      'recipients per hour',
      `@assumption: SFR_IN_x05 is a volume limit with its own threshold (${PM}), figure unpublished`,
    ),
    maxPerHour: sourced(
      15_000,
      'recipients per hour',
      '@assumption: a national ISP accepts far less per IP than Gmail or Outlook',
    ),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption: slower than the US providers'),
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
    source: `@assumption: SFR publishes no authentication rules (${PM} and ${BENTO} name none); the common French-ISP baseline: SPF or DKIM, a PTR, DMARC p=reject honoured`,
  },
  spamHandling: 'folder',
  // facts §3: Signal Spam aggregated CSV since 2013, ARF through Validity since 2022.
  feedbackLoop: { name: 'Validity Universal Feedback Loop (ARF) / Signal Spam', kind: 'arf', source: PM },
  reputationScale: 'generic',
  replies: {
    // POSTFIX_REPLIES (@assumption: stock Postfix) for greeting, EHLO, 2xx, unknown user,
    // disabled, full, DMARC, PTR, TLS, size and server error; SFR's own and reconstructed lines below.
    ...POSTFIX_REPLIES,
    // @assumption: SFR_IN_x05 (volume limit), reconstructed from BENTO's summary of SFR_IN_101
    // ("450 4.7.1 SFR_IN_101 Service refused due to bad behavior - Too many spam messages").
    rateLimited: () => reply(450, '4.7.1', 'SFR_IN_105 Service refused due to bad behavior - Volume limit exceeded'),
    // @assumption: Postfix's anvil wording with the node name, as in SFR's own "too many errors" line.
    tooManyConnections: ({ hostname, peerIp }) =>
      reply(421, '4.7.0', `${hostname} Error: too many connections from ${peerIp}`),
    // @assumption: Postfix has no per-connection message text; its message-rate refusal.
    tooManyMessages: ({ peerIp }) => reply(450, '4.7.1', `Error: too much mail from ${peerIp}`),
    // @assumption: SFR_IN_x01 (too much spam), code, enhanced code and words as BENTO summarises them.
    reputationBlock: () =>
      reply(450, '4.7.1', 'SFR_IN_101 Service refused due to bad behavior - Too many spam messages'),
    // Closest real line: SFR's only documented DATA-time refusal (BOUNCE_MAP); Vade treats
    // unauthenticated bulk as spam and SFR publishes no authentication text.
    authFailure: ({ token }) => reply(550, '5.7.1', `Email ${token} rejected per SPAM policy`),
    // BOUNCE_MAP: SFR's content refusal (unused while SFR files spam rather than refusing it).
    contentSpam: ({ token }) => reply(550, '5.7.1', `Email ${token} rejected per SPAM policy`),
  },
  sources: [
    PM,
    BENTO,
    BOUNCE_MAP,
    POSTFIX_SOURCE,
    '../shared/facts/responses.jsonl (provider sfr)',
    '../shared/facts/isp-behaviors.md §2-4',
  ],
};
