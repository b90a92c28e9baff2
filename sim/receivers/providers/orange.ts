/**
 * Orange and Wanadoo (France): every refusal ends with an `OFR…_NNN [NNN]` code whose last three
 * digits carry the meaning (104 too many connections, 405 invalid sender, 416 invalid recipient,
 * 417 mailbox full as `552 5.1.1`, 999 a temporary refusal that lasts hours); texts are French
 * then English and name the answering `mwinf…` node. Two connections per IP, 100 messages per
 * connection, TLS required; SPF, DKIM and DMARC all expected (facts §1, §2, §4).
 */
import { reply } from '../../../kernel/index.ts';
import type { ProviderProfile } from '../profile.ts';
import { sourced } from '../profile.ts';

const SIS = 'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/franceptt.rb';
const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml';
const EGRESSIF = 'https://egressif.io/resources/sender-requirements/orange (secondary, quoting postmaster.orange.fr)';
const PM_OFR = 'https://www.postmastery.com/orange-postmaster-smtp-error-codes-ofr/';
/** A logged session with an Orange `mwinf` node: banner, EHLO and 2xx wording. */
const SESSION =
  'public code index, find_string id 18310422958 (logged session with mwinf5d14: "220 mwinf5d14 ME ESMTP server ready" …)';

/** Orange's replies name the node by its short name (`mwinf5c10 ME …`). */
const node = (hostname: string): string => hostname.split('.')[0] ?? hostname;

