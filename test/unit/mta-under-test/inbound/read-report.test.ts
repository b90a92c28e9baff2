/**
 * The one reader of report mail, on DSNs and ARF complaints shaped like Postfix's, Exchange
 * Online's, Gmail's, Yahoo's and Microsoft's, and on the sim's own reports: every field the
 * engine joins and classifies on is read, folded lines are unfolded, and anything that is not
 * a report comes back as `unreadable` with a reason that names what was found instead.
 */
import { describe, expect, test } from 'vitest';
import { readInboundReport } from '../../../../mta-under-test/reference/inbound/read-report.ts';
import type { InboundReport } from '../../../../mta-under-test/reference/inbound/report.ts';
import { arfReport, dsnReport } from '../../../../sim/later/report-mail.ts';
import { reply } from '../../../../kernel/smtp/reply.ts';
import {
  EXCHANGE_DSN,
  GMAIL_DSN,
  JMRP_ARF,
  PLAIN_REPLY,
  POSTFIX_DELAY_AND_FAILURE,
  POSTFIX_DSN,
  READ_RECEIPT,
  YAHOO_ARF,
} from './samples.ts';

function expectKind<K extends InboundReport['kind']>(
  report: InboundReport,
  kind: K,
): asserts report is Extract<InboundReport, { kind: K }> {
  expect(report.kind, report.kind === 'unreadable' ? report.reason : '').toBe(kind);
}

describe('DSNs (RFC 3464)', () => {
  test('Postfix: per-message and per-recipient fields, the envelope recipient, the original headers', async () => {
    // Act
    const report = await readInboundReport(POSTFIX_DSN, {
      envelopeRecipient: 'bounces+000001-k3j9x1=bob=example.org@news.example',
    });
    // Assert
    expectKind(report, 'dsn');
    expect(report).toMatchObject({
      envelopeRecipient: 'bounces+000001-k3j9x1=bob=example.org@news.example',
      from: 'MAILER-DAEMON@mail.example.org',
      messageId: '20260105100002.3F1A2C0123@mail.example.org',
      reportingMta: 'mail.example.org',
      arrivalDate: 'Mon,  5 Jan 2026 10:00:01 +0000 (UTC)',
    });
    expect(report.recipients).toEqual([
      {
        finalRecipient: 'bob@example.org',
        originalRecipient: 'bob@example.org',
        action: 'failed',
        status: '5.1.1',
        remoteMta: 'mx.example.org',
        diagnosticCode:
          'smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
        smtpCommand: 'rcpt',
      },
    ]);
    expect(report.format).toBe('rfc3464');
    expect(report.original).toMatchObject({ messageId: '000001-k3j9x1@news.example', to: 'bob@example.org' });
    expect(report.original?.ref).toBeUndefined();
  });

  test('Postfix: every recipient block, a Status with a comment, a non-SMTP diagnostic, Will-Retry-Until', async () => {
    // Act
    const report = await readInboundReport(POSTFIX_DELAY_AND_FAILURE);
    // Assert
    expectKind(report, 'dsn');
    expect(report.recipients).toEqual([
      {
        finalRecipient: 'gina@example.org',
        action: 'delayed',
        status: '4.4.1',
        diagnosticCode: 'X-Postfix; connect to mx.example.org[192.0.2.10]:25: Connection timed out',
        willRetryUntil: 'Fri,  9 Jan 2026 10:00:01 +0000 (UTC)',
      },
      {
        finalRecipient: 'hank@example.org',
        action: 'failed',
        status: '5.2.1',
        diagnosticCode: 'X-Postfix; mailbox disabled by the administrator',
      },
    ]);
    expect(report.envelopeRecipient).toBeUndefined();
  });

  test('Exchange Online: rfc822;addr without a space, a folded diagnostic, X- fields, the whole original message', async () => {
    // Act
    const report = await readInboundReport(EXCHANGE_DSN);
    // Assert
    expectKind(report, 'dsn');
    expect(report).toMatchObject({
      reportingMta: 'BN8PR01MB1234.namprd01.prod.outlook.com',
      inReplyTo: '000002-abcdef@news.example',
    });
    expect(report.recipients).toEqual([
      {
        finalRecipient: 'carol@contoso.com',
        originalRecipient: 'carol@contoso.com',
        action: 'failed',
        status: '5.1.10',
        diagnosticCode: 'smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        remoteMta: 'BN8PR01MB1234.namprd01.prod.outlook.com',
      },
    ]);
    // The original's header section only: a Message-ID in its body is no header.
    expect(report.original).toMatchObject({ messageId: '000002-abcdef@news.example', to: 'carol@contoso.com' });
    expect(report.original?.text).not.toContain('Hello Carol');
  });

  test('Gmail: status part after a multipart/related human part, a multi-line diagnostic, the correlation header', async () => {
    // Act
    const report = await readInboundReport(GMAIL_DSN);
    // Assert
    expectKind(report, 'dsn');
    expect(report.from).toBe('mailer-daemon@googlemail.com');
    const [block] = report.recipients;
    expect(block).toMatchObject({
      finalRecipient: 'dave@gmail.com',
      action: 'failed',
      status: '5.1.1',
      remoteMta: 'gmail-smtp-in.l.google.com',
      lastAttemptDate: 'Mon, 05 Jan 2026 02:10:00 -0800 (PST)',
    });
    expect(block?.diagnosticCode).toMatch(
      /^smtp; 550-5\.1\.1 The email account .* 550 5\.1\.1 {2}https:\/\/support\.google\.com\/mail\/\?p=NoSuchUser .* - gsmtp$/,
    );
    expect(report.original).toMatchObject({
      messageId: '000003-ghijkl@news.example',
      ref: '1.MDAwMDAzLWdoaWprbA.ZGF2ZUBnbWFpbC5jb20',
    });
  });

  test("the sim's own DSN (sim/later/report-mail.ts)", async () => {
    // Arrange
    const raw = dsnReport(
      {
        kind: 'async-bounce',
        atMs: Date.UTC(2026, 0, 6),
        receiver: 'microsoft-365',
        recipient: 'ghost@northwind-0001.example',
        mailFrom: 'bounces@news.mailbench.test',
        peerIp: '127.0.0.2',
        cause: 'unknown-user',
        reply: reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
        originalHeaders: 'From: <news@news.mailbench.test>\r\nMessage-ID: <42@news.mailbench.test>\r\n',
        reportingMta: 'mail.protection.outlook.com',
        arrivalMs: Date.UTC(2026, 0, 5),
      },
      {
        from: 'MAILER-DAEMON <postmaster@outlook.com>',
        to: 'bounces@news.mailbench.test',
        dateMs: Date.UTC(2026, 0, 6),
        id: 'r1',
        domain: 'outlook.com',
      },
    );
    // Act
    const report = await readInboundReport(raw);
    // Assert
    expectKind(report, 'dsn');
    expect(report).toMatchObject({
      format: 'rfc3464',
      writer: 'postfix',
      reportingMta: 'mail.protection.outlook.com',
      messageId: 'r1@outlook.com',
      original: { messageId: '42@news.mailbench.test' },
    });
    expect(report.recipients).toEqual([
      {
        finalRecipient: 'ghost@northwind-0001.example',
        action: 'failed',
        status: '5.1.10',
        remoteMta: 'mail.protection.outlook.com',
        diagnosticCode: 'smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        smtpCommand: 'rcpt',
      },
    ]);
  });
});

