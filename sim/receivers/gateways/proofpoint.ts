/**
 * Proofpoint (PPS / Proofpoint on Demand): per-customer MX hosts `mx0a-<id>.pphosted.com`,
 * Proofpoint Dynamic Reputation blocks, Postfix-style recipient verification, and its sticky
 * invalid list: once an address was refused it stays refused ("User email address is marked
 * as invalid") until an administrator clears it — real users included (facts §5, §6).
 */
import { MINUTE_MS, reply } from '../../../kernel/index.ts';
import { sourced } from '../profile.ts';
import type { GatewayFamily } from './gateway.ts';

const SMTPC = 'fm/smtp-codes@f506d34:data/codes/*.json (https://smtp.codes)';
const ZMTA = 'zone-eu/zone-mta@cf94b99:config/bounces.txt';

export const PROOFPOINT: GatewayFamily = {
  id: 'proofpoint',
  // `*.pphosted.com` per customer is common knowledge, not confirmed by the facts (§9).
  mxHostsFor: (tenant) => [`mx0a-00${tenant.number}.pphosted.com`, `mx0b-00${tenant.number}.pphosted.com`],
  mxPattern: 'mx0{a,b}-00<customer>.pphosted.com',
  thresholds: {
    velocityPerTenantHour: sourced(
      200,
      'recipients per tenant per sending IP per hour',
      '@assumption: "rapid volume growth" triggers PDR (suped.com Proofpoint articles, facts §5)',
    ),
    disguiseBands: ['low'],
  },
  asyncBounceDelayMs: sourced(15 * MINUTE_MS, 'ms', '@assumption: downstream probe then bounce'),
  // responses.jsonl proofpoint unknown-user: the downstream server's refusal, quoted.
  downstreamUnknown: ({ recipient }) =>
    reply(
      550,
      '5.1.1',
      `<${recipient}>: Recipient address rejected: undeliverable address: host mail.internal[10.0.0.25] said: 550 5.1.1 <${recipient}>: Recipient address rejected: user unknown`,
    ),
  stickyInvalid: ({ recipient }) =>
    reply(550, '5.7.1', `<${recipient}>: Recipient address rejected: User email address is marked as invalid.`),
  profile: {
    name: 'Proofpoint',
    hostname: 'mx0a.pphosted.com',
    ehloExtensions: ['PIPELINING', 'SIZE 52428800', 'ETRN', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME', 'DSN'],
    tls: 'offered',
    maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption: common PPS message size limit'),
    admission: {
      connectionsPerIp: sourced(10, 'connections', '@assumption: Proofpoint publishes no number'),
      messagesPerConnection: sourced(100, 'messages', '@assumption'),
      newIpPerHour: sourced(500, 'recipients per hour', '@assumption'),
      maxPerHour: sourced(100_000, 'recipients per hour', '@assumption'),
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
      enforceDmarcReject: true,
      onFailure: 'reject',
      source: `${SMTPC} (550 5.7.0 Email rejected per sender's DMARC policy)`,
    },
    spamHandling: 'folder',
    feedbackLoop: null,
    bounceMail: {
      format: 'sendmail',
      source:
        "@assumption: Proofpoint Protection Server relays with Sendmail, so its DSNs have Sendmail's notice and transcript",
    },
    reputationScale: 'generic',
    replies: {
      greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP mfa-m0000000`),
      ehlo: ({ hostname }) => reply(250, null, hostname),
      mailOk: () => reply(250, '2.1.0', 'Ok'),
      rcptOk: () => reply(250, '2.1.5', 'Ok'),
      dataOk: ({ token }) => reply(250, '2.0.0', `${token} Message accepted for delivery`),
      // responses.jsonl proofpoint unknown-user (Postfix-style verification).
      unknownUser: ({ recipient }) => reply(550, '5.1.1', `<${recipient}>: Recipient address rejected: User unknown`),
      mailboxDisabled: ({ recipient }) =>
        reply(550, '5.1.1', `<${recipient}>: Recipient address rejected: User unknown`),
      // responses.jsonl proofpoint server-error: downstream verification still running.
      mailboxFull: ({ recipient }) =>
        reply(
          421,
          '4.1.1',
          `<${recipient}>: Recipient address rejected: unverified address: Address verification in progress`,
        ),
      // @assumption: Postfix anvil-style rate refusal as PPS answers it.
      rateLimited: () => reply(421, '4.7.0', 'Error: too many messages, slow down'),
      // responses.jsonl bytecamp (Postfix) too-many-connections, the MTA PPS is built on.
      tooManyConnections: ({ peerIp }) => reply(421, '4.7.0', `Error: too many connections from ${peerIp}`),
      // responses.jsonl proofpoint reputation-block (PDR).
      reputationBlock: ({ peerIp }) =>
        reply(550, '5.7.0', `Blocked - see https://ipcheck.proofpoint.com/?ip=${peerIp}`),
      // @assumption: PPS SPF module text.
      authFailure: () => reply(550, '5.7.1', 'SPF check failed'),
      dmarcFailure: () => reply(550, '5.7.0', "Email rejected per sender's DMARC policy"),
      ptrFailure: ({ peerIp }) =>
        reply(550, '5.7.1', `Service unavailable; client [${peerIp}] blocked using prs.proofpoint.com`),
      tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
      messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
      serverError: () => reply(451, '4.3.0', 'Temporary server error. Please try again later'),
    },
    sources: [
      SMTPC,
      ZMTA,
      'https://www.spambrella.com (Proofpoint SMTP Discovery invalid list FAQ)',
      '../shared/facts/responses.jsonl (provider proofpoint)',
    ],
  },
};
