/**
 * Later events travel as mail: the postman writes an ARF complaint and a DSN, they go by SMTP
 * from the reporting receiver's loopback address to the return-path inbox, which reads them
 * with mailparser. Mail that is not a report is counted as unreadable, never dropped.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SmtpClientTransport } from '../../mta-under-test/reference/transport/smtp-client.ts';
import { ReturnPathInbox } from '../../runner/return-path-inbox.ts';
import type { AsyncBounceEvent, ComplaintEvent } from '../../sim/later/events.ts';
import { ReportPostman } from '../../sim/later/report-postman.ts';
import type { ReportMail } from '../../sim/later/report-postman.ts';
import { reply } from '../../kernel/smtp/reply.ts';

const HEADERS =
  'From: <news@news.mailbench.test>\r\nTo: <alice@yahoo.com>\r\nSubject: offer\r\nMessage-ID: <7@news.mailbench.test>\r\n';
const COMPLAINT: ComplaintEvent = {
  kind: 'complaint',
  atMs: Date.UTC(2026, 0, 6),
  receiver: 'yahoo',
  recipient: 'alice@yahoo.com',
  mailFrom: 'bounces@news.mailbench.test',
  peerIp: '127.0.0.2',
  feedbackLoop: 'Yahoo Complaint Feedback Loop (CFL)',
  reportingMta: 'mta5.am0.yahoodns.net',
  originalHeaders: HEADERS,
  arrivalMs: Date.UTC(2026, 0, 5),
};
const BOUNCE: AsyncBounceEvent = {
  kind: 'async-bounce',
  atMs: Date.UTC(2026, 0, 6),
  receiver: 'exchange-onprem',
  recipient: 'bob@corp.example',
  mailFrom: 'bounces@news.mailbench.test',
  peerIp: '127.0.0.2',
  cause: 'unknown-user',
  reply: reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
  originalHeaders: HEADERS,
  reportingMta: 'mail.corp.example',
  arrivalMs: Date.UTC(2026, 0, 5),
};

const inbox = new ReturnPathInbox();
let listener: { port: number; close(): Promise<void> };

beforeAll(async () => {
  listener = await inbox.listen('127.0.2.1', 'mx.news.mailbench.test');
});

afterAll(async () => {
  await listener.close();
});

async function sendFrom(
  sourceIp: string,
  mail: { mailFrom: string; recipient: string; data: string; reportingMta: string },
): Promise<number> {
  const connected = await new SmtpClientTransport().connect({
    sourceIp,
    heloName: mail.reportingMta,
    mxHost: 'mx.news.mailbench.test',
    address: '127.0.2.1',
    port: listener.port,
  });
  if (connected.kind !== 'open') throw new Error(`could not connect: ${connected.kind}`);
  const outcome = await connected.session.send({
    envelope: { mailFrom: mail.mailFrom, recipients: [mail.recipient] },
    data: mail.data,
  });
  await connected.session.close();
  const first = outcome.recipients[0];
  return first?.kind === 'reply' ? first.reply.code : -1;
}

test('an ARF complaint and a DSN sent by SMTP are read back with their recipient and status', async () => {
  // Arrange
  const postman = new ReportPostman({ feedbackAddress: 'fbl@news.mailbench.test' });
  const arf = postman.write(COMPLAINT) as ReportMail;
  const dsn = postman.write(BOUNCE) as ReportMail;
  // Act
  const codes = [await sendFrom('127.0.1.3', arf), await sendFrom('127.0.1.21', dsn)];
  await inbox.drain();
  // Assert
  expect(codes).toEqual([250, 250]);
  expect(arf).toMatchObject({ kind: 'arf', mailFrom: '', recipient: 'fbl@news.mailbench.test' });
  expect(dsn).toMatchObject({ kind: 'dsn', mailFrom: '', recipient: 'bounces@news.mailbench.test' });
  expect(inbox.read()).toEqual([
    { kind: 'arf', recipient: 'alice@yahoo.com', status: 'abuse' },
    { kind: 'dsn', recipient: 'bob@corp.example', status: '5.1.10', format: 'rfc3464', writer: 'postfix' },
  ]);
});

test('engagement is not mail, and a bounce of a null-sender message is never written', () => {
  // Arrange
  const postman = new ReportPostman({ feedbackAddress: 'fbl@news.mailbench.test' });
  // Act and assert
  expect(
    postman.write({
      kind: 'engagement',
      atMs: 0,
      receiver: 'gmail',
      recipient: 'a@gmail.com',
      mailFrom: 'bounces@news.mailbench.test',
      peerIp: '127.0.0.2',
      action: 'open',
    }),
  ).toBeNull();
  expect(postman.write({ ...BOUNCE, mailFrom: '' })).toBeNull();
});

test('a message that is not a report is kept and counted as unreadable', async () => {
  // Act
  const code = await sendFrom('127.0.0.9', {
    mailFrom: 'someone@elsewhere.example',
    recipient: 'fbl@news.mailbench.test',
    data: 'Subject: hi\r\n\r\njust text\r\n',
    reportingMta: 'elsewhere.example',
  });
  await inbox.drain();
  // Assert
  expect(code).toBe(250);
  expect(inbox.tally()).toEqual({
    arf: 1,
    dsn: 1,
    unreadable: 1,
    dsnFormats: { rfc3464: 1 },
    dsnWriters: { postfix: 1 },
  });
});
