/**
 * The engine's DKIM signatures as real verifiers judge them: mailauth (a well-kept verifier,
 * independent of the bench) and the receivers' own verifier, each reading the key from DNS and
 * told nothing by the signer. A good signature passes both; a wrong key in DNS, a body changed
 * after signing and a signed header changed after signing fail both; whitespace and case that
 * relaxed canonicalisation forgives pass both.
 */
import { ed25519DkimRecord, ed25519Key } from '../../support/test-keys.ts';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { describe, expect, test } from 'vitest';
import { dkimSign } from '../../../mta-under-test/reference/core/dkim-signer.ts';
import type { DkimKey } from '../../../mta-under-test/reference/core/dkim-signer.ts';
import { DkimVerifier } from '../../../sim/mechanisms/auth/dkim.ts';
import { splitMessage } from '../../../sim/mechanisms/auth/message-parts.ts';
import { SignatureMemo } from '../../../sim/mechanisms/auth/signature-memo.ts';
import { DnsZone } from '../../../sim/dns/zone.ts';

const DOMAIN = 'news.dkim.test';

const keyOf = (fill: number): DkimKey => ({ domain: DOMAIN, selector: 'mb', privateKey: ed25519Key(fill) });
const recordOf = (key: DkimKey): string => ed25519DkimRecord(key.privateKey);

const SIGNING = keyOf(7);

/** Both verifiers against a DNS that publishes `published` for the selector. */
async function judged(message: string, published: DkimKey = SIGNING): Promise<{ mailauth: string; receivers: string }> {
  const record = recordOf(published);
  const resolver = (name: string, type: string): Promise<string[][]> => {
    if (type === 'TXT' && name === `mb._domainkey.${DOMAIN}`) return Promise.resolve([[record]]);
    return Promise.reject(Object.assign(new Error(`${name} ${type}: not found`), { code: 'ENOTFOUND' }));
  };
  const checked = await dkimVerify(message, { resolver });
  const dns = new DnsZone();
  dns.addTxt(`mb._domainkey.${DOMAIN}`, record);
  const receivers = new DkimVerifier(dns, new SignatureMemo()).verify(splitMessage(message));
  return { mailauth: checked.results[0]?.status.result ?? 'none', receivers: receivers[0]?.result ?? 'none' };
}

function message(header: readonly string[], body: string): string {
  return `${header.join('\r\n')}\r\n\r\n${body}`;
}

const PLAIN = message(
  [
    'From: News <news@news.dkim.test>',
    'To: <alice@example.test>',
    'Subject: Hello',
    'Message-ID: <1@news.dkim.test>',
    'List-Unsubscribe: <https://news.dkim.test/u/1>',
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
  ],
  'Hello Alice,\r\n\r\nthe news.\r\n',
);

describe('the engine signs what real verifiers accept', () => {
  test.each([
    ['a plain message', PLAIN],
    [
      'a folded header and runs of spaces and tabs in values',
      message(
        [
          'From: <news@news.dkim.test>',
          'To: <alice@example.test>,\r\n\t<bob@example.test>',
          'Subject:   A  long\t subject  ',
          'Message-ID: <2@news.dkim.test>',
        ],
        'text\r\n',
      ),
    ],
    [
      'trailing spaces and blank lines at the end of the body',
      message(['From: <news@news.dkim.test>', 'Subject: trailing'], 'line one   \r\nline\t two\t\r\n\r\n\r\n'),
    ],
    ['an empty body', message(['From: <news@news.dkim.test>', 'Subject: empty'], '')],
    ['a body without a final line end', message(['From: <news@news.dkim.test>', 'Subject: no CRLF'], 'last line')],
    // Found by test/property/dkim-agreement: signed without its line end, mailauth disagreed.
    [
      'a last line with trailing spaces and no line end',
      message(['From: <news@news.dkim.test>', 'Subject: no CRLF'], 'last line  '),
    ],
    [
      'a From given twice (the last one is signed)',
      message(['From: <old@news.dkim.test>', 'From: <news@news.dkim.test>', 'Subject: twice'], 'x\r\n'),
    ],
  ])('%s passes mailauth and the receivers', async (_name, text) => {
    expect(await judged(dkimSign(text, SIGNING))).toEqual({ mailauth: 'pass', receivers: 'pass' });
  });

  test('relaxed canonicalisation forgives a header re-spaced and re-cased on the way, and trailing blank lines added to the body', async () => {
    const signed = dkimSign(PLAIN, SIGNING);
    const respaced = signed
      .replace('Subject: Hello', 'SUBJECT:    Hello ')
      .replace(/the news\.\r\n$/, 'the news.  \r\n\r\n');
    expect(await judged(respaced)).toEqual({ mailauth: 'pass', receivers: 'pass' });
  });
});

describe('what real verifiers refuse', () => {
  test('the key in DNS is not the signing key', async () => {
    expect(await judged(dkimSign(PLAIN, SIGNING), keyOf(9))).toEqual({ mailauth: 'fail', receivers: 'fail' });
  });

  test('the body changed after signing: the body hash no longer matches', async () => {
    const tampered = dkimSign(PLAIN, SIGNING).replace('the news.', 'the olds.');
    expect(await judged(tampered)).toEqual({ mailauth: 'neutral', receivers: 'fail' });
  });

  test('a signed header changed after signing', async () => {
    const tampered = dkimSign(PLAIN, SIGNING).replace('Subject: Hello', 'Subject: Hello!');
    expect(await judged(tampered)).toEqual({ mailauth: 'fail', receivers: 'fail' });
  });
});
