/**
 * Typo-domain traps: misspelt consumer domains (gmial.com, hotmial.com …) registered by trap
 * operators, whose catch-all accepts every recipient and tells the sender nothing. A sender
 * only learns of them by auditing its list; the truth records every hit (`delivered-trap`).
 * It answers as a plain Postfix would.
 */
import { reply } from '../../kernel/index.ts';
import { TYPO_TRAP_DOMAINS } from '../world/population.ts';
import type { ProviderProfile } from './profile.ts';
import { sourced } from './profile.ts';

const ASSUMED = '@assumption: trap operators publish nothing; a permissive Postfix';

export const TYPO_TRAP_NETWORK: ProviderProfile = {
  id: 'typo-traps',
  name: 'Typo-domain trap network',
  kind: 'trap-network',
  domains: TYPO_TRAP_DOMAINS,
  mxHosts: ['mx.trap-operator.example'],
  hostname: 'mx.trap-operator.example',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', ASSUMED),
  admission: {
    connectionsPerIp: sourced(50, 'connections', ASSUMED),
    messagesPerConnection: sourced(1_000, 'messages', ASSUMED),
    newIpPerHour: sourced(1_000_000, 'recipients per hour', `${ASSUMED}: traps never throttle`),
    maxPerHour: sourced(1_000_000, 'recipients per hour', ASSUMED),
    rampFactor: sourced(1, '× last day clean volume / 24', ASSUMED),
  },
  greylist: null,
  authentication: {
    everyone: 'none',
    bulk: 'none',
    bulkPerDay: null,
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: false,
    enforceDmarcReject: false,
    onFailure: 'spam',
    source: ASSUMED,
  },
  spamHandling: 'folder',
  feedbackLoop: null,
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP Postfix`),
    ehlo: ({ hostname }) => reply(250, null, hostname),
    mailOk: () => reply(250, '2.1.0', 'Ok'),
    rcptOk: () => reply(250, '2.1.5', 'Ok'),
    dataOk: ({ token }) => reply(250, '2.0.0', `Ok: queued as ${token.toUpperCase()}`),
    unknownUser: ({ recipient }) =>
      reply(550, '5.1.1', `<${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`),
    mailboxDisabled: ({ recipient }) =>
      reply(550, '5.1.1', `<${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`),
    mailboxFull: () => reply(452, '4.2.2', 'Mailbox full'),
    rateLimited: () => reply(450, '4.7.1', 'Error: too much mail from you'),
    tooManyConnections: ({ peerIp }) => reply(421, '4.7.0', `Error: too many connections from ${peerIp}`),
    reputationBlock: () => reply(554, '5.7.1', 'Service unavailable'),
    authFailure: () => reply(550, '5.7.1', 'Sender authentication failed'),
    dmarcFailure: () => reply(550, '5.7.1', 'DMARC policy violation'),
    ptrFailure: ({ peerIp }) => reply(450, '4.7.1', `Client host rejected: cannot find your hostname, [${peerIp}]`),
    tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
    messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
    serverError: () => reply(451, '4.3.0', 'Error: queue file write error'),
  },
  sources: [
    '../shared/facts/isp-behaviors.md (typo traps: gmial.com, hotmial.com)',
    'http://www.postfix.org/postconf.5.html (reply texts)',
    ASSUMED,
  ],
};