describe('ARF complaints (RFC 5965)', () => {
  test('Yahoo CFL: the feedback fields, the original message and its correlation header', async () => {
    // Act
    const report = await readInboundReport(YAHOO_ARF, { envelopeRecipient: 'fbl@news.example' });
    // Assert
    expectKind(report, 'arf');
    expect(report).toMatchObject({
      envelopeRecipient: 'fbl@news.example',
      from: 'feedback@arf.mail.yahoo.com',
      feedbackType: 'abuse',
      userAgent: 'Yahoo!-Mail-Feedback/2.0',
      version: '1',
      originalRcptTo: ['erin@yahoo.com'],
      originalMailFrom: 'bounces+000004-mnopqr=erin=yahoo.com@news.example',
      sourceIp: '127.0.0.2',
      arrivalDate: 'Mon, 05 Jan 2026 10:00:00 +0000',
      reportedDomain: 'news.example',
      original: { messageId: '000004-mnopqr@news.example', ref: '1.MDAwMDA0LW1ub3Bxcg.ZXJpbkB5YWhvby5jb20' },
    });
  });

  test('JMRP: no Original-Rcpt-To, Feedback-Type in odd case, the redacted To kept as written', async () => {
    // Act
    const report = await readInboundReport(JMRP_ARF);
    // Assert
    expectKind(report, 'arf');
    expect(report).toMatchObject({
      feedbackType: 'abuse',
      userAgent: 'Microsoft JMRP',
      originalRcptTo: [],
      original: { messageId: '000005-stuvwx@news.example', to: 'redacted@outlook.com' },
    });
  });

  test("the sim's own ARF report", async () => {
    // Arrange
    const raw = arfReport(
      {
        kind: 'complaint',
        atMs: Date.UTC(2026, 0, 6),
        receiver: 'yahoo',
        recipient: 'alice@yahoo.com',
        mailFrom: 'bounces@news.mailbench.test',
        peerIp: '127.0.0.2',
        feedbackLoop: 'Yahoo CFL',
        reportingMta: 'mta5.am0.yahoodns.net',
        originalHeaders:
          'From: <news@news.mailbench.test>\r\nTo: <alice@yahoo.com>\r\nMessage-ID: <42@news.mailbench.test>\r\n',
        arrivalMs: Date.UTC(2026, 0, 5),
      },
      {
        from: 'Yahoo CFL <feedback@yahoo.com>',
        to: 'fbl@news.mailbench.test',
        dateMs: Date.UTC(2026, 0, 6),
        id: 'r2',
        domain: 'yahoo.com',
      },
      'Yahoo!-Mail-Feedback/2.0',
    );
    // Act
    const report = await readInboundReport(raw);
    // Assert
    expectKind(report, 'arf');
    expect(report).toMatchObject({
      feedbackType: 'abuse',
      originalRcptTo: ['alice@yahoo.com'],
      originalMailFrom: 'bounces@news.mailbench.test',
      sourceIp: '127.0.0.2',
      reportedDomain: 'news.mailbench.test',
      original: { messageId: '42@news.mailbench.test', to: 'alice@yahoo.com' },
    });
  });
});

