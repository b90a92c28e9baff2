/**
 * La Poste (laposte.net): `LPNxxx_NNN` codes sharing Orange's last-three-digit meanings, refusals
 * in French and English, DKIM required (`550 5.7.20 … DKIM n'est pas configure`), DMARC failures
 * as `571 5.7.1`, two connections per IP (facts §4; secondary bentonow).
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const BENTO = 'https://bentonow.com/smtp-errors/laposte (secondary)';
const PM = 'https://www.postmastery.com/laposte-net-postmaster-smtp-error-codes-lpn/';

export const LAPOSTE: ProviderProfile = {
  id: 'laposte',
  name: 'La Poste',
  kind: 'provider',
  domains: ['laposte.net'],
  mxHosts: ['smtpz4.laposte.net'],
  hostname: 'smtpz4.laposte.net',
  ehloExtensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'offered',
  maxMessageBytes: sourced(50 * 1024 * 1024, 'bytes', '@assumption'),
  admission: {
    connectionsPerIp: sourced(2, 'connections', BENTO),
    messagesPerConnection: sourced(100, 'messages', BENTO),
    newIpPerHour: sourced(300, 'recipients per hour', '@assumption'),
    maxPerHour: sourced(10_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-and-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: null,
    bulkNeedsDmarc: false,
    bulkNeedsOneClick: false,
    ptrRequired: false,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${BENTO}; responses.jsonl laposte (LPN004_401, 5.7.20, LPN007_517)`,
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Signal Spam / Validity UFBL', kind: 'arf', source: PM },
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} ESMTP`),
    ehlo: ({ hostname }) => reply(250, null, hostname),
    mailOk: () => reply(250, '2.1.0', 'Sender ok'),
    rcptOk: () => reply(250, '2.1.5', 'Recipient ok'),
    dataOk: ({ token }) => reply(250, '2.0.0', `${token} Message accepted for delivery`),
    // responses.jsonl laposte unknown-user.
    unknownUser: () => reply(550, '5.1.1', 'Adresse d au moins un destinataire invalide. Invalid recipient. LPN416'),
    // responses.jsonl laposte mailbox-disabled (blocked account).
    mailboxDisabled: () =>
      reply(550, '5.5.0', 'Le compte du destinataire est bloque. The recipient account isblocked. LPN007_426'),
    // @assumption: Orange's 417 wording with La Poste's prefix.
    mailboxFull: () => reply(552, '5.1.1', 'Boite du destinataire pleine. Recipient overquota. LPN007_417'),
    // responses.jsonl laposte server-error (505 temporary refusal).
    rateLimited: () =>
      reply(421, '4.2.1', 'Service refuse. Veuillez essayer plus tard. Service refused, please try later. LPN007_505'),
    // responses.jsonl laposte too-many-connections.
    tooManyConnections: () => reply(421, null, 'Too many connections, slow down. LPN105_104'),
    tooManyMessages: () => reply(421, null, 'Too many connections, slow down. LPN105_104'),
    // responses.jsonl laposte blocklisted (102).
    reputationBlock: () => reply(521, '5.7.1', 'Service unavailable LPN007_102'),
    // responses.jsonl laposte SPF (LPN004_401).
    authFailure: ({ peerIp }) => reply(550, '5.5.0', `SPF: ${peerIp} is not allowed to send mail. LPN004_401`),
    // responses.jsonl laposte DMARC (LPN007_517).
    dmarcFailure: () =>
      reply(
        571,
        '5.7.1',
        'Message refused, DMARC verification Failed. Message refuse, verification DMARC en echec LPN007_517',
      ),
    // @assumption: shaped like the SPF line.
    ptrFailure: ({ peerIp }) => reply(550, '5.5.0', `Reverse DNS: ${peerIp} has no valid PTR. LPN004_403`),
    tlsRequired: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),
    messageTooLarge: () => reply(552, '5.3.4', 'Message trop volumineux. Message size exceeds limit.'),
    serverError: () =>
      reply(421, '4.2.1', 'Service refuse. Veuillez essayer plus tard. Service refused, please try later. LPN007_505'),
  },
  sources: [
    BENTO,
    PM,
    'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/franceptt.rb',
    '../shared/facts/responses.jsonl (provider laposte)',
  ],
};
