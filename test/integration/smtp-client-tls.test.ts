/**
 * The engine's SMTP client under each TLS policy, against receivers that offer STARTTLS with
 * a bench-CA leaf and against one that does not: opportunistic upgrades when offered and the
 * receiver sees the session as TLS; required verifies the certificate and the MX name, and
 * refuses to send in plaintext or to a certificate it cannot trust.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SmtpClientTransport } from '../../mta-under-test/reference/transport/smtp-client.ts';
import { RealScheduler } from '../../kernel/clock/real-clock.ts';
import { GMAIL } from '../../sim/receivers/providers/gmail.ts';
import type { ReceiverSession } from '../../sim/receivers/receiver.ts';
import { createBenchCa } from '../../sim/tls/bench-ca.ts';
import type { BenchCa } from '../../sim/tls/bench-ca.ts';
import { certificateNames, startListener } from '../../sim/transport/smtp-listener.ts';
import type { Listener } from '../../sim/transport/smtp-listener.ts';
import type { ConnectOutcome, TlsPolicy } from '../../kernel/transport/transport.ts';
import { receiverFor, receiverWorld } from '../support/receiver-world.ts';
import { SENDER_IP } from '../support/wire.ts';

const GMAIL_MX = 'gmail-smtp-in.l.google.com';
let ca: BenchCa;
let otherCa: BenchCa;
let withTls: Listener;
let plaintext: Listener;
const tlsSessions: boolean[] = [];

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([createBenchCa(new Date()), createBenchCa(new Date())]);
  const { context } = receiverWorld({ 'alice@gmail.com': 'active' }, new RealScheduler());
  const receiver = receiverFor(GMAIL, context, true);
  // Watch what the receiver believes about each session's TLS.
  const startTls = receiver.startTls?.bind(receiver);
  receiver.startTls = (session: ReceiverSession) => {
    startTls?.(session);
    tlsSessions.push(session.tls);
  };
  withTls = await startListener(receiver, { address: '127.0.1.1', tls: await ca.issue(certificateNames([GMAIL_MX])) });
  plaintext = await startListener(receiverFor(GMAIL, receiverWorld({}, new RealScheduler()).context, true), {
    address: '127.0.1.2',
  });
});

afterAll(async () => {
  await Promise.all([withTls.close(), plaintext.close()]);
});

async function connect(
  listener: Listener,
  tls: TlsPolicy,
  trust?: BenchCa,
  mxHost = GMAIL_MX,
): Promise<ConnectOutcome> {
  const transport = new SmtpClientTransport(trust === undefined ? {} : { ca: trust.certificate });
  const outcome = await transport.connect({
    sourceIp: SENDER_IP,
    heloName: 'mta1.mailbench.test',
    mxHost,
    address: listener.address,
    port: listener.port,
    tls,
  });
  if (outcome.kind === 'open') await outcome.session.close();
  return outcome;
}

test('opportunistic TLS upgrades when STARTTLS is offered, and stays plaintext when it is not', async () => {
  // Act
  const upgraded = await connect(withTls, 'opportunistic');
  const plain = await connect(plaintext, 'opportunistic');
  // Assert
  expect(upgraded).toMatchObject({ kind: 'open', session: { tls: true } });
  expect(plain).toMatchObject({ kind: 'open', session: { tls: false } });
  expect(tlsSessions).toContain(true);
});

test('disabled TLS never starts it, even when offered', async () => {
  // Act and assert
  expect(await connect(withTls, 'disabled')).toMatchObject({ kind: 'open', session: { tls: false } });
});

test('required TLS verifies the certificate against the trusted CA and the MX name', async () => {
  // Act
  const trusted = await connect(withTls, 'required', ca);
  const untrusted = await connect(withTls, 'required', otherCa);
  const wrongName = await connect(withTls, 'required', ca, 'mx.elsewhere.example');
  const notOffered = await connect(plaintext, 'required', ca);
  // Assert
  expect(trusted).toMatchObject({ kind: 'open', session: { tls: true } });
  expect(untrusted).toMatchObject({ kind: 'network-error', message: expect.stringMatching(/certificate/i) as unknown });
  expect(wrongName).toMatchObject({
    kind: 'network-error',
    message: expect.stringMatching(/altnames|does not match/i) as unknown,
  });
  expect(notOffered).toMatchObject({
    kind: 'network-error',
    message: expect.stringMatching(/ETLS|STARTTLS/) as unknown,
  });
});