describe('anything else is unreadable, with the reason', () => {
  test.each([
    ['a person replying to the bounce address', PLAIN_REPLY, 'not a bounce'],
    ['a read receipt (MDN)', READ_RECEIPT, 'report-type disposition-notification'],
    [
      'a notice from a mailer daemon that names no recipient',
      'From: MAILER-DAEMON@mail.example.org\r\nTo: bounces@news.example\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\nYour message could not be delivered.\r\n',
      'no failed recipient named in the notice',
    ],
    ['an ARF report without Feedback-Type', YAHOO_ARF.replace('Feedback-Type: abuse\r\n', ''), 'has no Feedback-Type'],
  ])('%s', async (_name, raw, reason) => {
    // Act
    const report = await readInboundReport(raw, { envelopeRecipient: 'bounces@news.example' });
    // Assert
    expectKind(report, 'unreadable');
    expect(report.reason).toContain(reason);
    expect(report.envelopeRecipient).toBe('bounces@news.example');
  });

  test.each([
    [
      'a status part of the wrong type (text/plain)',
      POSTFIX_DSN.replace('Content-Type: message/delivery-status', 'Content-Type: text/plain'),
      '5.1.1',
    ],
    ['a block without Status: the code its diagnostic quotes', POSTFIX_DSN.replace('Status: 5.1.1\r\n', ''), '5.1.1'],
    [
      'a Status that is not a code ("failed"): the diagnostic decides',
      POSTFIX_DSN.replace('Status: 5.1.1\r\n', 'Status: failed\r\n'),
      '5.1.1',
    ],
    ['a Status written with a hash (#5.1.1)', POSTFIX_DSN.replace('Status: 5.1.1\r\n', 'Status: #5.1.1\r\n'), '5.1.1'],
  ])('read leniently, as real MTAs write them: %s', async (_name, raw, status) => {
    // Act
    const report = await readInboundReport(raw);
    // Assert
    expectKind(report, 'dsn');
    expect(report.recipients).toEqual([
      expect.objectContaining({ finalRecipient: 'bob@example.org', status, action: 'failed' }),
    ]);
  });

  test('a DSN that omits Action gets it from the Status class (RFC 3464 §2.3.3)', async () => {
    // Act
    const report = await readInboundReport(POSTFIX_DSN.replace('Action: failed\r\n', ''));
    // Assert
    expectKind(report, 'dsn');
    expect(report.recipients[0]?.action).toBe('failed');
  });

  test('LF-only line ends read the same as CRLF', async () => {
    // Act
    const report = await readInboundReport(POSTFIX_DSN.replace(/\r\n/g, '\n'));
    // Assert
    expectKind(report, 'dsn');
    expect(report.recipients[0]?.diagnosticCode).toBe(
      'smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
    );
  });
});
