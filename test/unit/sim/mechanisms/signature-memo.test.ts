/**
 * The signature memo only ever saves work, and only the verifier writes it (the engine's signer
 * tells it nothing): a check answers from memory only when algorithm, key, signed-data digest
 * and signature all match what was checked, so a message the engine signed still fails when DNS
 * publishes another key, when a signed header changes, or when the signature is altered; and
 * every answer equals that of a verifier that remembers nothing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { expect, test } from 'vitest';
import { dkimSign } from '../../../../mta-under-test/reference/core/dkim-signer.ts';
import type { DkimKey } from '../../../../mta-under-test/reference/core/dkim-signer.ts';
import { DnsZone } from '../../../../sim/dns/zone.ts';
import { DkimVerifier } from '../../../../sim/mechanisms/auth/dkim.ts';
import { splitMessage } from '../../../../sim/mechanisms/auth/message-parts.ts';
import { SIGNATURES, SignatureMemo, publicKeyId } from '../../../../sim/mechanisms/auth/signature-memo.ts';
import type { SignatureCheck } from '../../../../sim/mechanisms/auth/signature-memo.ts';

const MESSAGE = 'From: <news@memo.mailbench.test>\r\nTo: <a@b.test>\r\nSubject: memo\r\n\r\nbody\r\n';

function keyFor(type: 'ed25519' | 'rsa'): { key: DkimKey; record: string } {
  const pair =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 1024 });
  const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
  const p = type === 'ed25519' ? spki.subarray(-32).toString('base64') : spki.toString('base64');
  return {
    key: { domain: 'memo.mailbench.test', selector: type, privateKey: pair.privateKey },
    record: `v=DKIM1; k=${type}; p=${p}`,
  };
}

test('a check answers from memory only when all four parts match', () => {
  const memo = new SignatureMemo(10);
  const check: SignatureCheck = {
    algorithm: 'ed25519-sha256',
    publicKey: 'key',
    dataDigest: 'digest',
    signature: 'sig',
  };
  expect(memo.recall(check)).toBeUndefined();
  memo.remember(check, true);
  expect(memo.recall(check)).toBe(true);
  expect(memo.recall({ ...check, publicKey: 'other' })).toBeUndefined();
  expect(memo.recall({ ...check, dataDigest: 'other' })).toBeUndefined();
  expect(memo.recall({ ...check, algorithm: 'rsa-sha256' })).toBeUndefined();
  expect(memo.recall({ ...check, signature: 'other' })).toBeUndefined();
  memo.remember(check, false);
  expect(memo.recall(check)).toBe(false);
});

test('the memo holds at most its capacity', () => {
  const memo = new SignatureMemo(2);
  for (const signature of ['a', 'b', 'c'])
    memo.remember({ algorithm: 'ed25519-sha256', publicKey: 'k', dataDigest: 'd', signature }, true);
  expect(memo.size).toBe(2);
  expect(memo.recall({ algorithm: 'ed25519-sha256', publicKey: 'k', dataDigest: 'd', signature: 'a' })).toBeUndefined();
});

test('a private key and its public key have one id', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  expect(publicKeyId(privateKey)).toBe(publicKeyId(publicKey));
  expect(publicKeyId(generateKeyPairSync('ed25519').privateKey)).not.toBe(publicKeyId(publicKey));
});

for (const type of ['ed25519', 'rsa'] as const) {
  test(`${type}: signing leaves the memo untouched; a verified signature passes, and tampering or another key fails as without it`, () => {
    const { key, record } = keyFor(type);
    const other = keyFor(type);
    const dns = new DnsZone().addTxt(`${type}._domainkey.memo.mailbench.test`, record);
    const before = SIGNATURES.size;
    const signed = dkimSign(MESSAGE, key);
    // The sender writes nothing a receiver reads.
    expect(SIGNATURES.size).toBe(before);
    const verifier = new DkimVerifier(dns);
    expect(verifier.verify(splitMessage(signed))).toEqual([
      expect.objectContaining({ result: 'pass', reason: 'signature verified' }),
    ]);
    // A signed header changed after signing: the digest differs, the memo has nothing, the check fails.
    expect(verifier.verify(splitMessage(signed.replace('Subject: memo', 'Subject: memo!')))).toEqual([
      expect.objectContaining({ result: 'fail', reason: 'signature did not verify' }),
    ]);
    // Another signature value for the same data fails.
    const flipped = signed.replace(/ b=([A-Za-z0-9+/])/, (_, first: string) => ` b=${first === 'A' ? 'B' : 'A'}`);
    expect(verifier.verify(splitMessage(flipped))).toEqual([expect.objectContaining({ result: 'fail' })]);
    // DNS publishes another key: the signer's entry names its own key, so the check is made, and fails.
    const rotated = new DkimVerifier(new DnsZone().addTxt(`${type}._domainkey.memo.mailbench.test`, other.record));
    expect(rotated.verify(splitMessage(signed))).toEqual([
      expect.objectContaining({ result: 'fail', reason: 'signature did not verify' }),
    ]);
    expect(SIGNATURES.size).toBeGreaterThan(0);
  });

  test(`${type}: the shared memo's verdicts equal those of a verifier that remembers nothing`, () => {
    const { key, record } = keyFor(type);
    const dns = new DnsZone().addTxt(`${type}._domainkey.memo.mailbench.test`, record);
    const variants = [dkimSign(MESSAGE, key), dkimSign(MESSAGE.replace('memo', 'other'), key)];
    variants.push(
      (variants[0] as string).replace('Subject: memo', 'Subject: changed'),
      (variants[1] as string).replace('body', 'changed body'),
    );
    const remembering = new DkimVerifier(dns);
    const forgetting = new DkimVerifier(dns, new SignatureMemo(1));
    for (const message of [...variants, ...variants]) {
      const fresh = new DkimVerifier(dns, new SignatureMemo(1)).verify(splitMessage(message));
      expect(remembering.verify(splitMessage(message))).toEqual(fresh);
      expect(forgetting.verify(splitMessage(message))).toEqual(fresh);
    }
  });
}
