/**
 * Over real SMTP: the reference engine (referenceInProcess, configured with a DKIM key as an
 * operator would) sends a message to a plain smtp-server on loopback, and the bytes that
 * arrived verify under mailauth against the key the sender publishes, the verifier a real
 * receiver could run. Nothing of the bench's own verifier is involved.
 */
import { tmpdir } from 'node:os';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { SMTPServer } from 'smtp-server';
import { afterEach, expect, test } from 'vitest';
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { referenceInProcess } from '../../mta-under-test/adapters/reference/index.ts';
import type { MtaUnderTest } from '../../mta-under-test/adapters/mta-under-test.ts';
import type { DkimKey } from '../../mta-under-test/reference/core/dkim-signer.ts';
import { ed25519DkimRecord, ed25519Key } from '../support/test-keys.ts';

const DOMAIN = 'news.wire-dkim.test';
const KEY: DkimKey = {
  domain: DOMAIN,
  selector: 'mb',
  privateKey: ed25519Key(5),
};
const RECORD = ed25519DkimRecord(KEY.privateKey);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

test("the engine's DKIM signature verifies under mailauth on the bytes a receiver got over SMTP", async () => {
  const received: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.1.61', () => resolve()));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const bound = server.server.address();
  if (bound === null || typeof bound === 'string') throw new Error('no port');

  const records: AccountingRecord[] = [];
  const mta: MtaUnderTest = referenceInProcess({ hygiene: { dkimKeys: [KEY] } });
  mta.onDecision((record) => records.push(record));
  await mta.start({
    routes: new Map([['example.test', { address: '127.0.1.61', port: bound.port }]]),
    egress: [{ name: 'mta1', sourceIp: '127.0.0.2', heloName: 'mta1.wire-dkim.test' }],
    returnPath: { address: '127.0.1.61', port: bound.port },
    workDir: tmpdir(),
    clockScale: 1,
    onReturnMail: () => undefined,
  });
  cleanup.push(() => mta.stop());
  const body = [
    'From: News <news@news.wire-dkim.test>',
    'To: <alice@example.test>',
    'Subject: Signed  on the wire',
    'Message-ID: <wire-1@news.wire-dkim.test>',
    '',
    'Hello over SMTP.   ',
    '',
    '',
  ].join('\r\n');
  await mta.inject([{ mailFrom: `bounces@${DOMAIN}`, recipients: ['alice@example.test'], data: body }]);
  const deadline = Date.now() + 60_000;
  while (!records.some((record) => record.type === 'Delivery') && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));

  expect(records.filter((record) => record.type === 'Delivery')).toHaveLength(1);
  expect(received).toHaveLength(1);
  const resolver = (name: string, type: string): Promise<string[][]> =>
    type === 'TXT' && name === `mb._domainkey.${DOMAIN}`
      ? Promise.resolve([[RECORD]])
      : Promise.reject(Object.assign(new Error(`${name}: not found`), { code: 'ENOTFOUND' }));
  const verdict = await dkimVerify(received[0] as string, { resolver });
  expect(verdict.results.map((result) => [result.signingDomain, result.status.result])).toEqual([[DOMAIN, 'pass']]);
}, 90_000);
