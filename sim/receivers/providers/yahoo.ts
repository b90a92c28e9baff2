/**
 * Yahoo and AOL (one platform behind `*.yahoodns.net`): 20 messages per connection, after which
 * Yahoo drops the connection without an error code (so no `tooManyMessages` text); `[TSS04]`
 * deferrals for unexpected volume or complaints (senders suspend two hours); most replies carry
 * no enhanced status code; the 2024 bulk rules with one-click unsubscribe; complaints through
 * the Complaint Feedback Loop as ARF (facts §1-4).
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const Y_BP = 'https://senders.yahooinc.com/best-practices';
const Y_ERR = 'https://senders.yahooinc.com/smtp-error-codes';
const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml';
const KUMO_R = 'KumoCorp/kumomta@3ebc1e8:examples/smart-sink-docker/policy/responses.toml';
const SIS = 'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/yahooinc.rb';
const SPARKPOST =
  'SparkPost "IP Warm-up Overview" (support.sparkpost.com article 1972209), via ../shared/research/peers.md §8';
/** Postfix logs of deliveries to mta5/6/7.am0.yahoodns.net ending `250 ok dirdel`. */
const LOGS =
  'public code index, find_string ids 10636907489, 56671446594, 28312098254 (Postfix logs: status=sent (250 ok dirdel) from mta5-7.am0.yahoodns.net)';
/** A mail-server guide quoting Yahoo's EHLO keywords (`8BITMIME`, `SIZE 41943040`, `PIPELINING`). */
const EHLO = 'public code index, find_string id 11558824885 (port25 guide: "yahoo only shows … SIZE 41943040")';

/** The domain Yahoo names in its `dd This user doesn't have a <domain> account` line. */
const mailboxDomain = (recipient: string): string => recipient.split('@')[1] ?? 'yahoo.com';

