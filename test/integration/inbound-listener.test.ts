/**
 * The engine's inbound report listener on the wire: nodemailer delivers a DSN to a VERP return
 * path and an ARF complaint to the feedback address, with the null reverse-path as reports
 * use, and the intake joins them to the engine's messages. The answers say what was kept:
 * 250 only after the report was handed over, 550 for a person writing to the bounce address,
 * 452 for a second recipient, 552 past the size limit, 451 when the handover fails; a
 * null-sender message that is not a report is kept and counted, since a refusal would be lost.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AsyncBounceRecord, FeedbackRecord } from '../../mta-under-test/accounting.ts';
import { ReportIntake } from '../../mta-under-test/reference/inbound/intake.ts';
import type { MessageLookup } from '../../mta-under-test/reference/inbound/join.ts';
import { startInboundListener } from '../../mta-under-test/reference/inbound/listener.ts';
import type { InboundDelivery, InboundListener } from '../../mta-under-test/reference/inbound/listener.ts';
import { PLAIN_REPLY, POSTFIX_DSN, YAHOO_ARF } from '../unit/mta-under-test/inbound/samples.ts';

const VERP = { prefix: 'bounces', domain: 'news.example' };
const LOOKUP: MessageLookup = {
  byMessageId: (messageId) =>
    ({
      '000001-k3j9x1': {
        messageId,
        mailFrom: 'bounces+000001-k3j9x1=bob=example.org@news.example',
        recipients: ['bob@example.org'],
        tenant: 'acme',
        campaign: 'january',
      },
      '000004-mnopqr': {
        messageId,
        mailFrom: 'bounces+000004-mnopqr=erin=yahoo.com@news.example',
        recipients: ['erin@yahoo.com'],
        tenant: 'acme',
      },
    })[messageId],
};

const records: (AsyncBounceRecord | FeedbackRecord)[] = [];
const deliveries: InboundDelivery[] = [];
const intake = new ReportIntake({
  lookup: LOOKUP,
  clock: { now: () => Date.UTC(2026, 0, 6) },
  verp: VERP,
  onRecord: (record) => records.push(record),
});
let listener: InboundListener;

beforeAll(async () => {
  listener = await startInboundListener({
    address: '127.0.3.1',
    hostname: 'mx.news.example',
    reportBytesMax: 64 * 1024,
    onReport: (delivery) => {
      if (delivery.recipient === 'broken@news.example') throw new Error('the spool is full');
      deliveries.push(delivery);
      intake.take(delivery.report);
    },
  });
});

afterAll(async () => {
  await listener.close();
});

interface Answer {
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  readonly response?: string;
  readonly responseCode?: number;
}

/** One SMTP transaction from a reporting receiver's loopback address. */
async function send(from: string, to: readonly string[], raw: string): Promise<Answer> {
  const transport = nodemailer.createTransport({
    host: listener.address,
    port: listener.port,
    secure: false,
    ignoreTLS: true,
    localAddress: '127.0.1.21',
    name: 'mail.example.org',
  });
  try {
    const info = await transport.sendMail({ envelope: { from, to: [...to] }, raw });
    return { accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response };
  } catch (error) {
    const failure = error as { response?: string; responseCode?: number };
    return {
      accepted: [],
      rejected: [...to],
      ...(failure.response === undefined ? {} : { response: failure.response }),
      ...(failure.responseCode === undefined ? {} : { responseCode: failure.responseCode }),
    };
  } finally {
    transport.close();
  }
}

describe("reports delivered by SMTP are joined to the engine's messages", () => {
  test('a DSN to a VERP return path becomes an AsyncBounce joined by VERP', async () => {
    // Act
    const answer = await send('', ['bounces+000001-k3j9x1=bob=example.org@news.example'], POSTFIX_DSN);
    // Assert
    expect(answer.response).toMatch(/^250 2\.6\.0 dsn report kept/);
    expect(deliveries.at(-1)).toMatchObject({
      mailFrom: '',
      recipient: 'bounces+000001-k3j9x1=bob=example.org@news.example',
      remoteAddress: '127.0.1.21',
      heloName: 'mail.example.org',
    });
    expect(records.at(-1)).toMatchObject({
      type: 'AsyncBounce',
      messageId: '000001-k3j9x1',
      recipient: 'bob@example.org',
      tenant: 'acme',
      campaign: 'january',
      status: '5.1.1',
      class: 'unknown-user',
      action: 'suppress',
      joinedBy: 'verp',
    });
  });

  test('an ARF complaint to the feedback address becomes a Feedback joined by the correlation header', async () => {
    // Act
    const answer = await send('', ['fbl@news.example'], YAHOO_ARF);
    // Assert
    expect(answer.response).toMatch(/^250 2\.6\.0 arf report kept/);
    expect(records.at(-1)).toEqual({
      type: 'Feedback',
      atMs: Date.UTC(2026, 0, 6),
      messageId: '000004-mnopqr',
      recipient: 'erin@yahoo.com',
      tenant: 'acme',
      feedbackType: 'abuse',
      reporter: 'feedback@arf.mail.yahoo.com',
      joinedBy: 'header',
    });
  });
});

describe('what is not a report, and what cannot be kept', () => {
  test('a person writing to the bounce address is refused with the reason', async () => {
    // Act
    const answer = await send('person@example.org', ['bounces@news.example'], PLAIN_REPLY);
    // Assert
    expect(answer.responseCode).toBe(550);
    expect(answer.response).toMatch(/^550 5\.6\.0 this address takes only DSN and ARF reports: not a bounce/);
  });

  test('a null-sender message that is not a report is kept and counted as unjoined', async () => {
    // Arrange
    const before = intake.tally();
    // Act
    const answer = await send('', ['bounces@news.example'], PLAIN_REPLY);
    // Assert
    expect(answer.response).toMatch(/^250 2\.6\.0 message kept \(not a report\)/);
    expect(intake.tally()).toMatchObject({ unreadable: before.unreadable + 1, unjoined: before.unjoined + 1 });
    expect(intake.unjoined().at(-1)).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringContaining('not a bounce') as string,
    });
  });

  test('a second recipient in one transaction is refused with 452, the first is kept', async () => {
    // Act
    const answer = await send(
      '',
      ['bounces+000001-k3j9x1=bob=example.org@news.example', 'fbl@news.example'],
      POSTFIX_DSN,
    );
    // Assert
    expect(answer.accepted).toEqual(['bounces+000001-k3j9x1=bob=example.org@news.example']);
    expect(answer.rejected).toEqual(['fbl@news.example']);
  });

  test('a message over the size limit is refused with 552', async () => {
    // Act
    const answer = await send('', ['bounces@news.example'], `${POSTFIX_DSN}${'x'.repeat(100)}\r\n`.repeat(700));
    // Assert
    expect(answer.responseCode).toBe(552);
  });

  test('when the handover fails the answer is 451: the sender keeps the report and retries', async () => {
    // Act
    const answer = await send('', ['broken@news.example'], POSTFIX_DSN);
    // Assert
    expect(answer.responseCode).toBe(451);
    expect(answer.response).toMatch(/^451 4\.3\.0 report not kept, try again later: the spool is full/);
  });

  test('only loopback addresses', async () => {
    await expect(
      startInboundListener({ address: '0.0.0.0', hostname: 'mx.news.example', onReport: () => undefined }),
    ).rejects.toThrow(/loopback only \(127\.0\.0\.0\/8\); refusing 0\.0\.0\.0/);
  });
});
