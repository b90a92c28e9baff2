/**
 * GMX, Web.de and mail.com (United Internet, one infrastructure): no enhanced status codes, and
 * connect-time refusals as multi-line `554-… Nemesis ESMTP Service not available` replies whose
 * last line is decisive. Four connections, twenty messages per connection, TLS required;
 * `421 Rate limit reached` for too much too fast; PTR required (facts §2, §4, §8).
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const GMX_ERR = 'https://postmaster.gmx.com/en/error-messages';
const GMX_POL = 'https://postmaster.gmx.com/en/email-policy';
const KUMO_C = 'KumoCorp/kumomta@3ebc1e8:assets/community/shaping.toml';
const IONOS = 'https://help.1and1.com (SMTP error messages for the 1&1 mail server)';
/** The Nemesis banner lines of GMX's connect-time refusals. */
const nemesis = (reason: string, peerIp: string, token: string): readonly string[] => [
  'gmx.net (mxgmx104) Nemesis ESMTP Service not available',
  'No SMTP service',
  reason,
  `For explanation visit https://postmaster.gmx.net/en/case?c=r0201&i=ip&v=${peerIp}&r=${token}`,
];

export const GMX_WEBDE: ProviderProfile = {
  id: 'gmx-webde',
  name: 'GMX and Web.de',
  kind: 'provider',
  domains: ['gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', 'gmx.com', 'gmx.fr', 'web.de', 'mail.com'],
  mxHosts: ['mx00.emig.gmx.net', 'mx01.emig.gmx.net', 'mx-ha02.web.de', 'mx-ha03.web.de'],
  hostname: 'mxgmx104.gmx.net',
  ehloExtensions: ['SIZE 69920427', '8BITMIME', 'STARTTLS', 'PIPELINING'],
  tls: 'required',
  maxMessageBytes: sourced(69_920_427, 'bytes', '@assumption: the SIZE GMX advertises in observed EHLO answers'),
  admission: {
    connectionsPerIp: sourced(4, 'connections', KUMO_C),
    messagesPerConnection: sourced(20, 'messages', KUMO_C),
    newIpPerHour: sourced(
      500,
      'recipients per hour',
      `@assumption: "421 Rate limit reached" exists (${IONOS}) without a figure`,
    ),
    maxPerHour: sourced(30_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-or-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(5_000, 'messages per day', '@assumption'),
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${GMX_POL} (FQDN rDNS, SPF)`,
  },
  spamHandling: 'folder',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} (mxgmx104) Nemesis ESMTP Service ready`),
    ehlo: ({ hostname }) => reply(250, null, `${hostname} Hello`),
    mailOk: () => reply(250, null, 'Requested mail action okay, completed'),
    rcptOk: () => reply(250, null, 'OK'),
    dataOk: ({ token }) => reply(250, null, `Requested mail action okay, completed: id=${token}`),
    // responses.jsonl gmx-webde unknown-user (also long-unused, disabled mailboxes; facts §6).
    unknownUser: ({ recipient }) => reply(550, null, `<${recipient}>: Requested action not taken: mailbox unavailable`),
    mailboxDisabled: ({ recipient }) =>
      reply(550, null, `<${recipient}>: Requested action not taken: mailbox unavailable`),
    // responses.jsonl gmx-webde mailbox-full.
    mailboxFull: () => reply(552, null, 'Requested mail action aborted: exceeded storage allocation Quota exceeded.'),
    // responses.jsonl gmx-webde rate-limited.
    rateLimited: () => reply(421, null, 'Rate limit reached. Please try again later'),
    // KUMO-C: "Too many connections" triggers its GMX automation.
    tooManyConnections: () => reply(421, null, 'Too many connections. Please try again later'),
    // @assumption: GMX's per-connection limit answered like its rate limit.
    tooManyMessages: () => reply(421, null, 'Rate limit reached. Please try again later'),
    // responses.jsonl gmx-webde reputation-block (IP based).
    reputationBlock: ({ recipient }) =>
      reply(550, null, `<${recipient}>: Reject due to policy restrictions (IP based)`),
    // responses.jsonl gmx-webde SPF.
    authFailure: ({ recipient }) =>
      reply(
        550,
        null,
        `<${recipient}>: Reject due to SPF policy. The originating IP of the message is not permitted by the domain owner`,
      ),
    // responses.jsonl gmx-webde policy-block (header based), the nearest to a DMARC refusal.
    dmarcFailure: ({ recipient }) =>
      reply(550, null, `<${recipient}>: Reject due to policy restrictions (header based)`),
    // responses.jsonl gmx-webde auth-failure: the multi-line PTR refusal.
    ptrFailure: ({ peerIp, token }) => reply(554, null, ...nemesis('Bad DNS PTR resource record.', peerIp, token)),
    // @assumption: GMX requires TLS (KUMO-C); its refusal in the Nemesis shape.
    tlsRequired: ({ peerIp, token }) => reply(554, null, ...nemesis('Encryption required.', peerIp, token)),
    messageTooLarge: () => reply(552, null, 'Message size exceeds fixed maximum message size'),
    // responses.jsonl gmx-webde server-error.
    serverError: () => reply(451, null, 'Requested action aborted: local error in processing'),
  },
  sources: [
    GMX_ERR,
    GMX_POL,
    KUMO_C,
    IONOS,
    'https://postmaster.mail.com/fr/recommandations',
    '../shared/facts/responses.jsonl (provider gmx-webde)',
  ],
};