export const ORANGE: ProviderProfile = {
  id: 'orange',
  name: 'Orange',
  kind: 'provider',
  domains: ['orange.fr', 'wanadoo.fr'],
  // facts §4 (bentonow; CODE-IDX 71015263145).
  mxHosts: ['smtp-in.orange.fr', 'smtp-in2.orange.fr'],
  // A node name from Orange's own replies (SIS, responses.jsonl); the `.me-wanadoo.net` suffix is
  // the commonly known one, not confirmed by the facts.
  hostname: 'mwinf5c10.me-wanadoo.net',
  // SESSION's keywords (minus AUTH, a submission feature), with STARTTLS, which Orange requires.
  ehloExtensions: ['HELP', 'SIZE 47185920', 'ENHANCEDSTATUSCODES', '8BITMIME', 'STARTTLS'],
  // KUMO-X: TLS required for `.orange.fr` (Orange itself "strongly recommends" TLS ≥ 1.2, facts §1).
  tls: 'required',
  maxMessageBytes: sourced(45 * 1024 * 1024, 'bytes', `${EGRESSIF} (45 MB)`),
  admission: {
    connectionsPerIp: sourced(
      2,
      'connections',
      `${KUMO_X} (2 connections provider-wide); ${EGRESSIF} (2 connections per IP)`,
    ),
    messagesPerConnection: sourced(100, 'messages', `${KUMO_X}; ${EGRESSIF} (100 messages per connection)`),
    newIpPerHour: sourced(
      500,
      'recipients per hour',
      '@assumption: Orange publishes no per-IP rate (older guidance caps connection attempts at 1,000/hour, facts §2)',
    ),
    maxPerHour: sourced(
      20_000,
      'recipients per hour',
      '@assumption: a national ISP accepts far less per IP than Gmail or Outlook',
    ),
    rampFactor: sourced(1.5, '× last day clean volume / 24', '@assumption: slower than the US providers'),
  },
  greylist: null,
  authentication: {
    // facts §1: SPF, DKIM and DMARC must all pass; DMARC can only be asked of bulk senders here.
    everyone: 'spf-and-dkim',
    bulk: 'spf-and-dkim',
    bulkPerDay: sourced(1_000, 'messages per day', `${EGRESSIF} (extra rules above 1,000/day)`),
    bulkNeedsDmarc: true,
    bulkNeedsOneClick: false,
    ptrRequired: true,
    enforceDmarcReject: true,
    onFailure: 'reject',
    source: `${EGRESSIF} (SPF, DKIM and DMARC; valid PTR, FQDN HELO, static IP)`,
  },
  spamHandling: 'folder',
  // facts §3: aggregated CSV via Signal Spam; ARF only for some members after validation.
  feedbackLoop: { name: 'Signal Spam (aggregated complaints per IP per day)', kind: 'aggregate', source: PM_OFR },
  reputationScale: 'generic',
  replies: {
    // SESSION.
    greeting: ({ hostname }) => reply(220, null, `${node(hostname)} ME ESMTP server ready`),
    ehlo: ({ hostname, peerIp }) => reply(250, null, `${node(hostname)} hello [${peerIp}], pleased to meet you`),
    // SESSION (the real line quotes the address, `<address> sender ok`; the context carries only the domain).
    mailOk: () => reply(250, '2.1.0', 'sender ok'),
    rcptOk: ({ recipient }) => reply(250, '2.1.5', `<${recipient}> recipient ok`),
    dataOk: ({ token }) => reply(250, '2.0.0', `${token} mail accepted for delivery`),
    // responses.jsonl orange unknown-user (OFR_416).
    unknownUser: () =>
      reply(550, '5.1.1', 'Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]'),
    // No Orange text for closed accounts (La Poste's 420/426 are LPN only): the closest real line is 416.
    mailboxDisabled: () =>
      reply(550, '5.1.1', 'Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]'),
    // responses.jsonl orange mailbox-full: 552 5.1.1 (sic).
    mailboxFull: () => reply(552, '5.1.1', 'Boite du destinataire pleine. Recipient overquota. OFR_417 [417]'),
    // responses.jsonl orange OFR_999, the temporary refusal that lasts hours.
    rateLimited: ({ peerIp }) =>
      reply(
        421,
        null,
        `${peerIp} Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]`,
      ),
    // responses.jsonl orange OFR005_104.
    tooManyConnections: ({ hostname }) =>
      reply(
        421,
        null,
        `${node(hostname)} ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]`,
      ),
    // Closest real line: Orange documents no per-connection message text; 104 asks the sender to slow down.
    tooManyMessages: ({ hostname }) =>
      reply(
        421,
        null,
        `${node(hostname)} ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]`,
      ),
    // responses.jsonl orange OFR006_103.
    reputationBlock: ({ hostname, peerIp }) =>
      reply(
        550,
        null,
        `${node(hostname)} ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR006_103 ${peerIp} [103]`,
      ),
    // responses.jsonl orange auth-failure (SIS: the SPF/DNS check of the sender's domain).
    authFailure: ({ peerIp }) =>
      reply(
        421,
        null,
        `smtp.orange.fr [${peerIp}] Emetteur invalide, Veuillez verifier la configuration SPF/DNS de votre nom de domaine. Invalid Sender. SPF check failed, please verify the SPF/DNS configuration for your domain name.`,
      ),
    // @assumption: SIS lists 517 as Orange's DMARC failure without its text; La Poste's 517 words
    // (responses.jsonl laposte) with Orange's OFR suffix and an ordinary 550 5.7.1.
    dmarcFailure: () =>
      reply(
        550,
        '5.7.1',
        'Message refused, DMARC verification Failed. Message refuse, verification DMARC en echec OFR_517 [517]',
      ),
    // responses.jsonl orange OFR004_405 "Invalid Sender", the closest line: 405/415 cover senders
    // whose DNS does not check out (facts §4); Orange documents no PTR-specific text.
    ptrFailure: () => reply(501, '5.1.0', 'Emetteur invalide. Invalid Sender. OFR004_405 [405]'),
    // @assumption: Orange documents no clear-text refusal; plain text in its two-language style.
    tlsRequired: ({ hostname }) =>
      reply(530, '5.7.0', `${node(hostname)} ME Connexion chiffree requise. Must issue a STARTTLS command first.`),
    // SIS: 514 = "Taille limite du message atteinte"; the English half, the codes and the suffix are @assumption.
    messageTooLarge: () =>
      reply(552, '5.3.4', 'Taille limite du message atteinte. Message size limit exceeded. OFR_514 [514]'),
    // responses.jsonl orange OFR005_505.
    serverError: () =>
      reply(
        421,
        '4.2.0',
        'Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]',
      ),
  },
  sources: [
    SIS,
    KUMO_X,
    EGRESSIF,
    PM_OFR,
    SESSION,
    'https://bentonow.com/smtp-errors/orange (secondary)',
    '../shared/facts/responses.jsonl (providers orange, laposte)',
    '../shared/facts/isp-behaviors.md §1-4',
  ],
};
