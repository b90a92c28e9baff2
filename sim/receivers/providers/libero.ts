/**
 * Italiaonline (libero.it, virgilio.it, inwind.it, iol.it, blu.it): Cloudmark CSI decides
 * reputation, and its block line names the internal host and `LIB_102` (facts §4). Limits and
 * feedback loop are not published; other texts are stock Postfix (@assumption).
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';
import { POSTFIX_REPLIES, POSTFIX_SOURCE } from './postfix-style.ts';

export const LIBERO: ProviderProfile = {
  id: 'libero',
  name: 'Libero and Virgilio (Italiaonline)',
  kind: 'provider',
  domains: ['libero.it', 'virgilio.it', 'inwind.it', 'iol.it', 'blu.it'],
  // CODE-IDX 61172441034, 70973174337 (via facts §4).
  mxHosts: ['smtp-in.libero.it', 'smtp-in.virgilio.it'],
  hostname: 'smtp-10.iol.local',
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
    source: '@assumption: Italiaonline publishes no rules in the facts',
  },
  spamHandling: 'folder',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    ...POSTFIX_REPLIES,
    // responses.jsonl libero blocklisted (Cloudmark CSI), the provider's one documented line.
    reputationBlock: ({ peerIp }) =>
      reply(
        550,
        null,
        `smtp-10.iol.local smtp-10.iol.local IP blacklisted by CSI. For remediation please use http://csi.cloudmark.com/reset-request/?ip=${peerIp} [smtp-10.iol.local; LIB_102]`,
      ),
  },
  sources: [
    'CODE-IDX 47530048582, 49466897185 (via ../shared/facts/isp-behaviors.md §4)',
    '../shared/facts/responses.jsonl (provider libero)',
    POSTFIX_SOURCE,
  ],
};
