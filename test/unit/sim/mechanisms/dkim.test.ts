/**
 * The receivers' DKIM verifier against signatures it did not make: nodemailer's DKIM signer
 * (rsa-sha256, relaxed/relaxed), and the engine's own Ed25519 signer. A changed body or a
 * rotated DNS key fails.
 */
import { generateKeyPairSync } from 'node:crypto';
import nodemailer from 'nodemailer';
import { expect, test } from 'vitest';
import { dkimSign } from '../../../../mta-under-test/reference/core/dkim-signer.ts';
import { DnsZone } from '../../../../sim/dns/zone.ts';
import { DkimVerifier } from '../../../../sim/mechanisms/auth/dkim.ts';
import { splitMessage } from '../../../../sim/mechanisms/auth/message-parts.ts';
import { TEST_DKIM_KEY, publishTestSender } from '../../../support/receiver-world.ts';

async function nodemailerSigned(privateKey: string): Promise<string> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail({
    from: 'news@news.mailbench.test',
    to: 'alice@gmail.com',
    subject: 'Signed by nodemailer',
    text: 'Hello  there,\r\nwith  spaces.\r\n\r\n\r\n',
    dkim: { domainName: 'news.mailbench.test', keySelector: 'nm', privateKey },
  });
  return (info.message as Buffer).toString('utf8');
}

test('an rsa-sha256 signature made by nodemailer verifies; a changed body does not', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dns = new DnsZone();
  dns.addTxt(
    'nm._domainkey.news.mailbench.test',
    `v=DKIM1; k=rsa; p=${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
  );
  const signed = await nodemailerSigned(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  const verifier = new DkimVerifier(dns);
  expect(verifier.verify(splitMessage(signed))).toEqual([
    expect.objectContaining({ result: 'pass', domain: 'news.mailbench.test' }),
  ]);
  expect(verifier.verify(splitMessage(signed.replace('with  spaces', 'with more spaces')))).toEqual([
    expect.objectContaining({ result: 'fail' }),
  ]);
});

test("the engine's Ed25519 signature verifies; after the DNS key is rotated it fails", () => {
  const dns = new DnsZone();
  publishTestSender(dns);
  const signed = dkimSign(
    'From: <news@news.mailbench.test>\r\nTo: <a@b.test>\r\nSubject: x\r\n\r\nbody\r\n',
    TEST_DKIM_KEY,
  );
  const verifier = new DkimVerifier(dns);
  expect(verifier.verify(splitMessage(signed))).toEqual([
    expect.objectContaining({ result: 'pass', domain: 'news.mailbench.test', selector: 'test' }),
  ]);
  const other = generateKeyPairSync('ed25519')
    .publicKey.export({ format: 'der', type: 'spki' })
    .subarray(-32)
    .toString('base64');
  dns
    .remove('test._domainkey.news.mailbench.test', 'TXT')
    .addTxt('test._domainkey.news.mailbench.test', `v=DKIM1; k=ed25519; p=${other}`);
  expect(verifier.verify(splitMessage(signed))).toEqual([
    expect.objectContaining({ result: 'fail', reason: 'signature did not verify' }),
  ]);
});
