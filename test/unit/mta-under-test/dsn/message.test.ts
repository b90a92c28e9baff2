/**
 * The engine's own DSNs (RFC 3464), read back two ways: with the project's report reader
 * (every field the bench learns an MTA's decisions from) and with bare mailparser (the
 * structure any mail reader sees). Also: the same inputs give the same bytes, long
 * diagnostics are folded and unfold to what was given, and inputs that cannot make a valid DSN
 * are refused by name.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, test } from 'vitest';
import { buildDsn } from '../../../../mta-under-test/reference/dsn/dsn-message.ts';
import type { DsnInput } from '../../../../mta-under-test/reference/dsn/dsn-message.ts';
import { readInboundReport } from '../../../../mta-under-test/reference/inbound/read-report.ts';
import type { InboundDsn } from '../../../../mta-under-test/reference/inbound/report.ts';
import { readReport } from '../../../../runner/return-path-inbox.ts';
import { reply } from '../../../../kernel/smtp/reply.ts';

const ORIGINAL = [
  'From: News <news@news.example>',
  'To: bob@example.org',
  'Subject: January offers',
  'Message-ID: <000001-k3j9x1@news.example>',
  'X-Mailbench-Ref: 1.MDAwMDAxLWszajl4MQ.Ym9iQGV4YW1wbGUub3Jn',
  '',
  'The body, which a DSN never returns.',
  '',
].join('\r\n');

const FAILED: DsnInput = {
  kind: 'failed',
  id: 'dsn.000001-k3j9x1.1',
  dateMs: Date.UTC(2026, 0, 5, 10, 0, 5),
  engineHost: 'mta1.news.example',
  envelopeSender: 'newsletter@news.example',
  original: { data: ORIGINAL, arrivalMs: Date.UTC(2026, 0, 5, 10) },
  recipients: [
    {
      recipient: 'bob@example.org',
      originalRecipient: 'Bob@Example.org',
      reply: reply(
        550,
        '5.1.1',
        '<bob@example.org>: Recipient address rejected: User unknown in local recipient table',
      ),
      remoteMta: 'mx.example.org',
      lastAttemptMs: Date.UTC(2026, 0, 5, 10, 0, 4),
    },
  ],
};

async function readDsn(data: string): Promise<InboundDsn> {
  const report = await readInboundReport(data);
  if (report.kind !== 'dsn')
    throw new Error(`expected a DSN, got ${report.kind}${report.kind === 'unreadable' ? `: ${report.reason}` : ''}`);
  return report;
}

describe('failed', () => {
  test('the receiver reply is the Diagnostic-Code, the MX the Remote-MTA; sent with the null reverse-path', async () => {
    // Act
    const dsn = buildDsn(FAILED);
    const report = await readDsn(dsn.data);
    // Assert
    expect(dsn).toMatchObject({ kind: 'failed', mailFrom: '', recipient: 'newsletter@news.example' });
    expect(report).toMatchObject({
      from: 'MAILER-DAEMON@mta1.news.example',
      messageId: 'dsn.000001-k3j9x1.1@mta1.news.example',
      reportingMta: 'mta1.news.example',
      arrivalDate: 'Mon, 05 Jan 2026 10:00:00 +0000',
    });
    expect(report.recipients).toEqual([
      {
        finalRecipient: 'bob@example.org',
        originalRecipient: 'Bob@Example.org',
        action: 'failed',
        status: '5.1.1',
        remoteMta: 'mx.example.org',
        diagnosticCode:
          'smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
        lastAttemptDate: 'Mon, 05 Jan 2026 10:00:04 +0000',
      },
    ]);
    expect(report.original).toMatchObject({
      messageId: '000001-k3j9x1@news.example',
      ref: '1.MDAwMDAxLWszajl4MQ.Ym9iQGV4YW1wbGUub3Jn',
    });
  });

  test('mailparser sees a multipart/report of delivery-status with the three RFC 3464 parts', async () => {
    // Act
    const parsed = await simpleParser(buildDsn(FAILED).data, { keepDeliveryStatus: true });
    // Assert
    expect(parsed.headers.get('content-type')).toMatchObject({
      value: 'multipart/report',
      params: { 'report-type': 'delivery-status' },
    });
    expect(parsed.from?.value[0]).toMatchObject({
      name: 'Mail Delivery System',
      address: 'MAILER-DAEMON@mta1.news.example',
    });
    expect(parsed.to).toMatchObject({ value: [{ address: 'newsletter@news.example' }] });
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.date?.toISOString()).toBe('2026-01-05T10:00:05.000Z');
    expect(parsed.text).toContain('<bob@example.org>: 550 5.1.1 <bob@example.org>: Recipient address rejected');
    expect(parsed.attachments.map((part) => part.contentType)).toEqual([
      'message/delivery-status',
      'text/rfc822-headers',
    ]);
    const status = parsed.attachments[0]?.content.toString('utf8') ?? '';
    expect(status).toMatch(
      /^Reporting-MTA: dns; mta1\.news\.example\r\nArrival-Date: .*\r\n\r\nOriginal-Recipient: rfc822; Bob@Example\.org\r\nFinal-Recipient: rfc822; bob@example\.org\r\nAction: failed\r\nStatus: 5\.1\.1\r\n/,
    );
    const headers = parsed.attachments[1]?.content.toString('utf8') ?? '';
    expect(headers).toContain('Message-ID: <000001-k3j9x1@news.example>');
    expect(headers).not.toContain('The body');
  });

  test('long fields are folded to 78 characters and unfold to the reply as given', async () => {
    // Arrange
    const text =
      "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.";
    // Act
    const dsn = buildDsn({
      ...FAILED,
      recipients: [{ recipient: 'bob@example.org', reply: reply(550, '5.1.1', text) }],
    });
    // Assert
    const status = dsn.data.slice(
      dsn.data.indexOf('Reporting-MTA'),
      dsn.data.indexOf('--=_mailbench', dsn.data.indexOf('Reporting-MTA')),
    );
    expect(Math.max(...status.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(78);
    expect((await readDsn(dsn.data)).recipients[0]?.diagnosticCode).toBe(`smtp; 550 5.1.1 ${text}`);
  });

  test('no reply (connection refused): an X- diagnostic and the status the caller gives', async () => {
    // Act
    const report = await readDsn(
      buildDsn({
        ...FAILED,
        recipients: [
          {
            recipient: 'bob@example.org',
            networkError: 'connect to mx.example.org: connection refused',
            status: '5.4.4',
          },
        ],
      }).data,
    );
    // Assert
    expect(report.recipients[0]).toMatchObject({
      status: '5.4.4',
      diagnosticCode: 'X-Mailbench; connect to mx.example.org: connection refused',
    });
  });

  test('one block per recipient, in order, each with its own status', async () => {
    // Act
    const report = await readDsn(
      buildDsn({
        ...FAILED,
        recipients: [
          { recipient: 'a@example.org', reply: reply(550, '5.1.1', 'no such user') },
          { recipient: 'b@example.org', reply: reply(552, null, 'mailbox full') },
        ],
      }).data,
    );
    // Assert
    expect(report.recipients.map((block) => [block.finalRecipient, block.status])).toEqual([
      ['a@example.org', '5.1.1'],
      ['b@example.org', '5.0.0'],
    ]);
  });
});

test("the bench's return-path inbox reads the engine's DSN as it reads any MTA's", async () => {
  // Act
  const read = await readReport(buildDsn(FAILED).data);
  // Assert
  expect(read).toMatchObject({ kind: 'dsn', recipient: 'bob@example.org', status: '5.1.1', format: 'rfc3464' });
});

describe('delayed and expired', () => {
  test('delayed: Action delayed, the last transient status, Will-Retry-Until', async () => {
    // Act
    const dsn = buildDsn({
      ...FAILED,
      kind: 'delayed',
      willRetryUntilMs: Date.UTC(2026, 0, 10, 10),
      recipients: [
        {
          recipient: 'bob@example.org',
          reply: reply(451, '4.7.1', 'Greylisted, try again later'),
          remoteMta: 'mx.example.org',
        },
      ],
    });
    const report = await readDsn(dsn.data);
    // Assert
    expect(dsn.data).toContain('Subject: Delayed Mail (still being retried)');
    expect(dsn.data).toContain('will keep trying until Sat, 10 Jan 2026 10:00:00 +0000');
    expect(report.recipients).toEqual([
      {
        finalRecipient: 'bob@example.org',
        action: 'delayed',
        status: '4.7.1',
        remoteMta: 'mx.example.org',
        diagnosticCode: 'smtp; 451 4.7.1 Greylisted, try again later',
        willRetryUntil: 'Sat, 10 Jan 2026 10:00:00 +0000',
      },
    ]);
  });

  test('expired: Action failed with Status 4.4.7, "message expired", the last reply kept as the diagnostic', async () => {
    // Act
    const dsn = buildDsn({
      ...FAILED,
      kind: 'expired',
      recipients: [
        {
          recipient: 'bob@example.org',
          reply: reply(421, '4.7.0', 'Try again later, closing connection.'),
          remoteMta: 'mx.example.org',
        },
      ],
    });
    const report = await readDsn(dsn.data);
    // Assert
    expect(dsn.data).toContain('Message expired:');
    expect(report.recipients[0]).toMatchObject({
      action: 'failed',
      status: '4.4.7',
      diagnosticCode: 'smtp; 421 4.7.0 Try again later, closing connection.',
    });
  });
});

describe('determinism and refusals', () => {
  test('the same inputs give the same bytes', () => {
    expect(buildDsn(FAILED).data).toBe(buildDsn({ ...FAILED }).data);
    expect(buildDsn({ ...FAILED, id: 'other' }).data).not.toBe(buildDsn(FAILED).data);
  });

  test.each([
    ['a null envelope sender', { ...FAILED, envelopeSender: '' }, /null reverse-path/],
    ['no recipients', { ...FAILED, recipients: [] }, /needs at least one recipient/],
    [
      'a permanent status in a delay warning',
      {
        ...FAILED,
        kind: 'delayed',
        willRetryUntilMs: 0,
        recipients: [{ recipient: 'b@example.org', reply: reply(550, '5.1.1', 'x') }],
      },
      /recipients\[0\]: a delayed DSN reports a 4\.x\.x status \(got 5\.1\.1\)/,
    ],
    [
      'a success status in a failure',
      { ...FAILED, recipients: [{ recipient: 'b@example.org', status: '2.0.0' }] },
      /cannot report the success status 2\.0\.0/,
    ],
    ['an id that is no Message-ID', { ...FAILED, id: 'has space' }, /report id "has space"/],
    ['a date out of range', { ...FAILED, dateMs: Number.NaN }, /report date must be a time/],
  ] as const)('refuses %s', (_name, input, message) => {
    expect(() => buildDsn(input as DsnInput)).toThrow(message);
  });
});
