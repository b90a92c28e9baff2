/**
 * Outlook.com (outlook.com, hotmail.*, live.*, msn.com): Microsoft's consumer mail. New IPs get
 * `451 4.7.650 … rate limited due to IP reputation (S775)` even at a few thousand a day, the
 * S3150 block list refuses bad IPs, and since 2025-05-05 domains sending more than 5,000 a day
 * must pass SPF, DKIM and DMARC or get `550 5.7.515` (facts §1, §4). Reputation in SNDS colours;
 * complaints go out through JMRP as ARF.
 */
import { reply } from '../../smtp/reply.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const MS_POL = 'https://sendersupport.olc.protection.outlook.com/pm/policies.aspx';
const MS_TRB = 'https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx';
const MS_HVS = 'Microsoft Defender for Office 365 blog "Outlook\'s New Requirements for High-Volume Senders" (2025-04-02, updated 04-29)';
const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml';

export const OUTLOOK: ProviderProfile = {
  id: 'outlook',
  name: 'Outlook.com',
  kind: 'provider',
  domains: ['outlook.com', 'outlook.fr', 'hotmail.com', 'hotmail.fr', 'hotmail.co.uk', 'live.com', 'live.fr', 'msn.com'],
  // The consumer MX: `<domain>.olc.protection.outlook.com` (KUMO-X suffix).
  mxHosts: ['outlook-com.olc.protection.outlook.com'],
  hostname: 'outlook-com.olc.protection.outlook.com',
  ehloExtensions: ['SIZE 49283072', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES', 'STARTTLS', '8BITMIME', 'BINARYMIME', 'CHUNKING', 'SMTPUTF8'],
  tls: 'offered',
  maxMessageBytes: sourced(49_283_072, 'bytes', '@assumption: the SIZE Outlook.com advertises in observed EHLO answers'),
  admission: {
    connectionsPerIp: sourced(5, 'connections', `${KUMO_X} (5 connections provider-wide); ${MS_POL} allows ≤ 500 without arrangement`),
    messagesPerConnection: sourced(50, 'messages', KUMO_X),
    newIpPerHour: sourced(833, 'recipients per hour', 'SparkPost "IP Warm-up Overview": Outlook caps new senders at ~20,000/day in week one (peers.md §8)'),
    maxPerHour: sourced(300_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(2, '× last day clean volume / 24', `${MS_TRB}: "A new IP can expect to be fully ramped within a couple of weeks or sooner"`),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(5_000, 'messages per day per sending domain', MS_HVS),
    bulkNeedsDmarc: true,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${MS_POL}; ${MS_HVS}`,
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Junk Mail Reporting Program (JMRP)', kind: 'arf', source: 'https://sendersupport.olc.protection.outlook.com/pm/services.aspx' },
  reputationScale: 'snds',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} Microsoft ESMTP MAIL Service ready`),
    ehlo: ({ hostname, peerIp }) => reply(250, null, `${hostname} Hello [${peerIp}]`),
    mailOk: () => reply(250, '2.1.0', 'Sender OK'),
    rcptOk: () => reply(250, '2.1.5', 'Recipient OK'),
    dataOk: ({ token }) => reply(250, '2.6.0', `<${token}@outlook.com> Queued mail for delivery`),
    // responses.jsonl outlook.com unknown-user.
    unknownUser: () => reply(550, '5.5.0', 'Requested action not taken: mailbox unavailable.'),
    // @assumption: Outlook.com answers closed accounts with the same words.
    mailboxDisabled: () => reply(550, '5.5.0', 'Requested action not taken: mailbox unavailable.'),
    // responses.jsonl outlook.com rate-limited (per-recipient hourly limit), the nearest documented line.
    mailboxFull: () => reply(554, '5.2.122', 'The recipient has exceeded their limit for the number of messages they can receive per hour.'),
    // responses.jsonl outlook.com 451 4.7.650 (S775).
    rateLimited: ({ peerIp }) =>
      reply(451, '4.7.650', `The mail server [${peerIp}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)`),
    // responses.jsonl outlook.com 451 4.7.652.
    tooManyConnections: ({ peerIp }) => reply(451, '4.7.652', `The mail server [${peerIp}] has exceeded the maximum number of connections.`),
    // responses.jsonl outlook.com 421 RP-002 (per-connection rate).
    tooManyMessages: () =>
      reply(421, null, 'RP-002 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed on this connection. Reason for rate limitation is related to IP/domain reputation.'),
    // responses.jsonl outlook.com reputation-block (S3150).
    reputationBlock: ({ peerIp }) =>
      reply(
        550,
        '5.7.1',
        `Unfortunately, messages from [${peerIp}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.`,
      ),
    // responses.jsonl outlook.com 550 5.7.515 (also what unauthenticated mail gets since 2025).
    authFailure: ({ senderDomain }) => reply(550, '5.7.515', `Access denied, sending domain ${senderDomain} does not meet the required authentication level.`),
    // responses.jsonl microsoft-365 5.7.509 (the same Exchange Online stack).
    dmarcFailure: ({ senderDomain }) => reply(550, '5.7.509', `Access denied, sending domain ${senderDomain} does not pass DMARC verification`),
    // responses.jsonl outlook.com DY-001: hosts without proper reverse DNS are treated as dynamic.
    ptrFailure: () =>
      reply(550, null, "DY-001 Mail rejected by Outlook.com for policy reasons. We generally do not accept email from dynamic IP's as they are not typically used to deliver unauthenticated SMTP email to an Internet mail server."),
    // @assumption: Exchange Online's TLS-required text.
    tlsRequired: () => reply(451, '5.7.3', 'STARTTLS is required to send mail'),
    // responses.jsonl microsoft-365 552 5.3.4.
    messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed maximum message size'),
    // responses.jsonl outlook.com server-error.
    serverError: () => reply(451, '4.7.0', 'Temporary server error. Please try again later. PRX6 NextHop: outlook.com [outlook.com]'),
    // responses.jsonl outlook.com 550 5.7.515.
    bulkRequirements: ({ senderDomain }) => reply(550, '5.7.515', `Access denied, sending domain ${senderDomain} does not meet the required authentication level.`),
  },
  sources: [MS_POL, MS_TRB, MS_HVS, KUMO_X, '../shared/facts/responses.jsonl (provider outlook.com)', '../shared/facts/isp-behaviors.md §1-4'],
};
