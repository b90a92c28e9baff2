/**
 * Outlook.com (outlook.com, hotmail.*, live.*, msn.com): Microsoft's consumer mail behind
 * `*.olc.protection.outlook.com`. New IPs get `451 4.7.650 … rate limited due to IP reputation
 * (S775)` early in warm-up, the S3150 block list refuses bad IPs, and since 2025-05-05 domains
 * sending more than 5,000 a day must pass SPF and DKIM and publish aligned DMARC or get
 * `550 5.7.515` (facts §1, §4, MS-HVS). Reputation in SNDS colours; complaints go out through JMRP.
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const MS_POL = 'https://sendersupport.olc.protection.outlook.com/pm/policies.aspx';
const MS_TRB = 'https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx';
const MS_SVC = 'https://sendersupport.olc.protection.outlook.com/pm/services.aspx';
const MS_HVS =
  'Microsoft Defender for Office 365 blog "Outlook\'s New Requirements for High-Volume Senders" (2025-04-02, updated 04-29); https://support.microsoft.com/en-au/topic/fix-ndr-error-550-5-7-515-in-outlook-com-34cfe8f8-6fbf-457e-9e8b-9e4dbaf4e0ef';
const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml';
const SPARKPOST =
  'SparkPost "IP Warm-up Overview" (support.sparkpost.com article 1972209), via ../shared/research/peers.md §8';
/** Telnet sessions to outlook-com.olc.protection.outlook.com (2025): banner, EHLO, MAIL answers. */
const SESSION =
  'public code index, find_string ids 43450973725 and 45373638250 (observed outlook-com.olc.protection.outlook.com sessions, 2025)';
const NDR_522 =
  "https://pastebin.com/bN5U408y (554 5.2.2 NDR from Microsoft's own Exchange servers; not in responses.jsonl)";

