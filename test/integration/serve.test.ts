/**
 * `mailbench serve` as an outside MTA meets it: a child process prints where each receiver
 * listens and writes a Postfix transport map, the DNS records and the CA. A client that
 * trusts ca.pem gets STARTTLS with a certificate naming the MX host and Gmail's own replies;
 * a client that does not trust it is refused the handshake; every decision is in truth.jsonl.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, expect, test } from 'vitest';

const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const outDir = mkdtempSync(join(tmpdir(), 'mailbench-serve-'));
const GMAIL_MX = 'gmail-smtp-in.l.google.com';
let child: ChildProcessWithoutNullStreams;
let stdout = '';

beforeAll(async () => {
  // Bounded twice: --for stops it by itself, and afterAll kills it.
  child = spawn(process.execPath, [BIN, 'serve', 'fleet-tour', '--for', '90s', '--out', outDir, '--json']);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (/^ready$/m.test(stdout)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}: ${stdout}`)));
  });
});

afterAll(() => {
  child.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
});

function routeOf(domain: string): { host: string; port: number } {
  const line = readFileSync(join(outDir, 'transport'), 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${domain} `));
  const match = /smtp:\[([\d.]+)\]:(\d+)$/.exec(line ?? '');
  if (match === null) throw new Error(`no transport entry for ${domain}`);
  return { host: match[1] as string, port: Number(match[2]) };
}

function clientFor(domain: string, tls: { ca?: string }) {
  const { host, port } = routeOf(domain);
  return createTransport({
    host,
    port,
    name: 'mta1.mailbench.test',
    localAddress: '127.0.0.2',
    requireTLS: true,
    tls: { ...tls, servername: GMAIL_MX },
    connectionTimeout: 10_000,
  });
}

const message = (to: string) => ({
  envelope: { from: 'bounces@news.mailbench.test', to },
  raw: `From: <news@news.mailbench.test>\r\nTo: <${to}>\r\nSubject: hello\r\nMessage-ID: <serve-${to}>\r\n\r\nHello.\r\n`,
});

test('serve prints and writes a transport map, the DNS zone and the CA', () => {
  // Assert
  const printed = JSON.parse(stdout.split('\n')[0] as string) as {
    transport: Record<string, string>;
    dns: { name: string; type: string; value: unknown }[];
    returnPath: { mxHost: string };
  };
  const gmail = routeOf('gmail.com');
  expect(printed.transport['gmail.com']).toBe(`${gmail.host}:${gmail.port}`);
  expect(Object.keys(printed.transport).length).toBeGreaterThan(200);
  expect(printed.dns).toContainEqual({
    name: 'gmail.com',
    type: 'MX',
    value: expect.objectContaining({ exchange: 'gmail-smtp-in.l.google.com' }) as unknown,
  });
  expect(printed.returnPath.mxHost).toBe('mx.news.mailbench.test');
  const transport = readFileSync(join(outDir, 'transport'), 'utf8');
  expect(transport).toMatch(/^gmail\.com smtp:\[127\.0\.1\.\d+\]:\d+$/m);
  expect(transport).toMatch(/^[a-z0-9-]+\.example smtp:\[127\.0\.1\.\d+\]:\d+$/m);
  const dns = readFileSync(join(outDir, 'dns.txt'), 'utf8');
  expect(dns).toMatch(/^news\.mailbench\.test\tTXT\tv=spf1 ip4:127\.0\.0\.2 -all$/m);
  expect(readFileSync(join(outDir, 'ca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
});

test("a client trusting ca.pem gets verified STARTTLS and Gmail's own replies", async () => {
  // Arrange
  const client = clientFor('gmail.com', { ca: readFileSync(join(outDir, 'ca.pem'), 'utf8') });
  const recipient = readFileSync(join(outDir, 'recipients.txt'), 'utf8')
    .split('\n')
    .find((address) => address.endsWith('@gmail.com')) as string;
  // Act
  const accepted = await client.sendMail(message(recipient));
  const refused = await client
    .sendMail(message('no-such-user-4711@gmail.com'))
    .catch((error: unknown) => error as { responseCode: number; response: string });
  client.close();
  // Assert
  expect(accepted.response).toMatch(/^250 /);
  expect(refused).toMatchObject({ responseCode: 550 });
  expect((refused as { response: string }).response).toMatch(
    /5\.1\.1 The email account that you tried to reach does not exist/,
  );
});

test('a client that does not trust the bench CA is refused the TLS handshake', async () => {
  // Arrange: the system trust store only.
  const client = clientFor('gmail.com', {});
  // Act
  const failure = await client.sendMail(message('someone@gmail.com')).catch((error: unknown) => error as Error);
  client.close();
  // Assert
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).toMatch(/certificate/i);
});

test('every decision is in truth.jsonl, and SIGTERM stops serve cleanly', async () => {
  // Act
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const code = await exited;
  // Assert
  expect(code).toBe(0);
  const truths = readFileSync(join(outDir, 'truth.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as { receiver: string; peerIp: string; recipient: string; cause: string; rule: string },
    );
  expect(truths).toContainEqual(
    expect.objectContaining({
      receiver: 'gmail',
      peerIp: '127.0.0.2',
      recipient: 'no-such-user-4711@gmail.com',
      cause: 'unknown-user',
      rule: 'gmail.rcpt.unknown-user',
    }),
  );
  expect(truths.some((truth) => truth.receiver === 'gmail' && truth.cause.startsWith('delivered-'))).toBe(true);
});
