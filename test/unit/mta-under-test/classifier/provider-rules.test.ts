/**
 * The rules that matter most, one behaviour each: what a provider's or gateway's documented
 * reply means, and that the classifier does not read a block, a velocity refusal or a full
 * mailbox as a dead address. Replies are written as the receivers send them (sources in the
 * rule packs); addresses are documentation values.
 */
import { describe, expect, test } from 'vitest';
import { classifyFacts, classifyReply } from '../../../../mta-under-test/reference/core/classify.ts';
import type { ReplyContext } from '../../../../mta-under-test/reference/core/classify.ts';
import { parseReply } from '../../../../kernel/smtp/reply.ts';

/** Classifies a reply line as a client reads it: `"550 5.1.1 text"`. */
function classifyLine(line: string, context: ReplyContext = {}) {
  return classifyReply(parseReply(Number(line.slice(0, 3)), line.slice(4)), context);
}

describe('mailbox providers', () => {
  test('Gmail 421 4.7.28 "unusual rate of unsolicited mail" is a rate limit: back off, keep the address', () => {
    // Act
    const verdict = classifyLine(
      '421 4.7.28 [192.0.2.10] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
    );
    // Assert
    expect(verdict).toMatchObject({
      class: 'rate-limited',
      action: 'backoff',
      hard: false,
      rule: 'gmail.4.7.28',
      family: 'gmail',
    });
  });

  test('Gmail 550 5.7.26 unauthenticated sender is an authentication failure: stop the stream', () => {
    const verdict = classifyLine(
      '550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.',
    );
    expect(verdict).toMatchObject({ class: 'auth-failure', action: 'stop', hard: false });
  });

  test('Gmail 452 4.2.2 over quota is a full mailbox, not a hard bounce', () => {
    const verdict = classifyLine(
      '452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp',
    );
    expect(verdict).toMatchObject({ class: 'mailbox-full', action: 'retry', hard: false });
  });

  test('Gmail 550 5.1.1 keeps the rule the engine records for a dead address', () => {
    const verdict = classifyLine(
      "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. - gsmtp",
    );
    expect(verdict).toMatchObject({
      class: 'unknown-user',
      action: 'suppress',
      hard: true,
      rule: 'generic.enhanced.5.1.1',
    });
  });

  test('Yahoo [TSS04] deferral for volume or complaints is a reputation block', () => {
    const verdict = classifyLine(
      '421 4.7.0 [TSS04] Messages from 192.0.2.20 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    );
    expect(verdict).toMatchObject({ class: 'reputation-block', action: 'backoff', hard: false, rule: 'yahoo.ts' });
  });

  test('Yahoo [BL21] Spamhaus listing is a blocklist', () => {
    const verdict = classifyLine(
      "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.20, because the ip is in Spamhaus's list; see http://postmaster.yahoo.com/550-bl23.html",
    );
    expect(verdict).toMatchObject({ class: 'blocklisted', action: 'stop', rule: 'yahoo.bl' });
  });

  test('Outlook 451 4.7.650 "temporarily rate limited due to IP reputation" is a rate limit', () => {
    const verdict = classifyLine(
      '451 4.7.650 The mail server [192.0.2.30] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)',
    );
    expect(verdict).toMatchObject({ class: 'rate-limited', action: 'backoff', hard: false });
  });

  test('Outlook S3150 "part of their network is on our block list" is a blocklist', () => {
    const verdict = classifyLine(
      "550 5.7.1 Unfortunately, messages from [192.0.2.30] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
    );
    expect(verdict).toMatchObject({ class: 'blocklisted', action: 'stop', hard: false, rule: 'outlook.block-list' });
  });

  test('Orange OFR006_102 decides by its reason number, not by the shared words', () => {
    const blocked = classifyLine(
      '550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. Client host blocked for spamming issues. OFR006_102 [102]',
    );
    const refused = classifyLine(
      '421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]',
    );
    expect([blocked.class, blocked.rule, refused.class, refused.rule]).toEqual([
      'blocklisted',
      'orange.102',
      'server-error',
      'orange.505',
    ]);
  });

  test('T-Online (NOWL) is a reputation block', () => {
    const verdict = classifyLine(
      '554 IP=192.0.2.90 - None/bad reputation. Ask your postmaster for help or to contact tobr@rx.t-online.de for reset. (NOWL)',
    );
    expect(verdict).toMatchObject({ class: 'reputation-block', hard: false });
  });
});

describe('gateways and blocklists', () => {
  test.each([
    [
      '554 5.7.1 Service unavailable; Client host [192.0.2.150] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.150',
    ],
    [
      '550 5.7.1 Service unavailable, MailFrom domain is listed in Spamhaus. To request removal from this list see https://www.spamhaus.org/query/lookup/ (S8002)',
    ],
    ['554 5.7.1 Service unavailable; Sender address [bounce@example.com] blocked using dbl.spamhaus.org'],
  ])('Spamhaus texts are blocklisted: %s', (line) => {
    expect(classifyLine(line)).toMatchObject({ class: 'blocklisted', action: 'stop', hard: false });
  });

  test('Barracuda "(address:blocked)" is a policy block, not an unknown user', () => {
    const verdict = classifyLine('550 permanent failure for one or more recipients (user@example.com:blocked)', {
      mxHost: 'd123.ess.barracudanetworks.com',
    });
    expect(verdict).toMatchObject({
      class: 'policy-block',
      hard: false,
      rule: 'barracuda.recipient-blocked',
      family: 'barracuda',
    });
  });

  test.each([
    ['550 5.7.1 Too many invalid recipients'],
    ['550 5.1.1 Directory harvest attack detected'],
    ['452 4.5.3 Too many recipients from your IP, slow down'],
    ['550 5.1.1 <user@example.com> - 203.0.113.9 has sent to too many recipients this hour.'],
  ])('velocity and harvesting refusals are not unknown-user, even with 5.1.1: %s', (line) => {
    const verdict = classifyLine(line, { mxHost: 'mx1.example.pphosted.com' });
    expect(verdict.class).not.toBe('unknown-user');
    expect(verdict.hard).toBe(false);
  });

  test("a gateway's 550 5.1.1 stays unknown-user, flagged with its family for corroboration", () => {
    const verdict = classifyLine('550 5.1.1 User Unknown', { mxHost: 'us-smtp-inbound-1.mimecast.com' });
    expect(verdict).toMatchObject({ class: 'unknown-user', hard: true, family: 'mimecast' });
    expect(verdict.evidence).toContain('gateway: may be a disguised policy block');
  });

  test('Microsoft 365 5.4.1 "Recipient address rejected: Access denied" is Directory-Based Edge Blocking: unknown user', () => {
    const verdict = classifyLine(
      '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [BN1NAM02FT022.eop-nam02.prod.protection.outlook.com]',
    );
    expect(verdict).toMatchObject({ class: 'unknown-user', rule: 'm365.dbeb', family: 'microsoft-365' });
  });

  test('Mimecast "Internal resource temporarily unavailable" is its greylisting', () => {
    const verdict = classifyLine(
      '451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451',
    );
    expect(verdict).toMatchObject({ class: 'greylisted', action: 'retry' });
  });
});

describe('languages and generic MTAs', () => {
  test.each([
    ['550 5.1.1 <user@example.fr>: Utilisateur inconnu'],
    ['550 Adresse d au moins un destinataire invalide'],
    ['550 5.1.1 Benutzer unbekannt'],
    ['550 Empfänger unbekannt / recipient unknown'],
    ['550 Utente inesistente'],
    ['550 Usuario desconocido'],
    ['550 Gebruiker onbekend'],
    ['550 Użytkownik nie istnieje'],
    ['550 Uživatel neexistuje'],
  ])('"no such user" in its language is unknown-user: %s', (line) => {
    expect(classifyLine(line)).toMatchObject({ class: 'unknown-user', action: 'suppress', hard: true });
  });

  test.each([
    ['552 Boîte aux lettres pleine', 'mailbox-full'],
    ['452 Postfach voll', 'mailbox-full'],
    ['421 Trop de connexions, veuillez verifier votre configuration', 'too-many-connections'],
    ['450 4.7.1 Twój serwer poczty 192.0.2.96 został tymczasowo zablokowany za spam', 'reputation-block'],
  ])('%s → %s', (line, cls) => {
    expect(classifyLine(line).class).toBe(cls);
  });

  test('postgrey greylisting is retried from the same IP', () => {
    const verdict = classifyLine(
      '450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html',
    );
    expect(verdict).toMatchObject({ class: 'greylisted', action: 'retry', hard: false });
  });

  test('a temporary "User unknown" (Postfix 450) is retried, not suppressed', () => {
    const verdict = classifyLine(
      '450 4.1.1 <user@example.org>: Recipient address rejected: User unknown in virtual alias table',
    );
    expect(verdict).toMatchObject({ class: 'unknown-user', action: 'retry', hard: false });
  });

  test('an address that spells a reason does not decide: "userunknown@" with a full mailbox', () => {
    const verdict = classifyFacts({
      code: 552,
      enhanced: '5.2.2',
      text: '552 5.2.2 <userunknown@example.org>: Recipient address rejected: Mailbox full',
    });
    expect(verdict.class).toBe('mailbox-full');
  });

  test('a bare 5xx that names no cause is a policy block, never a suppression', () => {
    expect(classifyLine('550 Sorry')).toMatchObject({ class: 'policy-block', hard: false, rule: 'generic.basic.5xx' });
  });

  test('no code and no words is unclassified', () => {
    expect(classifyFacts({ code: null, enhanced: null, text: '' })).toMatchObject({
      class: 'unclassified',
      rule: 'generic.unmatched',
      hard: false,
    });
  });
});