export const YAHOO: ProviderProfile = {
  id: 'yahoo',
  name: 'Yahoo and AOL',
  kind: 'provider',
  domains: ['yahoo.com', 'yahoo.fr', 'yahoo.co.uk', 'ymail.com', 'rocketmail.com', 'aol.com', 'aol.fr'],
  // mta5-7.am0 for Yahoo (facts §4, observed in Exim/Postfix logs); mx-aol.mail.gm0 is AOL's
  // commonly known MX on the same platform (not confirmed by the facts).
  mxHosts: ['mta5.am0.yahoodns.net', 'mta6.am0.yahoodns.net', 'mta7.am0.yahoodns.net', 'mx-aol.mail.gm0.yahoodns.net'],
  hostname: 'mta5.am0.yahoodns.net',
  // EHLO, plus STARTTLS, which Yahoo offers today.
  ehloExtensions: ['PIPELINING', '8BITMIME', 'SIZE 41943040', 'STARTTLS'],
  // Yahoo publishes no TLS requirement (facts §1).
  tls: 'offered',
  maxMessageBytes: sourced(41_943_040, 'bytes', `${EHLO} (EHLO SIZE)`),
  admission: {
    connectionsPerIp: sourced(
      10,
      'connections',
      `@assumption: Yahoo publishes no concurrency (facts §9); KumoMTA's default for unlisted domains is 10 (${KUMO_X})`,
    ),
    messagesPerConnection: sourced(
      20,
      'messages',
      `${KUMO_X} (20 messages per connection, "provided by Yahoo directly")`,
    ),
    newIpPerHour: sourced(
      208,
      'recipients per hour',
      `${SPARKPOST}: AOL caps new senders at ~5,000/day in week one (≈ 208/h)`,
    ),
    maxPerHour: sourced(
      300_000,
      'recipients per hour',
      '@assumption: Yahoo publishes no ceiling; large senders deliver millions a day once warm',
    ),
    rampFactor: sourced(
      2,
      '× last day clean volume / 24',
      `@assumption: ${Y_ERR} lists "did not increase the email traffic slowly" among the causes of deferrals, without a figure`,
    ),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(
      5_000,
      'messages per day per sending domain',
      `@assumption: Yahoo names "bulk senders" without a threshold (${Y_BP}); Gmail's 5,000 is the industry reading`,
    ),
    bulkNeedsDmarc: true,
    bulkNeedsOneClick: true,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${Y_BP} (all: SPF or DKIM, valid PTR; bulk: SPF and DKIM, DMARC ≥ p=none passing and aligned, RFC 8058 one-click); ${Y_ERR} (5xx for DMARC/DKIM policy failures)`,
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Yahoo Complaint Feedback Loop (CFL)', kind: 'arf', source: Y_BP },
  reputationScale: 'generic',
  replies: {
    // @assumption: Yahoo's usual banner and EHLO first line (not in the facts).
    greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP ready`),
    ehlo: ({ hostname }) => reply(250, null, hostname),
    // @assumption: Yahoo answers `sender <address> ok`; the context carries only the sender's domain.
    mailOk: () => reply(250, null, 'sender ok'),
    // @assumption: Yahoo's `recipient <address> ok`.
    rcptOk: ({ recipient }) => reply(250, null, `recipient <${recipient}> ok`),
    // LOGS: Yahoo's end-of-DATA answer.
    dataOk: () => reply(250, null, 'ok dirdel'),
    // responses.jsonl yahoo unknown-user (Y-ERR failure notice); Yahoo names the recipient's own domain.
    unknownUser: ({ recipient }) =>
      reply(
        554,
        null,
        `delivery error: dd This user doesn't have a ${mailboxDomain(recipient)} account (${recipient}) [-5] - mta123.mail.mud.yahoo.com`,
      ),
    // responses.jsonl yahoo mailbox-disabled (KUMO-R).
    mailboxDisabled: ({ recipient }) =>
      reply(
        554,
        null,
        `delivery error: dd Sorry, your message to ${recipient} cannot be delivered. This mailbox is disabled (554.30). - mta123.mail.gq1.yahoo.com`,
      ),
    // @assumption: Yahoo documents no over-quota text; shaped like its 552 "mailbox not found" line (KUMO-R).
    mailboxFull: () => reply(552, null, 'Requested mail action aborted, mailbox full'),
    // responses.jsonl yahoo [TSS04] "unexpected volume or user complaints" (KUMO-R).
    rateLimited: ({ peerIp }) =>
      reply(
        421,
        '4.7.0',
        `[TSS04] Messages from ${peerIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`,
      ),
    // responses.jsonl yahoo too-many-connections (smtp.codes; sisimai files it under toomanyconn).
    // Yahoo publishes no concurrency text; this is the line the facts label so.
    tooManyConnections: () => reply(421, null, 'Max message per connection reached, closing transmission channel'),
    // responses.jsonl yahoo [TSS04] "due to user complaints" (pastebin.com/1v9Bagvp, from mta6.am0).
    // The harder steps of Yahoo's ladder ([TS03], 553 [TSS09]) are not modelled.
    reputationBlock: ({ peerIp }) =>
      reply(
        421,
        '4.7.0',
        `[TSS04] Messages from ${peerIp} temporarily deferred due to user complaints - 4.16.55.1; see https://help.yahoo.com/kb/postmaster/SLN3434.html`,
      ),
    // responses.jsonl yahoo 550 5.7.9 (SIS).
    authFailure: () =>
      reply(
        550,
        '5.7.9',
        'This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.',
      ),
    // responses.jsonl yahoo 554 5.7.9 (KUMO-R); Y-ERR: 5xx when "authentication checks against your sending domain's DMARC or DKIM policy" fail.
    dmarcFailure: () =>
      reply(554, '5.7.9', 'Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes'),
    // Closest real line: Yahoo gives [TSS04] to poorly authenticated senders as well (facts §4, §8; SIS); no PTR text is documented.
    ptrFailure: ({ peerIp }) =>
      reply(
        421,
        '4.7.0',
        `[TSS04] Messages from ${peerIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`,
      ),
    // @assumption: Yahoo does not require TLS (unused); plain text in Yahoo's style.
    tlsRequired: () => reply(530, null, 'Must issue a STARTTLS command first'),
    // @assumption: Yahoo documents no size refusal; shaped like its 552 lines.
    messageTooLarge: () => reply(552, null, 'Requested mail action aborted, message size exceeds maximum'),
    // responses.jsonl yahoo server-error (KUMO-R, Y-ERR "Resources temporarily unavailable").
    serverError: () =>
      reply(
        451,
        null,
        'mta349.mail.mud.yahoo.com Resources temporarily unavailable. Please try again later [#4.16.1].',
      ),
  },
  sources: [
    Y_BP,
    Y_ERR,
    KUMO_X,
    KUMO_R,
    SIS,
    SPARKPOST,
    LOGS,
    EHLO,
    '../shared/facts/responses.jsonl (providers yahoo, aol)',
    '../shared/facts/isp-behaviors.md §1-4, §8',
  ],
};
