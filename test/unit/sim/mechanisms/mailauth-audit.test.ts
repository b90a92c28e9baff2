/**
 * Sim mode's check of its judge: mailauth judges a sample of the messages beside the run, each
 * against the zone as it was when the message arrived, and every disagreement is named.
 */
import { expect, test } from 'vitest';
import { dkimSign } from '../../../../mta-under-test/reference/core/dkim-signer.ts';
import { DnsZone } from '../../../../sim/dns/zone.ts';
import { Authenticator } from '../../../../sim/mechanisms/auth/authentication.ts';
import { MailauthAudit } from '../../../../sim/mechanisms/auth/mailauth-audit.ts';
import { splitMessage } from '../../../../sim/mechanisms/auth/message-parts.ts';
import { TEST_DKIM_KEY, TEST_SENDER_DOMAIN, publishTestSender } from '../../../support/receiver-world.ts';
import { ed25519DkimRecord, ed25519Key } from '../../../support/test-keys.ts';

const MAIL_FROM = `bounces@${TEST_SENDER_DOMAIN}`;
const SIGNED = dkimSign(
  [`From: <news@${TEST_SENDER_DOMAIN}>`, 'To: <alice@gmail.com>', 'Subject: audited', '', 'Hello.', ''].join('\r\n'),
  TEST_DKIM_KEY,
);
const onTheWire = {
  peerIp: '127.0.0.2',
  heloName: 'mta1.mailbench.test',
  mailFrom: MAIL_FROM,
  data: SIGNED,
  receivingHost: 'mx.test',
};

function zone(): DnsZone {
  const dns = new DnsZone();
  publishTestSender(dns);
  return dns;
}

function rotateKey(dns: DnsZone): void {
  const other = ed25519Key(13);
  dns.remove(`test._domainkey.${TEST_SENDER_DOMAIN}`, 'TXT');
  dns.addTxt(`test._domainkey.${TEST_SENDER_DOMAIN}`, ed25519DkimRecord(other));
}

test('the sample is the first messages of each receiver under each version of the zone', () => {
  const dns = zone();
  const audit = new MailauthAudit(dns, 2);
  expect([audit.takes('gmail'), audit.takes('gmail'), audit.takes('gmail'), audit.takes('outlook')]).toEqual([
    true,
    true,
    false,
    true,
  ]);
  rotateKey(dns);
  expect([audit.takes('gmail'), audit.takes('gmail'), audit.takes('gmail')]).toEqual([true, true, false]);
});

test("mailauth agrees with the receivers' verifier, judging against the zone as it was when the message came", async () => {
  const dns = zone();
  const audit = new MailauthAudit(dns);
  const own = new Authenticator(dns).authenticate(onTheWire.peerIp, MAIL_FROM, splitMessage(SIGNED));
  audit.check('gmail', onTheWire, own);
  // The key is rotated before mailauth has resolved anything: its verdict must not see it.
  rotateKey(dns);

  expect(await audit.figures()).toEqual({ messages: 1, agreed: 1, disagreements: [] });
});

test('a verdict mailauth does not share is counted and named', async () => {
  const dns = zone();
  const audit = new MailauthAudit(dns);
  const own = new Authenticator(dns).authenticate(onTheWire.peerIp, MAIL_FROM, splitMessage(SIGNED));
  const tampered = { ...onTheWire, data: SIGNED.replace('Hello.', 'Hello!') };
  audit.check('gmail', tampered, own);

  const figures = await audit.figures();
  expect({ messages: figures.messages, agreed: figures.agreed }).toEqual({ messages: 1, agreed: 0 });
  expect(figures.disagreements).toEqual([
    expect.stringMatching(
      /^gmail: the receivers' verifier said spf=pass dkim=pass@.*; mailauth said spf=pass dkim=fail@/,
    ) as unknown,
  ]);
});
