/**
 * On-premise Microsoft Exchange: each company runs its own server at `mail.<domain>`, with
 * Exchange's resolver texts for unknown recipients and recipient-rate tarpitting. Small
 * servers that cannot take bursts answer real users with the resolver's "not found" when a
 * transport rule or connector filter refuses the sender.
 */
import { MINUTE_MS, reply } from '../../../kernel/index.ts';
import { sourced } from '../profile.ts';
import type { GatewayFamily } from './gateway.ts';

const NDR =
  'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online';
const SIS = 'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/microsoft.rb';

export const EXCHANGE_ONPREM: GatewayFamily = {
  id: 'exchange-onprem',
  mxHostsFor: (tenant) => [`mail.${tenant.domain}`],
  mxPattern: 'mail.<domain>',
  thresholds: {
    velocityPerTenantHour: sourced(
      60,
      'recipients per tenant per sending IP per hour',
      '@assumption: a single on-premise server; Exchange receive connectors default to 600 messages per minute per source, filtered far lower by add-on anti-spam',
    ),
    disguiseBands: ['low'],
  },
  asyncBounceDelayMs: sourced(MINUTE_MS, 'ms', '@assumption'),
  downstreamUnknown: () =>
    reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
  profile: {
    name: 'Microsoft Exchange (on-premise)',
    hostname: 'mail.corp.example',
    ehloExtensions: [
      'SIZE 37748736',
      'PIPELINING',
      'DSN',
      'ENHANCEDSTATUSCODES',
      'STARTTLS',
      '8BITMIME',
      'BINARYMIME',
      'CHUNKING',
    ],
    tls: 'offered',
    maxMessageBytes: sourced(
      36 * 1024 * 1024,
      'bytes',
      'https://learn.microsoft.com/exchange/mail-flow/message-size-limits (36 MB receive connector default)',
    ),
    admission: {
      connectionsPerIp: sourced(
        20,
        'connections',
        'https://learn.microsoft.com/exchange/mail-flow/connectors/receive-connectors (MaxInboundConnectionPerSource default 20)',
      ),
      messagesPerConnection: sourced(
        20,
        'messages',
        'https://learn.microsoft.com/exchange/mail-flow/connectors/receive-connectors (MaxMessagesPerConnection default 20)',
      ),
      newIpPerHour: sourced(600, 'recipients per hour', '@assumption'),
      maxPerHour: sourced(
        36_000,
        'recipients per hour',
        'https://learn.microsoft.com/exchange/mail-flow/connectors/receive-connectors (MessageRateLimit default 600 per minute)',
      ),
      rampFactor: sourced(2, '× last day clean volume / 24', '@assumption'),
    },
    greylist: null,
    authentication: {
      everyone: 'none',
      bulk: 'none',
      bulkPerDay: null,
      bulkNeedsDmarc: false,
      bulkNeedsOneClick: false,
      ptrRequired: false,
      enforceDmarcReject: false,
      onFailure: 'reject',
      source: '@assumption: on-premise Exchange rarely enforces DMARC without an add-on',
    },
    spamHandling: 'folder',
    feedbackLoop: null,
    bounceMail: {
      format: 'exchange',
      source:
        'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online (the NDR Exchange Server and Exchange Online write: "Delivery has failed to these recipients or groups", "Diagnostic information for administrators")',
    },
    reputationScale: 'generic',
    replies: {
      greeting: ({ hostname }) => reply(220, null, `${hostname} Microsoft ESMTP MAIL Service ready`),
      ehlo: ({ hostname, peerIp }) => reply(250, null, `${hostname} Hello [${peerIp}]`),
      mailOk: () => reply(250, '2.1.0', 'Sender OK'),
      rcptOk: () => reply(250, '2.1.5', 'Recipient OK'),
      dataOk: () => reply(250, '2.6.0', 'Queued mail for delivery'),
      // responses.jsonl microsoft-365 unknown-user (Exchange resolver), NDR reference.
      unknownUser: () =>
        reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
      mailboxDisabled: () => reply(550, '5.1.1', 'RESOLVER.ADR.ExRecipNotFound; not found'),
      mailboxFull: () => reply(452, '4.2.2', 'STOREDRV.Deliver; mailbox full'),
      // responses.jsonl microsoft-365 rate-limited (store driver thread limit).
      rateLimited: () => reply(432, '4.3.2', 'STOREDRV.Deliver; recipient thread limit exceeded'),
      tooManyConnections: () =>
        reply(
          421,
          '4.3.2',
          'The maximum number of concurrent server connections has exceeded a limit, closing transmission channel',
        ),
      reputationBlock: () =>
        reply(550, '5.7.1', 'TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy'),
      authFailure: () => reply(550, '5.7.23', 'The message was rejected because of Sender Policy Framework violation'),
      dmarcFailure: ({ senderDomain }) =>
        reply(550, '5.7.509', `Access denied, sending domain ${senderDomain} does not pass DMARC verification`),
      ptrFailure: () => reply(550, '5.7.1', 'Client does not have permissions to send as this sender'),
      tlsRequired: () => reply(530, '5.7.1', 'Client was not authenticated'),
      messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed maximum message size'),
      serverError: () => reply(451, '4.7.0', 'Temporary server error. Please try again later. PRX4'),
    },
    sources: [NDR, SIS, '../shared/facts/responses.jsonl (provider microsoft-365)'],
  },
};
