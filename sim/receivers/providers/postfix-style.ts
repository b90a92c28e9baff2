/**
 * Postfix's own reply texts (postconf(5), smtpd), for providers that run a Postfix-like front
 * end and document few lines of their own (Seznam, WP, Onet, Interia, Libero). Each such
 * profile overrides what its provider does document; the rest is, by assumption, what a
 * stock Postfix says.
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderReplies } from '../profile.ts';

export const POSTFIX_SOURCE =
  'http://www.postfix.org/postconf.5.html (@assumption: stock Postfix texts where the provider documents none)';

export const POSTFIX_REPLIES: ProviderReplies = {
  greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP`),
  ehlo: ({ hostname }) => reply(250, null, hostname),
  mailOk: () => reply(250, '2.1.0', 'Ok'),
  rcptOk: () => reply(250, '2.1.5', 'Ok'),
  dataOk: ({ token }) => reply(250, '2.0.0', `Ok: queued as ${token.toUpperCase()}`),
  unknownUser: ({ recipient }) =>
    reply(550, '5.1.1', `<${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`),
  mailboxDisabled: ({ recipient }) =>
    reply(550, '5.2.1', `<${recipient}>: Recipient address rejected: Mailbox disabled`),
  mailboxFull: ({ recipient }) => reply(452, '4.2.2', `<${recipient}>: Recipient address rejected: Mailbox full`),
  rateLimited: () => reply(450, '4.7.1', 'Error: too much mail from you'),
  tooManyConnections: ({ peerIp }) => reply(421, '4.7.0', `Error: too many connections from ${peerIp}`),
  reputationBlock: ({ peerIp }) => reply(554, '5.7.1', `Service unavailable; Client host [${peerIp}] blocked`),
  authFailure: ({ senderDomain }) => reply(550, '5.7.1', `Sender domain ${senderDomain} failed SPF and DKIM`),
  dmarcFailure: ({ senderDomain }) => reply(550, '5.7.1', `Message rejected due to DMARC policy of ${senderDomain}`),
  ptrFailure: ({ peerIp }) => reply(450, '4.7.1', `Client host rejected: cannot find your hostname, [${peerIp}]`),
  tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
  messageTooLarge: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
  serverError: () => reply(451, '4.3.0', 'Error: queue file write error'),
};
