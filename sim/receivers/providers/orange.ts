/**
 * Orange and Wanadoo (France): every reply ends with an `OFR…_NNN [NNN]` code whose last three
 * digits carry the meaning (104 too many connections, 416 invalid recipient, 417 mailbox full as
 * `552 5.1.1`, 999 temporary refusal that lasts hours). Two connections per IP, Cloudmark and
 * Vade filtering, SPF/DKIM/DMARC all required (facts §1, §2, §4).
 */
import { reply } from '../../smtp/reply.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const SIS = 'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/franceptt.rb';
const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml';
const EGRESSIF = 'https://egressif.io/resources/sender-requirements/orange (secondary)';

export const ORANGE: ProviderProfile = {
  id: 'orange',
  name: 'Orange',
  kind: 'provider',
  domains: ['orange.fr', 'wanadoo.fr'],
  mxHosts: ['smtp-in.orange.fr', 'smtp-in2.orange.fr'],
  hostname: 'mwinf5c10.me-wanadoo.net',
  ehloExtensions: ['PIPELINING', 'SIZE 47185920', '8BITMIME', 'STARTTLS', 'ENHANCEDSTATUSCODES'],
  tls: 'required',
  maxMessageBytes: sourced(45 * 1024 * 1024, 'bytes', `${EGRESSIF} (45 MB)`),
  admission: {
    connectionsPerIp: sourced(2, 'connections', `${KUMO_X}; ${EGRESSIF} (2 connections per IP)`),
    messagesPerConnection: sourced(100, 'messages', `${KUMO_X}; ${EGRESSIF}`),
    newIpPerHour: sourced(500, 'recipients per hour', '@assumption: Orange publishes no per-IP rate; each EU ISP accepts little per IP'),
    maxPerHour: sourced(20_000, 'recipients per hour', '@assumption'),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption: slower than the US providers'),
  },
  greylist: null,
  authentication: {
    everyone: 'spf-and-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(1_000, 'messages per day', `${EGRESSIF} (extra rules above 1,000/day)`),
    bulkNeedsDmarc: true,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: EGRESSIF,
  },
  spamHandling: 'folder',
  feedbackLoop: { name: 'Signal Spam (aggregated)', kind: 'aggregate', source: 'https://www.postmastery.com/orange-postmaster-smtp-error-codes-ofr/' },
  reputationScale: 'generic',
  replies: {
    greeting: ({ hostname }) => reply(220, null, `${hostname} ME ESMTP server ready`),
    ehlo: ({ hostname, peerIp }) => reply(250, null, `${hostname} hello [${peerIp}], pleased to meet you`),
    mailOk: () => reply(250, '2.1.0', 'Sender ok'),
    rcptOk: () => reply(250, '2.1.5', 'Recipient ok'),
    dataOk: ({ token }) => reply(250, '2.0.0', `${token} mail accepted for delivery`),
    // responses.jsonl orange unknown-user (OFR_416).
    unknownUser: () => reply(550, '5.1.1', 'Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]'),
    // @assumption: Orange's 416 covers closed accounts too.
    mailboxDisabled: () => reply(550, '5.1.1', 'Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]'),
    // responses.jsonl orange mailbox-full: 552 5.1.1 (sic).
    mailboxFull: () => reply(552, '5.1.1', 'Boite du destinataire pleine. Recipient overquota. OFR_417 [417]'),
    // responses.jsonl orange OFR_999.
    rateLimited: ({ peerIp }) => reply(421, null, `${peerIp} Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]`),
    // responses.jsonl orange OFR005_104.
    tooManyConnections: () => reply(421, null, 'mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]'),
    tooManyMessages: () => reply(421, null, 'mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]'),
    // responses.jsonl orange OFR006_103.
    reputationBlock: ({ peerIp }) => reply(550, null, `mwinf5c10 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR006_103 ${peerIp} [103]`),
    // responses.jsonl orange OFR004_405.
    authFailure: () => reply(501, '5.1.0', 'Emetteur invalide. Invalid Sender. OFR004_405 [405]'),
    // SIS: 517 = DMARC failure; @assumption on the wording, shaped like OFR_416.
    dmarcFailure: () => reply(550, '5.7.1', 'Message refuse, verification DMARC en echec. Message refused, DMARC verification failed. OFR_517 [517]'),
    // responses.jsonl orange auth-failure (SPF/DNS).
    ptrFailure: ({ peerIp }) =>
      reply(421, null, `smtp.orange.fr [${peerIp}] Emetteur invalide, Veuillez verifier la configuration SPF/DNS de votre nom de domaine. Invalid Sender. SPF check failed, please verify the SPF/DNS configuration for your domain name.`),
    // @assumption: Orange's refusal of clear text, in its two-language style.
    tlsRequired: () => reply(530, '5.7.0', 'Connexion chiffree requise. Must issue a STARTTLS command first.'),
    // @assumption: shaped like Orange's other refusals.
    messageTooLarge: () => reply(552, '5.3.4', 'Message trop volumineux. Message size exceeds limit.'),
    // responses.jsonl orange OFR005_505.
    serverError: () => reply(421, '4.2.0', 'Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]'),
  },
  sources: [SIS, KUMO_X, EGRESSIF, 'https://www.postmastery.com/orange-postmaster-smtp-error-codes-ofr/', '../shared/facts/responses.jsonl (provider orange)'],
};
