/**
 * The hot-path rewrites read exactly as the code they replaced: relaxed header
 * canonicalization (a fast path for one-line fields), splitting a message into fields (an
 * indexOf loop instead of a look-behind split), body hashes (remembered per body) and reply
 * tokens (a digit table instead of toString(36)). Each is checked against the former code on
 * generated inputs rich in the characters that matter: CR, LF, tabs, runs of spaces, colons.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../support/test-seed.ts';
import { bodyHash, canonicalBody, canonicalHeaderRelaxed } from '../../../../sim/mechanisms/auth/dkim-canonical.ts';
import type { HeaderField } from '../../../../sim/mechanisms/auth/message-parts.ts';
import { splitMessage } from '../../../../sim/mechanisms/auth/message-parts.ts';
import { Rng } from '../../../../kernel/random/rng.ts';

function formerCanonicalHeaderRelaxed(field: HeaderField): string {
  const colon = field.raw.indexOf(':');
  const name = field.raw.slice(0, colon).trim().toLowerCase();
  const value = field.raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}\r\n`;
}

function formerSplitMessage(message: string): { headers: HeaderField[]; body: string } {
  const normalised = message.includes('\r\n') ? message : message.replace(/\n/g, '\r\n');
  const end = normalised.indexOf('\r\n\r\n');
  const headerBlock = end < 0 ? normalised : normalised.slice(0, end + 2);
  const body = end < 0 ? '' : normalised.slice(end + 4);
  const headers: HeaderField[] = [];
  for (const line of headerBlock.split(/(?<=\r\n)/)) {
    if (line === '') continue;
    const last = headers[headers.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers[headers.length - 1] = { name: last.name, raw: last.raw + line };
      continue;
    }
    const colon = line.indexOf(':');
    headers.push({
      name: colon < 0 ? line.trim() : line.slice(0, colon).trim(),
      raw: line.endsWith('\r\n') ? line : `${line}\r\n`,
    });
  }
  return { headers, body };
}

/** Text made of the pieces that decide these functions' branches. */
const mailText = fc
  .array(
    fc.constantFrom(
      'a',
      'B',
      ' ',
      '  ',
      '\t',
      ':',
      '\r',
      '\n',
      '\r\n',
      '\r\n ',
      '\r\n\t',
      '\r\n\r\n',
      'é',
      '\u00a0',
      'x: y',
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));

test('relaxed header canonicalization reads as before', () => {
  fc.assert(
    fc.property(mailText, fc.boolean(), (text, terminated) => {
      const field: HeaderField = { name: 'X', raw: terminated ? `X-Test:${text}\r\n` : `X-Test:${text}` };
      expect(canonicalHeaderRelaxed(field)).toBe(formerCanonicalHeaderRelaxed(field));
    }),
    { seed: testSeed(), numRuns: 2000 },
  );
  for (const raw of [
    'Subject: one line\r\n',
    'Subject:  two  spaces\r\n',
    'Subject: folded\r\n line\r\n',
    'Subject:\ttab\r\n',
    'Subject:\r\n',
    'Subject: trailing \r\n',
  ]) {
    expect(canonicalHeaderRelaxed({ name: 'Subject', raw })).toBe(
      formerCanonicalHeaderRelaxed({ name: 'Subject', raw }),
    );
  }
});

test('splitting a message into fields and body reads as before', () => {
  fc.assert(
    fc.property(mailText, mailText, (head, rest) => {
      const message = `${head}\r\n\r\n${rest}`;
      expect(splitMessage(message)).toEqual(formerSplitMessage(message));
      expect(splitMessage(head)).toEqual(formerSplitMessage(head));
    }),
    { seed: testSeed(), numRuns: 2000 },
  );
});

test('body hashes are the SHA-256 of the canonical body, remembered or not', () => {
  fc.assert(
    fc.property(mailText, fc.boolean(), (body, relaxed) => {
      const expected = createHash('sha256').update(canonicalBody(body, relaxed)).digest('base64');
      expect(bodyHash(body, relaxed)).toBe(expected);
      expect(bodyHash(body, relaxed)).toBe(expected);
    }),
    { seed: testSeed(), numRuns: 500 },
  );
});

test('reply tokens are the digits toString(36) wrote, from the same draws', () => {
  fc.assert(
    fc.property(fc.string(), fc.integer({ min: 0, max: 40 }), (seed, length) => {
      const drawn = new Rng(seed);
      const former = new Rng(seed);
      let expected = '';
      for (let index = 0; index < length; index++) expected += Math.floor(former.float() * 36).toString(36);
      expect(drawn.token(length)).toBe(expected);
      // The stream is where it would have been.
      expect(drawn.float()).toBe(former.float());
    }),
    { seed: testSeed(), numRuns: 300 },
  );
});
