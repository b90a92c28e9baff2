/**
 * Mimecast: regional inbound sites (`<region>-smtp-inbound-1.mimecast.com`), greylisting that
 * reads like an outage (`451 Internal resource temporarily unavailable`), and `550 Invalid
 * Recipient` for recipients its directory sync does not know — the text real users get when
 * the account is set to reject rather than defer unknown internal users (facts §5, §6).
 */
import { HOUR_MS, MINUTE_MS, reply } from '../../../kernel/index.ts';
import { sourced } from '../profile.ts';
import type { GatewayFamily } from './gateway.ts';

const SIS = 'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/mimecast.rb';
const DOC = 'https://community.mimecast.com/s/article/Mimecast-SMTP-Error-Codes-842605754';
/** Mimecast's reference suffix: `[<id>.<region><n>]`. */
const ref = (token: string): string => `[${token}.us${100 + (token.charCodeAt(0) % 300)}]`;

export const MIMECAST: GatewayFamily = {
  id: 'mimecast',
  mxHostsFor: (tenant) => [
    `${tenant.region}-smtp-inbound-1.mimecast.com`,
    `${tenant.region}-smtp-inbound-2.mimecast.com`,
  ],
  mxPattern: '<region>-smtp-inbound-{1,2}.mimecast.com',
  thresholds: {
    velocityPerTenantHour: sourced(
      150,
      'recipients per tenant per sending IP per hour',
      '@assumption: Mimecast publishes no per-sender velocity threshold',
    ),
    disguiseBands: ['low'],
  },
  asyncBounceDelayMs: sourced(10 * MINUTE_MS, 'ms', '@assumption'),
  downstreamUnknown: ({ token }) =>
    reply(550, null, `Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 ${ref(token)}`),
  profile: {
    name: 'Mimecast',
    hostname: 'smtp-inbound.mimecast.com',
    ehloExtensions: ['SIZE 209715200', '8BITMIME', 'PIPELINING', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
    tls: 'offered',
    maxMessageBytes: sourced(
      200 * 1024 * 1024,
      'bytes',
      '@assumption: Mimecast account default size limits vary; 200 MB ceiling',
    ),
    admission: {
      connectionsPerIp: sourced(
        10,
        'connections',
        'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml (10 per regional site, "provided directly by Mimecast")',
      ),
      messagesPerConnection: sourced(100, 'messages', 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml'),
      newIpPerHour: sourced(500, 'recipients per hour', '@assumption'),
      maxPerHour: sourced(100_000, 'recipients per hour', '@assumption'),
      rampFactor: sourced(2, '× last day clean volume / 24', '@assumption'),
    },
    greylist: {
      delayMs: sourced(MINUTE_MS, 'ms', `${SIS} ("retry between one minute and 12 hours")`),
      memoryMs: sourced(36 * HOUR_MS, 'ms', '@assumption: Postgrey-style triplet memory'),
    },
    authentication: {
      everyone: 'none',
      bulk: 'none',
      bulkPerDay: null,
      bulkNeedsDmarc: false,
      bulkNeedsOneClick: false,
      ptrRequired: false,
      enforceDmarcReject: true,
      onFailure: 'reject',
      source: `${SIS} (DMARC Sender Invalid)`,
    },
    spamHandling: 'folder',
    feedbackLoop: null,
    reputationScale: 'generic',
    replies: {
      greeting: () => reply(220, null, 'smtp-inbound.mimecast.com ESMTP'),
      ehlo: ({ peerIp }) => reply(250, null, `smtp-inbound.mimecast.com Hello [${peerIp}]`),
      mailOk: () => reply(250, null, 'Sender OK'),
      rcptOk: () => reply(250, null, 'Recipient OK'),
      dataOk: ({ token }) => reply(250, null, `Ok: queued as ${token}`),
      // responses.jsonl mimecast unknown-user; the same words for unsynced real users (facts §6).
      unknownUser: ({ token }) =>
        reply(550, null, `Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 ${ref(token)}`),
      mailboxDisabled: ({ token }) =>
        reply(550, null, `Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 ${ref(token)}`),
      // responses.jsonl mimecast server-error.
      mailboxFull: () => reply(451, null, 'Recipient temporarily unavailable'),
      rateLimited: () => reply(451, null, 'Account service is temporarily unavailable'),
      tooManyConnections: () => reply(451, null, 'Account service is temporarily unavailable'),
      // responses.jsonl mimecast reputation-block.
      reputationBlock: ({ token }) =>
        reply(
          550,
          null,
          `csi.mimecast.org Poor Reputation Sender. - https://community.mimecast.com/docs/DOC-1369#550 ${ref(token)}`,
        ),
      authFailure: () => reply(550, null, 'SPF Sender Invalid - envelope rejected.'),
      dmarcFailure: () => reply(550, null, 'DMARC Sender Invalid - envelope rejected'),
      // @assumption: Mimecast documents no PTR refusal; its reputation line stands in.
      ptrFailure: () => reply(550, null, 'Local CT IP Reputation - (reject)'),
      tlsRequired: () => reply(553, null, 'This route requires encryption (TLS)'),
      // @assumption: Postfix-style size refusal.
      messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed maximum message size'),
      serverError: () => reply(421, null, 'Unable to process connection at this time'),
      greylisted: ({ token }) =>
        reply(
          451,
          null,
          `Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 ${ref(token)}`,
        ),
    },
    sources: [
      SIS,
      DOC,
      'https://mimecastsupport.zendesk.com/hc/en-us/articles/34000823077139',
      '../shared/facts/responses.jsonl (provider mimecast)',
    ],
  },
};
