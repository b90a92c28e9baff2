/**
 * Cisco Secure Email (IronPort, hosted `esa<n>.<customer>.iphmx.com`): SenderBase reputation in
 * the host access table, hourly recipient throttling per sending IP (hosts with no SenderBase
 * score get little), LDAP recipient validation, and directory harvest attack prevention: past
 * a threshold of invalid recipients per hour every further recipient is refused, valid or not
 * (facts §5, §6).
 */
import { MINUTE_MS, reply } from '../../../kernel/index.ts';
import { sourced } from '../profile.ts';
import type { GatewayFamily } from './gateway.ts';

const GUIDE = 'Cisco AsyncOS user guide (host access table, DHAP; manualsbrain.com copies)';
const SMTPC = 'fm/smtp-codes@f506d34:data/codes/*.json (https://smtp.codes)';
const FORUM = 'supportforums.cisco.com "Invalid Recipients - over 50% of daily volume" (DHAP)';

export const CISCO_SECURE_EMAIL: GatewayFamily = {
  id: 'cisco-secure-email',
  mxHostsFor: (tenant) => [`esa1.${tenant.slug}.iphmx.com`, `esa2.${tenant.slug}.iphmx.com`],
  mxPattern: 'esa{1,2}.<customer>.iphmx.com',
  thresholds: {
    velocityPerTenantHour: sourced(
      100,
      'recipients per tenant per sending IP per hour',
      '@assumption: HAT throttling policies are per listener and configurable',
    ),
    disguiseBands: ['low'],
  },
  harvestPrevention: sourced(
    10,
    'invalid recipients per tenant per sending IP per hour',
    `${FORUM} ("≈ 10 is typical")`,
  ),
  asyncBounceDelayMs: sourced(5 * MINUTE_MS, 'ms', `${FORUM} (without LDAP accept the internal server bounces later)`),
  bouncesWrittenDownstream: true,
  downstreamUnknown: ({ recipient }) => reply(550, '5.1.1', `<${recipient}>... User unknown`),
  profile: {
    name: 'Cisco Secure Email',
    hostname: 'esa1.iphmx.com',
    ehloExtensions: ['8BITMIME', 'SIZE 10485760', 'STARTTLS'],
    tls: 'offered',
    maxMessageBytes: sourced(10 * 1024 * 1024, 'bytes', `${GUIDE} (default maximum message size 10 MB)`),
    admission: {
      connectionsPerIp: sourced(10, 'connections', `${GUIDE} (HAT default max concurrent connections per IP)`),
      messagesPerConnection: sourced(10, 'messages', `${GUIDE} (HAT default max messages per connection)`),
      newIpPerHour: sourced(
        10,
        'recipients per hour',
        'https://utsubdev2.service-now.com/utss/KAhome.do?number=KB0011414 (hosts without a SenderBase score: 10 recipients/hour)',
      ),
      maxPerHour: sourced(20_000, 'recipients per hour', '@assumption: a trusted HAT policy'),
      rampFactor: sourced(
        2,
        '× last day clean volume / 24',
        '@assumption: SenderBase scores improve with clean volume',
      ),
      // The Host Access Table applies the SBRS when the connection opens (facts/isp-behaviors.md, Cisco).
      reputationGate: {
        stage: 'connect',
        source:
          '../shared/facts/isp-behaviors.md (Cisco: connection-time reputation, SenderBase/Talos SBRS in the Host Access Table)',
      },
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
      source: `${GUIDE} (SPF and DMARC verification)`,
    },
    spamHandling: 'folder',
    feedbackLoop: null,
    reputationScale: 'generic',
    replies: {
      greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP`),
      ehlo: ({ hostname }) => reply(250, null, hostname),
      mailOk: () => reply(250, null, 'sender ok'),
      rcptOk: ({ recipient }) => reply(250, null, `recipient <${recipient}> ok`),
      dataOk: ({ token }) => reply(250, null, `ok:  Message ${parseInt(token.slice(0, 6), 36)} accepted`),
      // AsyncOS LDAP accept-query rejection (default text).
      unknownUser: () => reply(550, null, '#5.1.0 Address rejected.'),
      mailboxDisabled: () => reply(550, null, '#5.1.0 Address rejected.'),
      // @assumption: the internal server's over-quota answer relayed.
      mailboxFull: () => reply(452, '4.2.2', 'Mailbox full'),
      // responses.jsonl cisco-secure-email rate-limited (HAT throttling).
      rateLimited: () => reply(452, null, 'Too many recipients received this hour (throttled)'),
      tooManyConnections: () =>
        reply(421, null, 'Too many concurrent SMTP connections from this IP address; please try again later.'),
      // responses.jsonl cisco-secure-email reputation-block (SBRS).
      reputationBlock: ({ hostname, peerIp }) =>
        reply(
          554,
          null,
          `${hostname} Your access to this mail system from [${peerIp}] has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.`,
        ),
      authFailure: () => reply(550, null, '#5.7.1 SPF unauthorized mail is prohibited.'),
      dmarcFailure: () => reply(550, null, '#5.7.1 DMARC policy violation'),
      ptrFailure: () =>
        reply(550, null, '#5.7.1 Your access to submit messages to this e-mail system has been rejected.'),
      tlsRequired: () => reply(530, null, 'Must issue a STARTTLS command first'),
      messageTooLarge: () => reply(552, null, '#5.3.4 message size exceeds limit'),
      serverError: () => reply(451, null, '#4.4.3 Temporary error occurred during SPF verification.'),
    },
    sources: [
      GUIDE,
      FORUM,
      SMTPC,
      'zone-eu/zone-mta@cf94b99:config/bounces.txt',
      '../shared/facts/responses.jsonl (provider cisco-secure-email)',
    ],
  },
};
