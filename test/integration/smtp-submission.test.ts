/**
 * The SMTP submission listener over real SMTP on loopback, with nodemailer as the client:
 * AUTH is required and checked, every refusal names its problem with the right code, 250 comes
 * only after the enqueue resolved (a slow fake enqueue holds it back), a failed enqueue is a
 * 451 that accepts nothing, and a roundtrip through a real Spool recovers exactly what was
 * submitted (the instruction headers moved from the message into its meta).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { afterAll, afterEach, expect, test } from 'vitest';
import type { Enqueue, EnqueueInput } from '../../mta-under-test/reference/inject/http-api.ts';
import { startSubmissionListener } from '../../mta-under-test/reference/inject/smtp-submission.ts';
import { admission } from '../../mta-under-test/reference/service/admission.ts';
import type { SubmissionListener, SubmissionOptions } from '../../mta-under-test/reference/inject/smtp-submission.ts';
import { takeInstructionHeaders } from '../../mta-under-test/reference/inject/submission-headers.ts';
import { Spool } from '../../mta-under-test/reference/spool/spool.ts';

const ADDRESS = '127.0.0.1';
const ACCOUNTS = {
  acme: { password: 'acme-secret', defaults: { tenant: 'acme', pool: 'dedicated-acme' } },
  plain: { password: 'p' },
};
const POOLS = new Set(['dedicated-acme', 'grid']);
const RAW = 'From: News <news@news.example>\r\nTo: <a@example.com>\r\nSubject: hi\r\n\r\nhello\r\n.leading dot\r\n';

const open: SubmissionListener[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((listener) => listener.close()));
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A listener on loopback whose enqueue records what it was given. */
async function listen(
  overrides: Partial<SubmissionOptions> = {},
): Promise<{ listener: SubmissionListener; enqueued: EnqueueInput[] }> {
  const enqueued: EnqueueInput[] = [];
  const enqueue: Enqueue = (messages) => {
    enqueued.push(...messages);
    return Promise.resolve(messages.map((_message, index) => `id-${enqueued.length - messages.length + index}`));
  };
  const listener = await startSubmissionListener({
    address: ADDRESS,
    enqueue,
    pools: POOLS,
    accounts: ACCOUNTS,
    ...overrides,
  });
  open.push(listener);
  return { listener, enqueued };
}

function client(
  listener: SubmissionListener,
  auth?: { user: string; pass: string; method?: 'PLAIN' | 'LOGIN' },
): Transporter {
  return createTransport({
    host: listener.address,
    port: listener.port,
    secure: false,
    ignoreTLS: true,
    ...(auth === undefined
      ? {}
      : {
          auth: { user: auth.user, pass: auth.pass },
          ...(auth.method === undefined ? {} : { authMethod: auth.method }),
        }),
  });
}

interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
}

async function failure(sending: Promise<unknown>): Promise<SmtpFailure> {
  try {
    await sending;
  } catch (error) {
    return error as SmtpFailure;
  }
  throw new Error('expected the submission to be refused');
}

const send = (transport: Transporter, to: string[], raw = RAW): Promise<{ response: string; rejected: unknown[] }> =>
  transport.sendMail({ envelope: { from: 'bounces@news.example', to }, raw }) as Promise<{
    response: string;
    rejected: unknown[];
  }>;

test.each(['PLAIN', 'LOGIN'] as const)(
  'AUTH %s with the right password submits; the reply says queued after enqueue',
  async (method) => {
    // Arrange
    const { listener, enqueued } = await listen();
    // Act
    const info = await send(client(listener, { user: 'acme', pass: 'acme-secret', method }), ['a@example.com']);
    // Assert
    expect(info.response).toMatch(/^250 2\.0\.0 queued as id-0 for 1 recipient$/);
    expect(enqueued).toHaveLength(1);
  },
);

