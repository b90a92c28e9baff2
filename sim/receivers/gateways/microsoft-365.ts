/**
 * Microsoft 365 / Exchange Online Protection in front of corporate tenants. Directory-based
 * edge blocking (DBEB) answers unknown recipients `550 5.4.1 … AS(201806281)`, and the same
 * words come back for real users when a policy refuses them (facts §5, §6): the classic bogus
 * hard bounce. Tenants without DBEB accept and the mailbox tier bounces later (5.1.10).
 */
import { MINUTE_MS, reply } from '../../../kernel/index.ts';
import { sourced } from '../profile.ts';
import type { GatewayFamily } from './gateway.ts';

const SMTPC = 'fm/smtp-codes@f506d34:data/codes/*.json (https://smtp.codes)';
const SIS = 'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/microsoft.rb';
/** The EOP front-end host named in brackets at the end of its replies. */
const frontEnd = (token: string): string =>
  `[${token.slice(0, 4).toUpperCase()}NAM02FT${token.slice(4, 7).toUpperCase()}.eop-nam02.prod.protection.outlook.com]`;

export const MICROSOFT_365: GatewayFamily = {
  id: 'microsoft-365',
  mxHostsFor: (tenant) => [`${tenant.domain.replace(/\./g, '-')}.mail.protection.outlook.com`],
  mxPattern: '<domain-with-dashes>.mail.protection.outlook.com',
  thresholds: {
    velocityPerTenantHour: sourced(
      300,
      'recipients per tenant per sending IP per hour',
      '@assumption: EOP publishes no inbound threshold; suspicious-volume restrictions (4.7.500-699) exist (SIS microsoft.rb)',
    ),
    disguiseBands: ['low'],
  },
  asyncBounceDelayMs: sourced(5 * MINUTE_MS, 'ms', '@assumption: the mailbox tier answers within minutes'),
  // learn.microsoft.com NDR reference via facts §7: the mailbox tier's NDR.
  downstreamUnknown: () =>
    reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
  profile: {
    name: 'Microsoft 365 (Exchange Online Protection)',
    hostname: 'mail.protection.outlook.com',
    ehloExtensions: [
      'SIZE 157286400',
      'PIPELINING',
      'DSN',
      'ENHANCEDSTATUSCODES',
      'STARTTLS',
      '8BITMIME',
      'BINARYMIME',
      'CHUNKING',
      'SMTPUTF8',
    ],
    tls: 'offered',
    maxMessageBytes: sourced(
      150 * 1024 * 1024,
      'bytes',
      'https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits (150 MB)',
    ),
    admission: {
      connectionsPerIp: sourced(
        5,
        'connections',
        'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml (mail.protection.outlook.com: 5)',
      ),
      messagesPerConnection: sourced(50, 'messages', 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml'),
      newIpPerHour: sourced(
        1_000,
        'recipients per hour',
        '@assumption: EOP throttles unknown IPs less than consumer Outlook',
      ),
      maxPerHour: sourced(200_000, 'recipients per hour', '@assumption'),
      rampFactor: sourced(2, '× last day clean volume / 24', '@assumption: as the consumer providers'),
    },
    greylist: null,
    authentication: {
      everyone: 'none',
      bulk: 'none',
      bulkPerDay: null,
      bulkNeedsDmarc: false,
      bulkNeedsOneClick: false,
      ptrRequired: false,
      enforceDmarcReject: true,
      onFailure: 'reject',
      source: `${SIS} (5.7.509 DMARC); EOP honours p=reject`,
    },
    spamHandling: 'folder',
    feedbackLoop: null,
    bounceMail: {
      format: 'exchange',
      source:
        'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online (facts §7: the mailbox tier generates the NDR later)',
    },
    reputationScale: 'snds',
    replies: {
      greeting: ({ token }) =>
        reply(
          220,
          null,
          `${token.slice(0, 8).toUpperCase()}.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready`,
        ),
      ehlo: ({ peerIp }) => reply(250, null, `mail.protection.outlook.com Hello [${peerIp}]`),
      mailOk: () => reply(250, '2.1.0', 'Sender OK'),
      rcptOk: () => reply(250, '2.1.5', 'Recipient OK'),
      dataOk: ({ token }) =>
        reply(250, '2.6.0', `<${token}@mail.protection.outlook.com> [InternalId=${token}] Queued mail for delivery`),
      // responses.jsonl microsoft-365 unknown-user (DBEB), SMTPC; the same words disguise policy refusals.
      unknownUser: ({ token }) =>
        reply(550, '5.4.1', `Recipient address rejected: Access denied. AS(201806281) ${frontEnd(token)}`),
      mailboxDisabled: () =>
        reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
      // SIS: mailbox full from the store driver.
      mailboxFull: () => reply(452, '4.2.2', 'STOREDRV.Deliver; mailbox full'),
      // SIS 451 4.7.500-699: suspicious activity, IP restricted while evaluated.
      rateLimited: ({ peerIp }) =>
        reply(451, '4.7.500', `Server busy. Please try again later from [${peerIp}]. (AS761)`),
      // responses.jsonl microsoft-365 too-many-connections.
      tooManyConnections: () =>
        reply(
          421,
          '4.3.2',
          'The maximum number of concurrent connections per resource forest has exceeded a limit, closing transmission channel. PRX8',
        ),
      // responses.jsonl microsoft-365 reputation-block 5.7.606.
      reputationBlock: ({ peerIp }) =>
        reply(
          550,
          '5.7.606',
          `Access denied, banned sending IP [${peerIp}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)`,
        ),
      // responses.jsonl microsoft-365 5.7.23.
      authFailure: () => reply(550, '5.7.23', 'The message was rejected because of Sender Policy Framework violation'),
      // responses.jsonl microsoft-365 5.7.509.
      dmarcFailure: ({ senderDomain }) =>
        reply(550, '5.7.509', `Access denied, sending domain ${senderDomain} does not pass DMARC verification`),
      // SIS: 5.7.25 is the reverse-DNS rule (stated for IPv6).
      ptrFailure: ({ peerIp }) =>
        reply(550, '5.7.25', `Access denied, the sending IP address [${peerIp}] must have a reverse DNS record`),
      // @assumption: EOP's TLS-enforcing connector text.
      tlsRequired: () => reply(451, '5.7.3', 'STARTTLS is required to send mail'),
      messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed maximum message size'),
      serverError: () => reply(451, '4.7.0', 'Temporary server error. Please try again later. PRX6'),
    },
    sources: [
      SIS,
      SMTPC,
      'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online',
      '../shared/facts/isp-behaviors.md §5-7',
    ],
  },
};
