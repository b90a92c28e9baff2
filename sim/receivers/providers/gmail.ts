/**
 * Gmail (consumer): Google's MX set, its 2024 sender rules and its own reply texts. Every
 * reply ends in ` - gsmtp` with a per-reply queue id before it (facts/isp-behaviors.md §4,
 * G-ERR); texts are split where Gmail splits its multi-line replies. Texts are quoted from
 * ../shared/facts/responses.jsonl (provider `gmail`), whose `source` names the upstream page.
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const G_ERR = 'https://support.google.com/a/answer/3726730 (Gmail SMTP errors and codes)';
const G_GUIDE = 'https://support.google.com/mail/answer/81126 (Email sender guidelines)';
const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml';
const KUMO_R = 'KumoCorp/kumomta@3ebc1e8:examples/smart-sink-docker/policy/responses.toml';

export const GMAIL: ProviderProfile = {
  id: 'gmail',
  name: 'Gmail',
  kind: 'provider',
  domains: ['gmail.com', 'googlemail.com'],
  // Gmail's published MX set for gmail.com, in preference order.
  mxHosts: [
    'gmail-smtp-in.l.google.com',
    'alt1.gmail-smtp-in.l.google.com',
    'alt2.gmail-smtp-in.l.google.com',
    'alt3.gmail-smtp-in.l.google.com',
    'alt4.gmail-smtp-in.l.google.com',
  ],
  hostname: 'mx.google.com',
  ehloExtensions: [
    'SIZE 157286400',
    '8BITMIME',
    'STARTTLS',
    'ENHANCEDSTATUSCODES',
    'PIPELINING',
    'CHUNKING',
    'SMTPUTF8',
  ],
  // Google requires TLS of bulk senders (G-GUIDE); it still accepts clear text from others.
  tls: 'offered',
  maxMessageBytes: sourced(25 * 1024 * 1024, 'bytes', 'https://support.google.com/mail/answer/6584'),
  admission: {
    connectionsPerIp: sourced(5, 'connections', `${KUMO_X} (senders' shaping: 5 connections provider-wide)`),
    messagesPerConnection: sourced(50, 'messages', `${KUMO_X} (senders' shaping: 50 messages per connection)`),
    newIpPerHour: sourced(
      2_000,
      'recipients per hour',
      '@assumption: Google publishes no number; quotas are per IP (facts/isp-behaviors.md §2, G-GUIDE)',
    ),
    maxPerHour: sourced(
      500_000,
      'recipients per hour',
      '@assumption: large senders deliver millions a day to Gmail from one IP once warm',
    ),
    rampFactor: sourced(
      2,
      '× last day clean volume / 24',
      `@assumption: "doubling volumes suddenly could result in rate limiting" (${G_GUIDE}); SparkPost's early warm-up steps are ×2-2.5 (peers.md §8)`,
    ),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(5_000, 'messages per day per sending domain', G_GUIDE),
    bulkNeedsDmarc: true,
    bulkNeedsOneClick: true,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${G_GUIDE}; https://support.google.com/a/answer/14229414 (FAQ)`,
  },
  spamHandling: 'folder',
  // Gmail sends no per-message ARF; its feedback loop is an aggregate dashboard (G-FBL).
  feedbackLoop: {
    name: 'Gmail Feedback Loop (Postmaster Tools)',
    kind: 'aggregate',
    source: 'https://support.google.com/mail/answer/6254652',
  },
  reputationScale: 'postmaster',
  replies: {
    greeting: ({ hostname, token }) => reply(220, null, `${hostname} ESMTP ${token} - gsmtp`),
    ehlo: ({ hostname, peerIp }) => reply(250, null, `${hostname} at your service, [${peerIp}]`),
    mailOk: ({ token }) => reply(250, '2.1.0', `OK ${token} - gsmtp`),
    rcptOk: ({ token }) => reply(250, '2.1.5', `OK ${token} - gsmtp`),
    dataOk: ({ token }) => reply(250, '2.0.0', `OK ${token} - gsmtp`),
    // KUMO_R: 550-5.1.1 NoSuchUser, split as Gmail splits it.
    unknownUser: ({ token }) =>
      reply(
        550,
        '5.1.1',
        'The email account that you tried to reach does not exist. Please try',
        "double-checking the recipient's email address for typos or",
        'unnecessary spaces. Learn more at',
        `https://support.google.com/mail/?p=NoSuchUser ${token} - gsmtp`,
      ),
    // KUMO_R: 550 5.2.1 DisabledUser.
    mailboxDisabled: ({ token }) =>
      reply(
        550,
        '5.2.1',
        'The email account that you tried to reach is disabled. Learn more at',
        `https://support.google.com/mail/?p=DisabledUser ${token} - gsmtp`,
      ),
    // KUMO_R: 452 4.2.2 OverQuotaTemp.
    mailboxFull: ({ token }) =>
      reply(
        452,
        '4.2.2',
        'The email account that you tried to reach is over quota. Please direct',
        `the recipient to https://support.google.com/mail/?p=OverQuotaTemp ${token} - gsmtp`,
      ),
    // KUMO_R: 421 4.7.28 with the peer's address in brackets.
    rateLimited: ({ peerIp, token }) =>
      reply(
        421,
        '4.7.28',
        `[${peerIp}] Our system has detected an unusual rate of`,
        'unsolicited mail originating from your IP address. To protect our',
        'users from spam, mail sent from your IP address has been temporarily',
        'rate limited. Please visit',
        'https://support.google.com/mail/?p=UnsolicitedRateLimitError to',
        ` review our Bulk Email Senders Guidelines. ${token} - gsmtp`,
      ),
    // G_ERR: 421 4.7.0 Try again later, closing connection.
    tooManyConnections: ({ token }) => reply(421, '4.7.0', `Try again later, closing connection. ${token} - gsmtp`),
    // G_ERR: 550 5.7.1 very low reputation of the sending IP address.
    reputationBlock: ({ token }) =>
      reply(
        550,
        '5.7.1',
        'This message is likely suspicious due to the very low reputation of the',
        'sending IP address. To best protect our users from spam, the message has',
        `been blocked. ${token} - gsmtp`,
      ),
    // G_ERR: 550 5.7.26 unauthenticated sender.
    authFailure: ({ peerIp, senderDomain, token }) =>
      reply(
        550,
        '5.7.26',
        'This email has been blocked because the sender is unauthenticated. Gmail',
        'requires all senders to authenticate with either SPF or DKIM.',
        `Authentication results: DKIM = did not pass SPF [${senderDomain}] with ip: [${peerIp}] = did not pass`,
        `${token} - gsmtp`,
      ),
    // G_ERR: 550 5.7.26 DMARC policy.
    dmarcFailure: ({ senderDomain, token }) =>
      reply(
        550,
        '5.7.26',
        `Unauthenticated email from ${senderDomain} is not accepted due to domain's DMARC policy.`,
        `Contact the administrator of ${senderDomain} domain if this was legitimate email. ${token} - gsmtp`,
      ),
    // G_ERR: 550 5.7.25 PTR.
    ptrFailure: ({ token }) =>
      reply(
        550,
        '5.7.25',
        "This message was blocked because the sending IP address doesn't have a PTR record,",
        "or the forwarding DNS entry doesn't reference the sending IP address. Gmail requires",
        `that sending IP addresses have a PTR record. ${token} - gsmtp`,
      ),
    // G_ERR: 421 4.7.0 TLS required for RCPT domain.
    tlsRequired: ({ token }) =>
      reply(421, '4.7.0', `TLS required for RCPT domain, closing connection. ${token} - gsmtp`),
    // G_ERR: 552 5.3.4 message size limits.
    messageTooLarge: ({ token }) =>
      reply(
        552,
        '5.3.4',
        "Your message exceeded Google's message size limits. To view our message size guidelines, go to Send attachments with your Gmail message.",
        `${token} - gsmtp`,
      ),
    // G_ERR: 421 4.3.0 Temporary System Problem.
    serverError: ({ token }) => reply(421, '4.3.0', `Temporary System Problem. Try again later. ${token} - gsmtp`),
    // G_ERR: 550 5.7.40 no DMARC record for a bulk sender.
    bulkRequirements: ({ token }) =>
      reply(
        550,
        '5.7.40',
        "Your message was blocked because the sending domain doesn't have a DMARC record or the",
        "DMARC record doesn't specify a DMARC policy. Gmail requires all bulk email senders to add",
        `a DMARC record to their sending domain. ${token} - gsmtp`,
      ),
  },
  sources: [
    G_ERR,
    G_GUIDE,
    'https://support.google.com/a/answer/14229414 (Email sender guidelines FAQ)',
    KUMO_R,
    KUMO_X,
    '../shared/facts/responses.jsonl (provider gmail), ../shared/facts/isp-behaviors.md §1, §2, §4',
  ],
};