test('a wrong password is 535 5.7.8, no AUTH at all is 530, and nothing is enqueued', async () => {
  // Arrange
  const { listener, enqueued } = await listen();
  // Act
  const wrong = await failure(send(client(listener, { user: 'acme', pass: 'nope' }), ['a@example.com']));
  const unknownUser = await failure(send(client(listener, { user: 'nobody', pass: 'acme-secret' }), ['a@example.com']));
  const missing = await failure(send(client(listener), ['a@example.com']));
  // Assert
  expect(wrong).toMatchObject({
    code: 'EAUTH',
    responseCode: 535,
    response: expect.stringMatching(/5\.7\.8 authentication failed/) as unknown,
  });
  expect(unknownUser).toMatchObject({ code: 'EAUTH', responseCode: 535 });
  expect(missing).toMatchObject({ responseCode: 530 });
  expect(enqueued).toHaveLength(0);
});

test('a bad recipient is 553 5.1.3 naming the problem; past the limit is 452 4.5.3', async () => {
  // Arrange
  const { listener, enqueued } = await listen({ limits: { recipientsPerMessageMax: 2 } });
  const transport = client(listener, { user: 'plain', pass: 'p' });
  // Act
  const bad = await failure(send(transport, ['alice@localhost']));
  const tooMany = await send(transport, ['a@example.com', 'b@example.com', 'c@example.com']);
  const badSender = await failure(
    transport.sendMail({ envelope: { from: 'bounces@news', to: ['a@example.com'] }, raw: RAW }),
  );
  // Assert
  expect(bad).toMatchObject({
    responseCode: 553,
    response:
      '553 5.1.3 the recipient "alice@localhost" domain "localhost" has a single label (expected a dotted name)',
  });
  expect(tooMany.rejected).toEqual(['c@example.com']);
  expect((tooMany as unknown as { rejectedErrors: SmtpFailure[] }).rejectedErrors[0]).toMatchObject({
    responseCode: 452,
    response: expect.stringMatching(/^452 4\.5\.3 too many recipients: at most 2/) as unknown,
  });
  expect(badSender).toMatchObject({
    responseCode: 553,
    response: expect.stringMatching(
      /^553 5\.1\.7 the sender \(MAIL FROM\) "bounces@news" domain "news" has a single label/,
    ) as unknown,
  });
  expect(enqueued.map((input) => input.recipients)).toEqual([['a@example.com', 'b@example.com']]);
});

test('SIZE is advertised, and an oversized message is 552 5.3.4 with nothing enqueued', async () => {
  // Arrange
  const { listener, enqueued } = await listen({ limits: { messageBytesMax: 16 * 1024 } });
  const transport = client(listener, { user: 'plain', pass: 'p' });
  // Act
  const oversized = await failure(
    send(transport, ['a@example.com'], `Subject: big\r\n\r\n${'x'.repeat(20 * 1024)}\r\n`),
  );
  const after = await send(transport, ['a@example.com']);
  // Assert
  expect(oversized).toMatchObject({
    responseCode: 552,
    response: expect.stringMatching(/^552 5\.3\.4 the message is over the 16384-byte size limit/) as unknown,
  });
  expect(after.response).toMatch(/^250 /);
  expect(enqueued).toHaveLength(1);
});

test('SIZE is advertised with the limit: a client that knows its message is bigger does not send it', async () => {
  // Arrange
  const { listener, enqueued } = await listen({ limits: { messageBytesMax: 16 * 1024 } });
  const connection = new SMTPConnection({ host: listener.address, port: listener.port, ignoreTLS: true });
  connection.on('error', () => undefined);
  await new Promise<void>((resolve, reject) =>
    connection.connect((error) => (error === undefined ? resolve() : reject(error))),
  );
  await new Promise<void>((resolve, reject) =>
    connection.login({ user: 'plain', pass: 'p' }, (error) =>
      error === undefined || error === null ? resolve() : reject(error),
    ),
  );
  // Act
  const refused = await failure(
    new Promise((resolve, reject) =>
      connection.send({ from: 'bounces@news.example', to: ['a@example.com'], size: 20 * 1024 }, RAW, (error, info) =>
        error === null ? resolve(info) : reject(error),
      ),
    ),
  );
  connection.close();
  // Assert
  // nodemailer read `SIZE 16384` in the EHLO reply and stopped before MAIL FROM.
  expect(refused).toMatchObject({ code: 'EMESSAGE', message: 'Message size larger than allowed 16384' });
  expect(enqueued).toHaveLength(0);
});

