/**
 * The bounces the fleet's relays write after accepting a message (Exchange NDRs, Sendmail DSNs
 * with a transcript, qmail's plain notice, Postfix's RFC 3464), read back by the engine's own
 * reader and joined by its intake, as a sender meets them in a run: each gives the right
 * recipient, status and reply, is recognised as its writer's, and becomes one AsyncBounce
 * record of the right message.
 */
import { describe, expect, test } from 'vitest';
import { ReportIntake } from '../../../../mta-under-test/reference/inbound/intake.ts';
import { blockFacts } from '../../../../mta-under-test/reference/inbound/block-verdict.ts';
import { readInboundReport } from '../../../../mta-under-test/reference/inbound/read-report.ts';
import { refHeaderLine } from '../../../../mta-under-test/reference/verp.ts';
import type { AsyncBounceRecord } from '../../../../mta-under-test/accounting.ts';
import type { BounceMailFormat } from '../../../../sim/later/bounce-mail.ts';
import type { AsyncBounceEvent } from '../../../../sim/later/events.ts';
import { ReportPostman } from '../../../../sim/later/report-postman.ts';
import { reply } from '../../../../kernel/smtp/reply.ts';

const RECIPIENT = 'ghost@northwind-0042.example';
const ORIGINAL = `From: <news@news.mailbench.test>\r\nTo: <${RECIPIENT}>\r\nSubject: January offers\r\nMessage-ID: <000042-abc@news.mailbench.test>\r\n${refHeaderLine({ messageId: '000042-abc', recipient: RECIPIENT })}\r\n`;

function event(
  format: BounceMailFormat | undefined,
  downstream = reply(550, '5.1.1', `<${RECIPIENT}>... User unknown`),
): AsyncBounceEvent {
  return {
    kind: 'async-bounce',
    atMs: Date.UTC(2026, 0, 6, 12),
    receiver: 'cisco',
    recipient: RECIPIENT,
    mailFrom: 'bounces@news.mailbench.test',
    peerIp: '127.0.0.2',
    cause: 'unknown-user',
    reply: downstream,
    originalHeaders: ORIGINAL,
    reportingMta: 'esa1.northwind-0042.iphmx.com',
    arrivalMs: Date.UTC(2026, 0, 6, 11, 50),
    ...(format === undefined ? {} : { format }),
  };
}

describe('every bounce format the fleet writes is read and joined by the engine', () => {
  test.each([
    [undefined, 'rfc3464', 'postfix', 'rcpt'],
    ['exchange', 'rfc3464', 'exchange', undefined],
    ['sendmail', 'rfc3464', 'sendmail', 'rcpt'],
    ['qmail', 'prose', 'qmail', undefined],
  ] as const)('%s', async (format, readFormat, writer, smtpCommand) => {
    // Arrange
    const mail = new ReportPostman({ feedbackAddress: 'fbl@news.mailbench.test' }).write(event(format));
    if (mail === null) throw new Error('no bounce written');
    const records: AsyncBounceRecord[] = [];
    const intake = new ReportIntake({
      lookup: {
        byMessageId: (id) =>
          id === '000042-abc'
            ? { messageId: id, mailFrom: 'bounces@news.mailbench.test', recipients: [RECIPIENT] }
            : undefined,
      },
      clock: { now: () => Date.UTC(2026, 0, 6, 12) },
      onRecord: (record) => {
        if (record.type === 'AsyncBounce') records.push(record);
      },
    });
    // Act
    const report = await readInboundReport(mail.data, { envelopeRecipient: mail.recipient });
    intake.take(report);
    // Assert
    if (report.kind !== 'dsn')
      throw new Error(`read as ${report.kind}${report.kind === 'unreadable' ? `: ${report.reason}` : ''}`);
    expect({ format: report.format, writer: report.writer }).toEqual({ format: readFormat, writer });
    expect(report.recipients).toHaveLength(1);
    const [block] = report.recipients;
    expect({ recipient: block?.finalRecipient, status: block?.status, command: block?.smtpCommand }).toEqual({
      recipient: RECIPIENT,
      status: '5.1.1',
      command: smtpCommand,
    });
    expect(blockFacts(block!)).toMatchObject({
      code: 550,
      enhanced: '5.1.1',
      text: expect.stringContaining('User unknown') as string,
    });
    expect(records).toEqual([
      expect.objectContaining({
        messageId: '000042-abc',
        recipient: RECIPIENT,
        class: 'unknown-user',
        joinedBy: 'header',
      }),
    ]);
    expect(intake.tally().dsnFormats).toEqual({ [readFormat]: 1 });
  });

  test('qmail sends no delay warnings: a transient failure is written as RFC 3464', () => {
    const mail = new ReportPostman({ feedbackAddress: 'fbl@news.mailbench.test' }).write(
      event('qmail', reply(451, '4.3.0', 'Temporary local problem')),
    );
    expect(mail?.data).toContain('report-type=delivery-status');
    expect(mail?.data).not.toContain('qmail-send');
  });
});
