/**
 * Yahoo and AOL (one platform, `*.yahoodns.net`): 20 messages per connection, after which Yahoo
 * closes the connection; `[TSS04]` deferrals for unexpected volume or complaints (senders
 * suspend two hours); the 2024 bulk rules with one-click unsubscribe; complaints through the
 * Complaint Feedback Loop as ARF (facts §1-4).
 */
import { reply } from '../../smtp/reply.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const Y_BP = 'https://senders.yahooinc.com/best-practices';
const Y_ERR = 'https://senders.yahooinc.com/smtp-error-codes';
const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml';

export const YAHOO: ProviderProfile = {
  id: 'yahoo',
  name: 'Yahoo and AOL',
  kind: 'provider',
  domains: ['yahoo.com', 'yahoo.fr', 'yahoo.co.uk', 'yahoo.de', 'yahoo.it', 'ymail.com', 'rocketmail.com', 'aol.com', 'aol.fr'],
  // Yahoo's published MX names for yahoo.com and aol.com (suffix `.yahoodns.net`, KUMO-X).
  mxHosts: ['mta5.am0.yahoodns.net', 'mta6.am0.yahoodns.net', 'mta7.am0.yahoodns.net', 'mx-aol.mail.gm0.yahoodns.net'],
  hostname: 'mta5.am0.yahoodns.net',
  ehloExtensions: ['PIPELINING', 'ENHANCEDSTATUSCODES', '8BITMIME', 'SIZE 41943040', 'STARTTLS'],
  tls: 'offered',
  maxMessageBytes: sourced(41_943_040, 'bytes', '@assumption: the SIZE Yahoo advertises in observed EHLO answers'),
  admission: {
    connectionsPerIp: sourced(10, 'connections', '@assumption: Yahoo publishes no concurrency (facts §9)'),
    messagesPerConnection: sourced(20, 'messages', `${KUMO_X} (20 per connection, "provided by Yahoo directly")`),
    newIpPerHour: sourced(208, 'recipients per hour', 'SparkPost "IP Warm-up Overview": AOL caps new senders at ~5,000/day in week one (peers.md §8)'),
    maxPerHour: sourced(300_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(2, '× last day clean volume / 24', `@assumption: ${Y_BP} asks for a gradual ramp`),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(5_000, 'messages per day per sending domain', '@assumption: Yahoo does not publish its bulk threshold; Gmail\'s 5,000 is the industry reading'),
    bulkNeedsDmarc: true,
    bulkNeedsOneClick: true,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: Y_BP,
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Yahoo Complaint Feedback Loop (CFL)', kind: 'arf', source: Y_BP },
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP ready`),
    ehlo: ({ hostname }) => reply(250, null, hostname),
    mailOk: () => reply(250, null, 'sender <> ok'),
    rcptOk: () => reply(250, null, 'recipient ok'),
    dataOk: () => reply(250, null, 'ok dirdel'),
    // responses.jsonl yahoo unknown-user.
    unknownUser: ({ recipient }) => reply(554, null, `delivery error: dd This user doesn't have a yahoo.com account (${recipient}) [-5] - mta123.mail.mud.yahoo.com`),
    // responses.jsonl yahoo mailbox-disabled.
    mailboxDisabled: ({ recipient }) => reply(554, null, `delivery error: dd Sorry, your message to ${recipient} cannot be delivered. This mailbox is disabled (554.30). - mta123.mail.gq1.yahoo.com`),
    // responses.jsonl yahoo rate-limited (per recipient), the nearest documented over-quota line.
    mailboxFull: () => reply(450, null, 'User is receiving mail too quickly'),
    // responses.jsonl yahoo TSS04.
    rateLimited: ({ peerIp }) =>
      reply(421, '4.7.0', `[TSS04] Messages from ${peerIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`),
    // @assumption: Yahoo documents no connection-limit text; its generic 421.
    tooManyConnections: () => reply(421, null, 'Service not available, closing transmission channel'),
    // responses.jsonl yahoo too-many-connections: the per-connection limit.
    tooManyMessages: () => reply(421, null, 'Max message per connection reached, closing transmission channel'),
    // responses.jsonl yahoo TSS09.
    reputationBlock: ({ peerIp }) =>
      reply(553, '5.7.2', `[TSS09] All messages from ${peerIp} will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes`),
    // responses.jsonl yahoo 550 5.7.9.
    authFailure: () => reply(550, '5.7.9', 'This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.'),
    // responses.jsonl yahoo 554 5.7.9 policy reasons.
    dmarcFailure: () => reply(554, '5.7.9', 'Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes'),
    // @assumption: Yahoo's TSS04 is also returned for missing authentication (facts §8); PTR misses get it.
    ptrFailure: ({ peerIp }) =>
      reply(421, '4.7.0', `[TSS04] Messages from ${peerIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`),
    tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
    // @assumption: generic size refusal.
    messageTooLarge: () => reply(552, null, 'message size exceeds maximum'),
    // responses.jsonl yahoo server-error.
    serverError: () => reply(451, null, 'mta349.mail.mud.yahoo.com Resources temporarily unavailable. Please try again later [#4.16.1].'),
  },
  sources: [Y_BP, Y_ERR, KUMO_X, '../shared/facts/responses.jsonl (providers yahoo, aol)', '../shared/facts/isp-behaviors.md §1-4'],
};
