/**
 * VERP return paths and the correlation header, by property: for any RFC 5321 local part
 * (dot-atom, quoted string with spaces and escapes, UTF-8 under RFC 6531) and any domain
 * (names and address literals), the return path is a valid envelope address whose local part
 * is a plain ASCII dot-atom of at most 64 octets, and it decodes back to the message and the
 * recipient (exactly, or by hash when the full form would not fit). The seed comes from
 * MAILBENCH_TEST_SEED (default fixed) and is in the suite's title, so a failure replays.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { testSeed } from '../../support/test-seed.ts';
import { addressProblem } from '../../../mta-under-test/reference/inject/address.ts';
import {
  decodeRef,
  decodeVerp,
  encodeRef,
  isVerpRecipient,
  refHeaderLine,
  verpReturnPath,
} from '../../../mta-under-test/reference/verp.ts';

const SEED = testSeed(20260105);
const RUNS = { seed: SEED, numRuns: 1000 };
const CONFIG = { prefix: 'bounces', domain: 'news.example' };

const base36 = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyz'), minLength: length, maxLength: length });
/** The engine's ids: a base-36 sequence and a random token. */
const engineId = fc.tuple(base36(6), base36(6)).map(([sequence, token]) => `${sequence}-${token}`);
/** Ids of other MTAs: any printable ASCII, short enough that the hashed form always fits. */
const foreignId = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
  minLength: 1,
  maxLength: 8,
});

const atext = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-");
const atom = fc.string({ unit: atext, minLength: 1, maxLength: 12 });
const dotAtom = fc.array(atom, { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join('.'));
const qcontent = fc.oneof(
  fc
    .integer({ min: 0x20, max: 0x7e })
    .filter((code) => code !== 0x22 && code !== 0x5c)
    .map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => `\\${String.fromCharCode(code)}`),
);
const quoted = fc.array(qcontent, { maxLength: 20 }).map((chars) => `"${chars.join('')}"`);
const utf8Atom = fc.string({
  unit: fc.constantFrom(...'äöüßéèçñøåłżśćęąčřšžđ日本語用户δοκιμή'),
  minLength: 1,
  maxLength: 8,
});
const utf8DotAtom = fc.array(fc.oneof(utf8Atom, atom), { minLength: 1, maxLength: 3 }).map((atoms) => atoms.join('.'));
const localPart = fc.oneof(dotAtom, quoted, utf8DotAtom).filter((local) => Buffer.byteLength(local) <= 64);

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const domainName = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
  .map(([labels, top]) => [...labels, top].join('.'));
const literal = fc.oneof(
  fc.ipV4().map((ip) => `[${ip}]`),
  fc.ipV6().map((ip) => `[IPv6:${ip}]`),
);
const domain = fc.oneof({ weight: 4, arbitrary: domainName }, { weight: 1, arbitrary: literal });
const recipient = fc.tuple(localPart, domain).map(([local, name]) => `${local}@${name}`);

