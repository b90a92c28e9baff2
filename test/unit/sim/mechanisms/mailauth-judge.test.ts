/**
 * The judge on the wire: mailauth's verdicts in the receivers' vocabulary, resolved through
 * the sim DNS, and remembered only while what they depend on is unchanged.
 */
import { expect, test } from 'vitest';
import { dkimSign } from '../../../../mta-under-test/reference/core/dkim-signer.ts';
import { MailauthJudge } from '../../../../sim/mechanisms/auth/mailauth-verdicts.ts';
import { addressOfReverseName, mailauthResolver } from '../../../../sim/mechanisms/auth/mailauth-resolver.ts';
import { DnsZone } from '../../../../sim/dns/zone.ts';
import { TEST_DKIM_KEY, TEST_SENDER_DOMAIN, publishTestSender } from '../../../support/receiver-world.ts';
import { ed25519DkimRecord, ed25519Key } from '../../../support/test-keys.ts';

const OTHER_KEY = {
  ...TEST_DKIM_KEY,
  privateKey: ed25519Key(11),
};
const SIGNED = dkimSign(
  [`From: <news@${TEST_SENDER_DOMAIN}>`, 'To: <alice@gmail.com>', 'Subject: judged', '', 'Hello.', ''].join('\r\n'),
  TEST_DKIM_KEY,
);
const onTheWire = (data: string) => ({
  peerIp: '127.0.0.2',
  heloName: 'mta1.mailbench.test',
  mailFrom: `bounces@${TEST_SENDER_DOMAIN}`,
  data,
  receivingHost: 'mx.gmail.test',
});

function zone(): DnsZone {
  const dns = new DnsZone();
  publishTestSender(dns);
  return dns;
}

test('a signed, aligned message from an SPF-listed IP passes SPF, DKIM and DMARC by mailauth', async () => {
  const verdict = await new MailauthJudge(zone()).authenticate(onTheWire(SIGNED));
  expect({
    spf: verdict.spf,
    dkim: verdict.dkim.map((each) => [each.result, each.domain, each.selector]),
    dmarc: verdict.dmarc,
  }).toEqual({
    spf: 'pass',
    dkim: [['pass', TEST_SENDER_DOMAIN, 'test']],
    dmarc: { result: 'pass', policy: 'reject', fromDomain: TEST_SENDER_DOMAIN },
  });
});

test('an unsigned message from an IP SPF does not list: none, fail, and DMARC fails with its policy', async () => {
  const unsigned = SIGNED.slice(SIGNED.indexOf('From:'));
  const verdict = await new MailauthJudge(zone()).authenticate({ ...onTheWire(unsigned), peerIp: '10.9.8.7' });
  expect({
    spf: verdict.spf,
    dkim: verdict.dkim.map((each) => each.result),
    dmarc: verdict.dmarc.result,
    policy: verdict.dmarc.policy,
  }).toEqual({ spf: 'fail', dkim: ['none'], dmarc: 'fail', policy: 'reject' });
});

test('a verdict is remembered only while the zone is unchanged: the same bytes after a key rotation fail', async () => {
  const dns = zone();
  const judge = new MailauthJudge(dns);
  expect((await judge.authenticate(onTheWire(SIGNED))).dkim[0]?.result).toBe('pass');
  expect((await judge.authenticate(onTheWire(SIGNED))).dkim[0]?.result).toBe('pass');

  dns.remove(`test._domainkey.${TEST_SENDER_DOMAIN}`, 'TXT');
  dns.addTxt(`test._domainkey.${TEST_SENDER_DOMAIN}`, ed25519DkimRecord(OTHER_KEY.privateKey));

  expect((await judge.authenticate(onTheWire(SIGNED))).dkim[0]?.result).toBe('fail');
});

test('the zone answers mailauth as node’s resolver would: records, ENODATA, ENOTFOUND, PTR by reverse name', async () => {
  const resolve = mailauthResolver(zone());
  expect(await resolve(TEST_SENDER_DOMAIN, 'TXT')).toEqual([['v=spf1 ip4:127.0.0.0/8 -all']]);
  expect(await resolve('2.0.0.127.in-addr.arpa', 'PTR')).toEqual(['mta1.mailbench.test']);
  await expect(resolve('mta1.mailbench.test', 'AAAA')).rejects.toMatchObject({ code: 'ENODATA' });
  await expect(resolve('nowhere.mailbench.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  expect(addressOfReverseName('4.3.2.1.in-addr.arpa.')).toBe('1.2.3.4');
  expect(addressOfReverseName('example.test')).toBeNull();
});