test('content the spool cannot keep as it came is refused: not UTF-8 (554 5.6.1), a bad X-Pool (550 5.6.0)', async () => {
  // Arrange
  const { listener, enqueued } = await listen();
  const transport = client(listener, { user: 'plain', pass: 'p' });
  // Act
  const latin1 = await failure(
    transport.sendMail({
      envelope: { from: 'bounces@news.example', to: ['a@example.com'] },
      raw: Buffer.from('Subject: caf\xe9\r\n\r\ncaf\xe9\r\n', 'latin1'),
    }),
  );
  const badPool = await failure(send(transport, ['a@example.com'], `X-Pool: two words\r\n${RAW}`));
  // Assert
  expect(latin1).toMatchObject({
    responseCode: 554,
    response: expect.stringMatching(/^554 5\.6\.1 the message is not valid UTF-8/) as unknown,
  });
  expect(badPool).toMatchObject({
    responseCode: 550,
    response: expect.stringMatching(/^550 5\.6\.0 header X-Pool: "two words" is not a name/) as unknown,
  });
  expect(enqueued).toHaveLength(0);
});

test('an unknown pool is refused at DATA with 550 5.7.1 naming the pool', async () => {
  // Arrange
  const { listener, enqueued } = await listen();
  // Act
  const refused = await failure(
    send(client(listener, { user: 'plain', pass: 'p' }), ['a@example.com'], `X-Pool: nosuch\r\n${RAW}`),
  );
  // Assert
  expect(refused).toMatchObject({
    responseCode: 550,
    response: '550 5.7.1 unknown pool "nosuch" (known: dedicated-acme, grid); nothing was queued',
  });
  expect(enqueued).toHaveLength(0);
});

test('250 comes only after a slow enqueue resolved', async () => {
  // Arrange: an enqueue that waits until the test lets it go.
  let release: () => void = () => undefined;
  let called: () => void = () => undefined;
  const enqueueCalled = new Promise<void>((resolve) => (called = resolve));
  const enqueue: Enqueue = async (messages) => {
    called();
    await new Promise<void>((resolve) => (release = resolve));
    return messages.map(() => 'slow-1');
  };
  const { listener } = await listen({ enqueue });
  let answered = false;
  // Act
  const sending = send(client(listener, { user: 'plain', pass: 'p' }), ['a@example.com']).finally(
    () => (answered = true),
  );
  await enqueueCalled;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const answeredBeforeRelease = answered;
  release();
  const info = await sending;
  // Assert
  expect(answeredBeforeRelease).toBe(false);
  expect(info.response).toBe('250 2.0.0 queued as slow-1 for 1 recipient');
});

test('an enqueue that rejects is answered 451 4.3.0, and the next message still goes through', async () => {
  // Arrange
  let fail = true;
  const enqueue: Enqueue = (messages) =>
    fail ? Promise.reject(new Error('disk full')) : Promise.resolve(messages.map(() => 'ok-1'));
  const { listener } = await listen({ enqueue });
  const transport = client(listener, { user: 'plain', pass: 'p' });
  // Act
  const refused = await failure(send(transport, ['a@example.com']));
  fail = false;
  const info = await send(transport, ['a@example.com']);
  // Assert
  expect(refused).toMatchObject({
    responseCode: 451,
    response: '451 4.3.0 the message was not queued (disk full); nothing was accepted, try again later',
  });
  expect(info.response).toMatch(/^250 2\.0\.0 queued as ok-1/);
});

