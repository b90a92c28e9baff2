/**
 * T-Online (Deutsche Telekom): hosts with unknown or bad reputation are refused by default
 * (`554 IP=… - None/bad reputation … (NOWL)`), reset by request within hours; spam refused at
 * SMTP; SPF, DKIM, rDNS and From aligned to one organisational domain (facts §4). The shared
 * engine's reputation gate plus a very small new-IP allowance stand for the NOWL default.
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const SPAMRESOURCE = 'https://www.spamresource.com/2020/06/whoops-t-onlinede-not-accepting-mail.html';
const BLLMNN = 'bllmnn.de (T-Online NOWL reset post, via ../shared/facts/isp-behaviors.md §4)';

export const T_ONLINE: ProviderProfile = {
  id: 't-online',
  name: 'T-Online',
  kind: 'provider',
  domains: ['t-online.de', 'magenta.de'],
  mxHosts: ['mx00.t-online.de', 'mx01.t-online.de', 'mx02.t-online.de', 'mx03.t-online.de'],
  hostname: 'mx00.t-online.de',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(3, 'connections', '@assumption'),
    messagesPerConnection: sourced(50, 'messages', '@assumption'),
    newIpPerHour: sourced(
      50,
      'recipients per hour',
      `@assumption: unknown IPs are refused by default (${SPAMRESOURCE}); a trickle stands for an IP just reset`,
    ),
    maxPerHour: sourced(20_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-and-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: null,
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: 'profitmarker.net summary of a SendGrid notice (2021 alignment rule; secondary)',
  },
  spamHandling: 'reject',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} T-Online ESMTP receiver ready`),
    ehlo: ({ hostname }) => reply(250, null, hostname),
    mailOk: () => reply(250, '2.1.0', 'Sender ok'),
    rcptOk: () => reply(250, '2.1.5', 'Recipient ok'),
    dataOk: ({ token }) => reply(250, '2.0.0', `Message accepted ${token}`),
    // @assumption: T-Online's unknown-user wording is not in the facts.
    unknownUser: ({ recipient }) => reply(550, '5.1.1', `<${recipient}>: user unknown`),
    mailboxDisabled: ({ recipient }) => reply(550, '5.1.1', `<${recipient}>: user unknown`),
    mailboxFull: ({ recipient }) => reply(452, '4.2.2', `<${recipient}>: mailbox full`),
    // responses.jsonl t-online NOWL: T-Online refuses what it does not trust yet.
    rateLimited: ({ peerIp }) =>
      reply(
        554,
        null,
        `IP=${peerIp} - None/bad reputation. Ask your postmaster for help or to contact tobr@rx.t-online.de for reset. (NOWL)`,
      ),
    tooManyConnections: () => reply(421, '4.7.0', 'Too many connections, try again later'),
    // responses.jsonl t-online BL.
    reputationBlock: ({ peerIp }) =>
      reply(
        554,
        null,
        `IP=${peerIp} - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)`,
      ),
    authFailure: ({ senderDomain }) => reply(550, '5.7.1', `Authentication failed for ${senderDomain} (SPF/DKIM)`),
    dmarcFailure: ({ senderDomain }) => reply(550, '5.7.1', `DMARC policy of ${senderDomain} rejects this message`),
    // responses.jsonl t-online DIAL: hosts without a proper name are treated as dial-up.
    ptrFailure: () =>
      reply(
        554,
        null,
        'Dialup/transient IP not allowed. Use a mailgateway or contact toda@rx.t-online.de if obsolete. (DIAL)',
      ),
    tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
    messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed maximum message size'),
    serverError: () => reply(451, '4.3.0', 'Temporary local problem, please try again later'),
    // responses.jsonl t-online content-spam.
    contentSpam: () => reply(550, '5.7.0', 'Message considered as spam or virus, rejected'),
  },
  sources: [
    SPAMRESOURCE,
    BLLMNN,
    'https://postmaster.t-online.de/index.en.html',
    '../shared/facts/responses.jsonl (provider t-online)',
  ],
};
