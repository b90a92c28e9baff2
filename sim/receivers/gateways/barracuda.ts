/**
 * Barracuda Email Security (ESS / ESG): `d<id>a.ess.barracudanetworks.com`, greylisting for
 * five minutes, `cuda_nsu` (no such user) recipient rejections, and the "(user:blocked)" line
 * that senders read as an invalid recipient though it is a content or policy block (facts §5,
 * §6; research/engines.md §8.3).
 */
import { HOUR_MS, MINUTE_MS, reply } from '../../../kernel/index.ts';
import { sourced } from '../profile.ts';
import type { GatewayFamily } from './gateway.ts';

const SMTPC = 'fm/smtp-codes@f506d34:data/codes/*.json (https://smtp.codes)';
const KUMO_C = 'KumoCorp/kumomta@3ebc1e8:assets/community/shaping.toml';

export const BARRACUDA: GatewayFamily = {
  id: 'barracuda',
  // The ESS naming pattern; `*.barracudanetworks.com` is confirmed by KUMO-C.
  mxHostsFor: (tenant) => [
    `d${tenant.number}a.ess.barracudanetworks.com`,
    `d${tenant.number}b.ess.barracudanetworks.com`,
  ],
  mxPattern: 'd<customer>{a,b}.ess.barracudanetworks.com',
  thresholds: {
    velocityPerTenantHour: sourced(
      120,
      'recipients per tenant per sending IP per hour',
      '@assumption: ESG rate control defaults to 50 connections per IP per 30 minutes; recipients are the closer proxy',
    ),
    disguiseBands: ['low'],
  },
  asyncBounceDelayMs: sourced(
    10 * MINUTE_MS,
    'ms',
    `${SMTPC} (421 "followed by the bounce received from one of the intended recipients")`,
  ),
  // Barracuda passes on "the bounce received from one of the intended recipients" (facts §7).
  bouncesWrittenDownstream: true,
  downstreamUnknown: ({ recipient }) =>
    reply(550, null, `permanent failure for one or more recipients (${recipient}:blocked)`),
  profile: {
    name: 'Barracuda Email Security',
    hostname: 'ess.barracudanetworks.com',
    ehloExtensions: ['PIPELINING', 'SIZE 100000000', 'STARTTLS', '8BITMIME'],
    tls: 'offered',
    maxMessageBytes: sourced(100_000_000, 'bytes', '@assumption: ESS default maximum message size'),
    admission: {
      connectionsPerIp: sourced(10, 'connections', `${KUMO_C} (barracudanetworks.com: 10 connections)`),
      messagesPerConnection: sourced(15, 'messages', `${KUMO_C} (15 messages per connection)`),
      newIpPerHour: sourced(300, 'recipients per hour', '@assumption'),
      maxPerHour: sourced(50_000, 'recipients per hour', '@assumption'),
      rampFactor: sourced(2, '× last day clean volume / 24', '@assumption'),
    },
    greylist: {
      delayMs: sourced(5 * MINUTE_MS, 'ms', `${SMTPC} (451 4.7.1 … Greylisted for 5 minutes)`),
      memoryMs: sourced(36 * HOUR_MS, 'ms', '@assumption'),
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
      source: `${SMTPC} (550 rejecting spoofed message)`,
    },
    spamHandling: 'folder',
    feedbackLoop: null,
    reputationScale: 'generic',
    replies: {
      greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP (Barracuda)`),
      ehlo: ({ hostname, peerIp }) => reply(250, null, `${hostname} Hello [${peerIp}]`),
      mailOk: () => reply(250, null, 'Ok'),
      rcptOk: () => reply(250, null, 'Ok'),
      dataOk: ({ token }) => reply(250, null, `Ok: queued as ${token}`),
      // responses.jsonl barracuda unknown-user.
      unknownUser: ({ recipient }) =>
        reply(550, null, `cuda_nsu 5.1.1 <${recipient}> Recipient address rejected: User unknown`),
      mailboxDisabled: ({ recipient }) => reply(550, null, `No such user (${recipient})`),
      mailboxFull: () => reply(451, null, 'cuda_nsu 4.4.3 Temporary server error. Please try again later'),
      // responses.jsonl barracuda policy-block (rate control, "Abuse").
      rateLimited: ({ recipient }) =>
        reply(
          450,
          null,
          `cuda_nsu 4.7.1 <${recipient}>: Recipient address rejected: Policy Rejection- Abuse. Go away.`,
        ),
      tooManyConnections: () => reply(421, null, 'Temporary failure, please try again later.'),
      // responses.jsonl barracuda blocklisted (BRBL).
      reputationBlock: ({ peerIp }) =>
        reply(
          554,
          '5.7.1',
          `Service unavailable; Client host [${peerIp}] blocked using b.barracudacentral.org; http://www.barracudanetworks.com/reputation/?pr=1&ip=${peerIp}`,
        ),
      authFailure: () => reply(550, null, 'rejecting spoofed message'),
      dmarcFailure: () => reply(550, null, 'rejecting spoofed message'),
      // @assumption: ESS PTR check answers with its plain block line.
      ptrFailure: () => reply(550, null, 'Blocked'),
      tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
      messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
      serverError: () => reply(421, null, 'Temporary failure, please try again later.'),
      greylisted: ({ recipient }) =>
        reply(451, '4.7.1', `<${recipient}>: Recipient address rejected: Greylisted for 5 minutes`),
    },
    sources: [
      SMTPC,
      KUMO_C,
      'zone-eu/zone-mta@cf94b99:config/bounces.txt',
      '../shared/facts/responses.jsonl (provider barracuda)',
    ],
  },
};