describe(`VERP return paths (seed ${SEED})`, () => {
  test('any recipient gives a valid envelope address with a plain dot-atom local part of at most 64 octets', () => {
    fc.assert(
      fc.property(fc.oneof(engineId, foreignId), recipient, (messageId, address) => {
        const returnPath = verpReturnPath(CONFIG, { messageId, recipient: address });
        const local = returnPath.slice(0, returnPath.lastIndexOf('@'));
        expect(addressProblem(returnPath)).toBeNull();
        expect(Buffer.byteLength(local)).toBeLessThanOrEqual(64);
        expect(local).toMatch(/^[A-Za-z0-9_+=-]+(\.[A-Za-z0-9_+=-]+)*$/);
        expect(returnPath.endsWith('@news.example')).toBe(true);
      }),
      RUNS,
    );
  });

  test('it decodes back to the message and the recipient', () => {
    fc.assert(
      fc.property(fc.oneof(engineId, foreignId), recipient, (messageId, address) => {
        const token = decodeVerp(verpReturnPath(CONFIG, { messageId, recipient: address }), CONFIG);
        if (token.kind === 'not-verp') throw new Error(token.reason);
        expect(token.messageId).toBe(messageId);
        if (token.kind === 'full') expect(token.recipient).toBe(address);
        expect(isVerpRecipient(token, address)).toBe(true);
      }),
      RUNS,
    );
  });

  test("a bouncer that folds the address to lowercase still names the engine's message", () => {
    fc.assert(
      fc.property(engineId, recipient, (messageId, address) => {
        const token = decodeVerp(verpReturnPath(CONFIG, { messageId, recipient: address }).toLowerCase(), CONFIG);
        expect(token.kind === 'not-verp' ? token.reason : token.messageId).toBe(messageId);
      }),
      RUNS,
    );
  });

  test('the hashed form names the recipient and no other of the same message', () => {
    fc.assert(
      fc.property(engineId, fc.uniqueArray(recipient, { minLength: 2, maxLength: 5 }), (messageId, recipients) => {
        const long = `${'x'.repeat(50)}@${recipients[0] ?? ''}`.slice(0, 200);
        const token = decodeVerp(verpReturnPath(CONFIG, { messageId, recipient: long }), CONFIG);
        expect(token.kind).toBe('hashed');
        if (token.kind === 'not-verp') return;
        expect(recipients.filter((other) => isVerpRecipient(token, other))).toEqual([]);
        expect(isVerpRecipient(token, long)).toBe(true);
      }),
      RUNS,
    );
  });

  test('examples read as documented', () => {
    expect(verpReturnPath(CONFIG, { messageId: '000001-k3j9x1', recipient: 'alice@example.com' })).toBe(
      'bounces+000001-k3j9x1=alice=example.com@news.example',
    );
    expect(verpReturnPath(CONFIG, { messageId: '000001-k3j9x1', recipient: 'first_last+tag=x@b.example' })).toBe(
      'bounces+000001-k3j9x1=first__last+tag_3Dx=b.example@news.example',
    );
    expect(verpReturnPath(CONFIG, { messageId: '000001-k3j9x1', recipient: '"j doe"@[127.0.0.1]' })).toBe(
      'bounces+000001-k3j9x1=_22j_20doe_22=_5B127.0.0.1_5D@news.example',
    );
    expect(decodeVerp('<Bounces+000001-k3j9x1=alice=Example.COM@NEWS.example>', CONFIG)).toEqual({
      kind: 'full',
      messageId: '000001-k3j9x1',
      recipient: 'alice@Example.COM',
    });
  });

  test('addresses that are not ours say why', () => {
    expect(decodeVerp('bounces@news.example', CONFIG)).toEqual({
      kind: 'not-verp',
      reason: 'local part "bounces" does not start with "bounces+"',
    });
    expect(decodeVerp('bounces+1=a=b.example@other.example', CONFIG)).toEqual({
      kind: 'not-verp',
      reason: 'domain "other.example" is not the return-path domain news.example',
    });
    expect(decodeVerp('bounces+1=a_ZZ=b.example@news.example', CONFIG)).toMatchObject({
      kind: 'not-verp',
      reason: expect.stringContaining('bad escape "_ZZ"') as string,
    });
    expect(decodeVerp('bounces+1=notahash@news.example', CONFIG)).toMatchObject({
      kind: 'not-verp',
      reason: expect.stringContaining('neither local=domain nor') as string,
    });
    expect(decodeVerp('bounces+=a=b.example@news.example', CONFIG)).toMatchObject({
      kind: 'not-verp',
      reason: expect.stringContaining('has no <messageId>=') as string,
    });
  });

  test('configuration and ids that cannot make a return path are refused by name', () => {
    expect(() => verpReturnPath(CONFIG, { messageId: 'x'.repeat(60), recipient: 'a@b.example' })).toThrow(
      /messageId "x+" is too long for a VERP return path: .* need 85 octets, RFC 5321 allows 64/,
    );
    expect(() =>
      verpReturnPath({ prefix: 'bad prefix', domain: 'news.example' }, { messageId: '1', recipient: 'a@b.example' }),
    ).toThrow(/VERP prefix "bad prefix"/);
    expect(() => verpReturnPath(CONFIG, { messageId: '1', recipient: 'nobody' })).toThrow(
      /recipient "nobody" is not local@domain/,
    );
  });
});

describe(`the correlation header (seed ${SEED})`, () => {
  test('any message id and recipient round-trip, on one ASCII line without spaces', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.oneof(recipient, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 })),
        (messageId, address) => {
          const line = refHeaderLine({ messageId, recipient: address });
          expect(line).toMatch(/^X-Mailbench-Ref: [A-Za-z0-9._-]+$/);
          expect(decodeRef(encodeRef({ messageId, recipient: address }))).toEqual({
            kind: 'ref',
            messageId,
            recipient: address,
          });
        },
      ),
      RUNS,
    );
  });

  test('the recipient is not in plain sight, so a redacting feedback loop leaves it alone', () => {
    expect(refHeaderLine({ messageId: '000004-mnopqr', recipient: 'erin@yahoo.com' })).toBe(
      'X-Mailbench-Ref: 1.MDAwMDA0LW1ub3Bxcg.ZXJpbkB5YWhvby5jb20',
    );
  });

  test('values that are not references say why', () => {
    expect(decodeRef('2.AA.AA')).toMatchObject({
      kind: 'not-ref',
      reason: expect.stringContaining('is not 1.<base64url>.<base64url>') as string,
    });
    expect(decodeRef('1.@@.AA')).toMatchObject({
      kind: 'not-ref',
      reason: expect.stringContaining('not base64url') as string,
    });
    expect(decodeRef('1.MDAw')).toMatchObject({ kind: 'not-ref' });
    // Folding whitespace inside the value is tolerated (some relays refold long headers).
    expect(decodeRef(' 1.MDAwMDA0LW1ub3Bxcg.\r\n ZXJpbkB5YWhvby5jb20 ')).toEqual({
      kind: 'ref',
      messageId: '000004-mnopqr',
      recipient: 'erin@yahoo.com',
    });
  });
});
