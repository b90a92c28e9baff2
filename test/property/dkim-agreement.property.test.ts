/**
 * The receivers' DKIM verifier judges as mailauth judges. Messages are built from the shapes
 * real mail takes (folded fields, runs of spaces and tabs, fields given twice, trailing blank
 * lines, bodies with and without a last line end), signed by the engine, then either left alone
 * or changed the ways mail gets changed on the way (re-spaced, re-cased, a signed field edited, a
 * field added, the body edited, blank lines added) or checked against another key. Whatever
 * comes out, the receivers pass a message exactly when mailauth passes it: the verifier that
 * judges every sim run agrees with an independent one on every case fast-check finds.
 */
import fc from 'fast-check';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { expect, test } from 'vitest';
import { dkimSign } from '../../mta-under-test/reference/core/dkim-signer.ts';
import type { DkimKey } from '../../mta-under-test/reference/core/dkim-signer.ts';
import { DnsZone } from '../../sim/dns/zone.ts';
import { DkimVerifier } from '../../sim/mechanisms/auth/dkim.ts';
import { splitMessage } from '../../sim/mechanisms/auth/message-parts.ts';
import { SignatureMemo } from '../../sim/mechanisms/auth/signature-memo.ts';
import { testSeed } from '../support/test-seed.ts';
import { ed25519DkimRecord, ed25519Key } from '../support/test-keys.ts';

const SEED = testSeed(20261207);
const DOMAIN = 'prop.dkim.test';

function keyOf(fill: number): DkimKey {
  return { domain: DOMAIN, selector: 'p', privateKey: ed25519Key(fill) };
}
const SIGNING = keyOf(3);
const OTHER = keyOf(4);
const recordOf = (key: DkimKey): string => ed25519DkimRecord(key.privateKey);

/** A header value as mail writes it: words with single or odd spacing, sometimes folded. */
const value = fc
  .array(fc.constantFrom('News', 'hello', 'Re:', '<a@prop.dkim.test>', '"Quoted"', 'x=1;', '=?UTF-8?Q?caf=C3=A9?='), {
    minLength: 1,
    maxLength: 5,
  })
  .chain((words) =>
    fc
      .array(fc.constantFrom(' ', '  ', '\t', ' \t ', '\r\n '), { minLength: words.length, maxLength: words.length })
      .map((gaps) => words.map((word, index) => `${gaps[index] ?? ' '}${word}`).join('')),
  );
const field = fc
  .tuple(
    fc.constantFrom('From', 'To', 'Subject', 'Date', 'Message-ID', 'List-Unsubscribe', 'X-Mailer', 'Content-Type'),
    value,
  )
  .map(([name, text]) => `${name}:${text}`);
const bodyLine = fc.constantFrom(
  'Hello',
  'line with trailing space ',
  'tabs\tinside\t',
  '',
  '  indented',
  '-- ',
  'The end.',
);
const body = fc
  .tuple(fc.array(bodyLine, { maxLength: 8 }), fc.constantFrom('', '\r\n', '\r\n\r\n'))
  .map(([lines, end]) => lines.join('\r\n') + end);

type Change =
  | 'none'
  | 'respace-subject'
  | 'recase-names'
  | 'edit-signed-field'
  | 'add-field'
  | 'edit-body'
  | 'add-blank-lines'
  | 'other-key';
const change = fc.constantFrom<Change>(
  'none',
  'respace-subject',
  'recase-names',
  'edit-signed-field',
  'add-field',
  'edit-body',
  'add-blank-lines',
  'other-key',
);

function changed(signed: string, how: Change): string {
  const end = signed.indexOf('\r\n\r\n');
  const [head, rest] = end < 0 ? [signed, ''] : [signed.slice(0, end + 2), signed.slice(end + 2)];
  switch (how) {
    case 'none':
    case 'other-key':
      return signed;
    case 'respace-subject':
      return head.replace(/^Subject:/m, 'Subject:  \t') + rest;
    case 'recase-names':
      return head.replace(/^From:/m, 'FROM:').replace(/^To:/m, 'to:') + rest;
    case 'edit-signed-field':
      return head.replace(/^From:/m, 'From: x') + rest;
    case 'add-field':
      return `${head}X-Added: later\r\n${rest}`;
    case 'edit-body':
      return `${head}${rest}edited\r\n`;
    case 'add-blank-lines':
      return `${signed}\r\n\r\n`;
  }
}

test('the receivers pass a signed (and perhaps changed) message exactly when mailauth does', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(field, { minLength: 1, maxLength: 6 }), body, change, async (fields, text, how) => {
      const message = `From: <news@${DOMAIN}>\r\n${fields.join('\r\n')}\r\n\r\n${text}`;
      const received = changed(dkimSign(message, SIGNING), how);
      const record = recordOf(how === 'other-key' ? OTHER : SIGNING);
      const resolver = (name: string, type: string): Promise<string[][]> =>
        type === 'TXT' && name === `p._domainkey.${DOMAIN}`
          ? Promise.resolve([[record]])
          : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
      const byMailauth = (await dkimVerify(received, { resolver })).results[0]?.status.result;
      const dns = new DnsZone();
      dns.addTxt(`p._domainkey.${DOMAIN}`, record);
      const byReceivers = new DkimVerifier(dns, new SignatureMemo()).verify(splitMessage(received))[0]?.result;
      expect({ how, passes: byReceivers === 'pass' }).toEqual({ how, passes: byMailauth === 'pass' });
    }),
    { seed: SEED, numRuns: 300 },
  );
});
