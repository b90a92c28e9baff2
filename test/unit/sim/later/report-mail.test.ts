/**
 * The reports receivers mail back, read the way a sender would read them (mailparser): an ARF
 * complaint is a multipart/report with a message/feedback-report part naming the original
 * sender, recipient and source IP; a DSN is a multipart/report whose message/delivery-status
 * part carries Final-Recipient, Action, Status and the receiver's diagnostic.
 */
import { simpleParser } from 'mailparser';
import type { Attachment } from 'mailparser';
import { expect, test } from 'vitest';
import { dsnReport, arfReport } from '../../../../sim/later/report-mail.ts';
import { reply } from '../../../../kernel/smtp/reply.ts';

const ORIGINAL =
  'From: <news@news.mailbench.test>\r\nTo: <alice@yahoo.com>\r\nSubject: offer\r\nMessage-ID: <42@news.mailbench.test>\r\n';
const ENVELOPE = {
  from: 'Yahoo CFL <feedback@yahoo.com>',
  to: 'fbl@news.mailbench.test',
  dateMs: Date.UTC(2026, 0, 6),
  id: 'r1',
  domain: 'yahoo.com',
};

function fields(part: Attachment | undefined): Map<string, string> {
  const text = part?.content.toString('utf8') ?? '';
  return new Map(
    text
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map(
        (line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()] as const,
      ),
  );
}

test('an ARF complaint parses as an RFC 5965 feedback report', async () => {
  const raw = arfReport(
    {
      kind: 'complaint',
      atMs: ENVELOPE.dateMs,
      receiver: 'yahoo',
      recipient: 'alice@yahoo.com',
      mailFrom: 'bounces@news.mailbench.test',
      peerIp: '127.0.0.2',
      feedbackLoop: 'Yahoo CFL',
      reportingMta: 'mta5.am0.yahoodns.net',
      originalHeaders: ORIGINAL,
      arrivalMs: Date.UTC(2026, 0, 5),
    },
    ENVELOPE,
    'Yahoo!-Mail-Feedback/2.0',
  );
  const parsed = await simpleParser(raw);
  expect(parsed.headers.get('content-type')).toMatchObject({
    value: 'multipart/report',
    params: { 'report-type': 'feedback-report' },
  });
  const feedback = parsed.attachments.find((part) => part.contentType === 'message/feedback-report');
  const report = fields(feedback);
  expect(report.get('feedback-type')).toBe('abuse');
  expect(report.get('version')).toBe('1');
  expect(report.get('user-agent')).toBe('Yahoo!-Mail-Feedback/2.0');
  expect(report.get('original-rcpt-to')).toBe('<alice@yahoo.com>');
  expect(report.get('source-ip')).toBe('127.0.0.2');
  const headers = parsed.attachments.find((part) => part.contentType === 'text/rfc822-headers');
  expect(headers?.content.toString('utf8')).toContain('Message-ID: <42@news.mailbench.test>');
});

test('a DSN parses as an RFC 3464 delivery status notification', async () => {
  const raw = dsnReport(
    {
      kind: 'async-bounce',
      atMs: ENVELOPE.dateMs,
      receiver: 'microsoft-365',
      recipient: 'ghost@northwind-0001.example',
      mailFrom: 'bounces@news.mailbench.test',
      peerIp: '127.0.0.2',
      cause: 'unknown-user',
      reply: reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
      originalHeaders: ORIGINAL,
      reportingMta: 'mail.protection.outlook.com',
      arrivalMs: Date.UTC(2026, 0, 5),
    },
    { ...ENVELOPE, from: 'MAILER-DAEMON <postmaster@outlook.com>', to: 'bounces@news.mailbench.test' },
  );
  const parsed = await simpleParser(raw);
  expect(parsed.headers.get('content-type')).toMatchObject({
    value: 'multipart/report',
    params: { 'report-type': 'delivery-status' },
  });
  // mailparser reads message/delivery-status as a text part, after the human-readable one.
  expect(raw).toContain('Content-Type: message/delivery-status');
  const text = parsed.text ?? '';
  const status = text.slice(text.indexOf('Reporting-MTA:'));
  // Per-message fields, an empty line, then the per-recipient block (RFC 3464 §2.1).
  const [perMessage = '', perRecipient = ''] = status.split(/\r?\n\r?\n/);
  expect(perMessage).toContain('Reporting-MTA: dns; mail.protection.outlook.com');
  const recipient = fields({ content: Buffer.from(perRecipient) } as Attachment);
  expect(recipient.get('final-recipient')).toBe('rfc822; ghost@northwind-0001.example');
  expect(recipient.get('action')).toBe('failed');
  expect(recipient.get('status')).toBe('5.1.10');
  expect(recipient.get('diagnostic-code')).toBe(
    'smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
  );
});