export const OUTLOOK: ProviderProfile = {
  id: 'outlook',
  name: 'Outlook.com',
  kind: 'provider',
  domains: ['outlook.com', 'hotmail.com', 'hotmail.fr', 'hotmail.co.uk', 'live.com', 'live.fr', 'msn.com'],
  // Observed in bounces (facts §4: pastebin.com/rwzHX08U, sevencreative.co.uk); each real domain
  // has its own `<domain-with-dashes>.olc.protection.outlook.com`, all on the same servers.
  mxHosts: [
    'outlook-com.olc.protection.outlook.com',
    'hotmail-com.olc.protection.outlook.com',
    'eur.olc.protection.outlook.com',
  ],
  // SESSION: the front end that answers on the olc MX names an EOP host in its banner.
  hostname: 'AMS0EPF0000019A.mail.protection.outlook.com',
  // SESSION: the EHLO keywords, in Outlook.com's order.
  ehloExtensions: [
    'SIZE 49283072',
    'PIPELINING',
    'DSN',
    'ENHANCEDSTATUSCODES',
    'STARTTLS',
    '8BITMIME',
    'BINARYMIME',
    'CHUNKING',
    'SMTPUTF8',
  ],
  // Outlook.com publishes no TLS requirement (facts §1).
  tls: 'offered',
  maxMessageBytes: sourced(49_283_072, 'bytes', `${SESSION} (EHLO SIZE 49283072)`),
  admission: {
    connectionsPerIp: sourced(
      5,
      'connections',
      `${KUMO_X} (senders' shaping: 5 connections provider-wide); ${MS_POL} tolerates up to 500 without prior arrangement`,
    ),
    messagesPerConnection: sourced(50, 'messages', `${KUMO_X} (senders' shaping: 50 messages per connection)`),
    newIpPerHour: sourced(
      833,
      'recipients per hour',
      `${SPARKPOST}: Outlook caps new senders at ~20,000/day in week one (≈ 833/h); S775 deferrals are also reported at 500-3,000/day (facts §4, secondary)`,
    ),
    maxPerHour: sourced(
      300_000,
      'recipients per hour',
      '@assumption: Microsoft publishes no ceiling; large senders deliver millions a day to Outlook.com once warm',
    ),
    rampFactor: sourced(
      2,
      '× last day clean volume / 24',
      `@assumption: "A new IP can expect to be fully ramped within a couple of weeks or sooner" (${MS_TRB})`,
    ),
  },
  greylist: null,
  authentication: {
    // MS-POL §4: mail to Outlook.com "should include" SPF/DKIM authentication; MS-HVS makes both
    // mandatory, with DMARC, for domains above 5,000 a day.
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(5_000, 'messages per day per sending domain', MS_HVS),
    bulkNeedsDmarc: true,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${MS_HVS} (SPF and DKIM must pass, DMARC ≥ p=none aligned, 550 5.7.515 since 2025-05-05); ${MS_POL} (SPF/DKIM expected of all, valid reverse DNS)`,
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Junk Mail Reporting Program (JMRP)', kind: 'arf', source: MS_SVC },
  reputationScale: 'snds',
  replies: {
    // SESSION; the real banner goes on with `at <date> [<session id>]`, which the context does not carry.
    greeting: ({ hostname }) => reply(220, null, `${hostname} Microsoft ESMTP MAIL Service ready`),
    // SESSION.
    ehlo: ({ hostname, peerIp }) => reply(250, null, `${hostname} Hello [${peerIp}]`),
    // SESSION.
    mailOk: () => reply(250, '2.1.0', 'Sender OK'),
    // @assumption: Exchange's usual RCPT and end-of-DATA wording (the real 2.6.0 line quotes the message's Message-ID).
    rcptOk: () => reply(250, '2.1.5', 'Recipient OK'),
    dataOk: ({ token, hostname }) => reply(250, '2.6.0', `<${token}@${hostname}> Queued mail for delivery`),
    // responses.jsonl outlook.com unknown-user (5.5.0).
    unknownUser: () => reply(550, '5.5.0', 'Requested action not taken: mailbox unavailable.'),
    // No documented text for closed accounts: the closest real line is the same 5.5.0 answer.
    mailboxDisabled: () => reply(550, '5.5.0', 'Requested action not taken: mailbox unavailable.'),
    // NDR_522: Exchange's over-quota refusal (nothing for Outlook.com in responses.jsonl).
    mailboxFull: () =>
      reply(
        554,
        '5.2.2',
        'mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
      ),
    // responses.jsonl outlook.com 451 4.7.650 (S775), the warm-up deferral.
    rateLimited: ({ peerIp }) =>
      reply(
        451,
        '4.7.650',
        `The mail server [${peerIp}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)`,
      ),
    // responses.jsonl outlook.com 451 4.7.652 (the current wording; MS-TRB's 421 RP-003 is the older one).
    tooManyConnections: ({ peerIp }) =>
      reply(451, '4.7.652', `The mail server [${peerIp}] has exceeded the maximum number of connections.`),
    // responses.jsonl outlook.com 421 RP-002 (MS-TRB), the closest documented line: no full
    // "messages per connection" text is published (KUMO-C matches only a fragment).
    tooManyMessages: () =>
      reply(
        421,
        null,
        'RP-002 The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed on this connection. Reason for rate limitation is related to IP/domain reputation.',
      ),
    // responses.jsonl outlook.com reputation-block (S3150); the bracket names the answering host.
    reputationBlock: ({ peerIp, hostname }) =>
      reply(
        550,
        '5.7.1',
        `Unfortunately, messages from [${peerIp}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [${hostname}]`,
      ),
    // responses.jsonl outlook.com 550 5.7.515 (bulk senders failing SPF and DKIM get it too, MS-HVS).
    authFailure: ({ senderDomain }) =>
      reply(
        550,
        '5.7.515',
        `Access denied, sending domain ${senderDomain} does not meet the required authentication level.`,
      ),
    // responses.jsonl microsoft-365 5.7.509 (the same Exchange Online Protection stack).
    dmarcFailure: ({ senderDomain }) =>
      reply(550, '5.7.509', `Access denied, sending domain ${senderDomain} does not pass DMARC verification`),
    // responses.jsonl outlook.com DY-001, the closest line: Outlook.com treats hosts without proper reverse DNS as dynamic (MS-POL).
    ptrFailure: () =>
      reply(
        550,
        null,
        "DY-001 Mail rejected by Outlook.com for policy reasons. We generally do not accept email from dynamic IP's as they are not typically used to deliver unauthenticated SMTP email to an Internet mail server.",
      ),
    // @assumption: Exchange's TLS-required wording (unused: Outlook.com does not require TLS).
    tlsRequired: () => reply(451, '5.7.3', 'STARTTLS is required to send mail'),
    // responses.jsonl microsoft-365 552 5.3.4.
    messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed maximum message size'),
    // responses.jsonl outlook.com server-error (ATTR17).
    serverError: () => reply(451, '4.3.2', 'Temporary server error. Please try again later ATTR17 [outlook.com]'),
    // responses.jsonl outlook.com 550 5.7.515, the text MS-HVS names for non-compliant bulk mail.
    bulkRequirements: ({ senderDomain }) =>
      reply(
        550,
        '5.7.515',
        `Access denied, sending domain ${senderDomain} does not meet the required authentication level.`,
      ),
  },
  sources: [
    MS_POL,
    MS_TRB,
    MS_SVC,
    MS_HVS,
    KUMO_X,
    SPARKPOST,
    SESSION,
    NDR_522,
    '../shared/facts/responses.jsonl (providers outlook.com, microsoft-365)',
    '../shared/facts/isp-behaviors.md §1-4',
  ],
};