test('messages submitted into a real Spool are recovered as submitted, instruction headers moved to meta', async () => {
  // Arrange
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-submission-'));
  dirs.push(dir);
  const spool = await Spool.open(dir);
  const { listener } = await listen({
    enqueue: (messages) =>
      spool.enqueue(messages.map((message) => ({ ...message, receivedAtMs: 0, meta: { ...message.meta } }))),
  });
  const withHeaders = `X-Pool: grid\r\nX-Campaign: spring\r\nX-Tenant:\r\n  beta\r\n${RAW}`;
  // Act
  const first = await send(client(listener, { user: 'acme', pass: 'acme-secret' }), ['a@example.com', 'b@example.com']);
  const second = await send(client(listener, { user: 'acme', pass: 'acme-secret' }), ['c@example.com'], withHeaders);
  await spool.close();
  const reopened = await Spool.open(dir);
  const recovered = await Promise.all(
    reopened.recoveredMessages().map(async (message) => ({ ...message, data: await reopened.body(message.id).load() })),
  );
  await reopened.close();
  // Assert
  expect([first.response, second.response].every((response) => response.startsWith('250 '))).toBe(true);
  expect(recovered.map(({ mailFrom, recipients, data, meta }) => ({ mailFrom, recipients, data, meta }))).toEqual([
    {
      mailFrom: 'bounces@news.example',
      recipients: ['a@example.com', 'b@example.com'],
      data: RAW,
      meta: { tenant: 'acme', pool: 'dedicated-acme' },
    },
    {
      mailFrom: 'bounces@news.example',
      recipients: ['c@example.com'],
      data: RAW,
      meta: { tenant: 'beta', pool: 'grid', campaign: 'spring' },
    },
  ]);
});

test('instruction headers are taken out whole (folded too); other bytes stay as they are', () => {
  // Act
  const split = takeInstructionHeaders(
    'Subject: a\r\nx-pool: grid\r\nX-Tenant: t\r\n\tcontinued\r\nTo: b\r\n\r\nX-Pool: body\r\n',
  );
  const none = takeInstructionHeaders('Subject: a\r\n\r\nbody');
  // Assert
  expect(split.data).toBe('Subject: a\r\nTo: b\r\n\r\nX-Pool: body\r\n');
  expect(split.instructions).toEqual([
    { name: 'x-pool', field: 'pool', value: 'grid' },
    { name: 'X-Tenant', field: 'tenant', value: 't\tcontinued' },
  ]);
  expect(none).toEqual({ data: 'Subject: a\r\n\r\nbody', instructions: [] });
});

test('the listener refuses to bind outside loopback and an account default pool that does not exist', async () => {
  const enqueue: Enqueue = () => Promise.resolve([]);
  await expect(startSubmissionListener({ address: '0.0.0.0', enqueue, pools: POOLS, accounts: {} })).rejects.toThrow(
    /loopback only/,
  );
  await expect(
    startSubmissionListener({
      address: ADDRESS,
      enqueue,
      pools: POOLS,
      accounts: { x: { password: 'p', defaults: { pool: 'gone' } } },
    }),
  ).rejects.toThrow(/accounts\.x\.defaults\.pool: unknown pool "gone"/);
});

test('past the admission budget MAIL FROM is 452 4.3.1 and nothing is enqueued; a place comes back after each transaction', async () => {
  // Arrange: room for one transaction at a time.
  const room = admission({ spoolBytesMax: 1_000_000, messagesMax: 1_000, requestsInFlightMax: 1 }, () => ({
    liveBytes: 0,
    liveMessages: 0,
  }));
  const { listener, enqueued } = await listen({ admission: room });
  const full = await listen({
    admission: admission({ spoolBytesMax: 100, messagesMax: 1_000, requestsInFlightMax: 8 }, () => ({
      liveBytes: 100,
      liveMessages: 0,
    })),
  });
  // Act
  const first = await send(client(listener, { user: 'plain', pass: 'p' }), ['a@example.com']);
  const second = await send(client(listener, { user: 'plain', pass: 'p' }), ['b@example.com']);
  const refused = await send(client(full.listener, { user: 'plain', pass: 'p' }), ['c@example.com']).catch(
    (error: unknown) => error as SmtpFailure,
  );
  // Assert
  expect([first.response, second.response].every((response) => response.startsWith('250 '))).toBe(true);
  expect(enqueued).toHaveLength(2);
  expect(refused).toMatchObject({
    responseCode: 452,
    response: expect.stringMatching(/^452 4\.3\.1 insufficient system storage: the spool holds 100 bytes/) as unknown,
  });
  expect(full.enqueued).toEqual([]);
  expect(room.refused).toBe(0);
});
