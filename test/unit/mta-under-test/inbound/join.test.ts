/**
 * Joining reports to the engine's messages: each of the three ways (VERP return path, the
 * correlation header, the original Message-ID with the recipient), the order they are tried
 * in, the classification of async bounces from the Diagnostic-Code or the Status alone, and
 * reports that cannot be joined, which come back with the reason and are counted.
 */
import { describe, expect, test } from 'vitest';
import { classifyReply } from '../../../../mta-under-test/reference/core/classify.ts';
import { replyFromDiagnostic, replyFromStatus } from '../../../../mta-under-test/reference/inbound/diagnostic.ts';
import { ReportIntake } from '../../../../mta-under-test/reference/inbound/intake.ts';
import { joinReport } from '../../../../mta-under-test/reference/inbound/join.ts';
import type { KnownMessage, MessageLookup } from '../../../../mta-under-test/reference/inbound/join.ts';
import { readInboundReport } from '../../../../mta-under-test/reference/inbound/read-report.ts';
import { verpReturnPath } from '../../../../mta-under-test/reference/verp.ts';
import { dsnReport } from '../../../../sim/later/report-mail.ts';
import { reply } from '../../../../kernel/smtp/reply.ts';
import {
  EXCHANGE_DSN,
  GMAIL_DSN,
  JMRP_ARF,
  PLAIN_REPLY,
  POSTFIX_DELAY_AND_FAILURE,
  POSTFIX_DSN,
  YAHOO_ARF,
} from './samples.ts';

const VERP = { prefix: 'bounces', domain: 'news.example' };
const AT_MS = Date.UTC(2026, 0, 6, 12);
const OWNER = { tenant: 'acme', campaign: 'january', pool: 'shared' };

const MESSAGES: readonly KnownMessage[] = [
  {
    messageId: '000001-k3j9x1',
    mailFrom: 'bounces+000001-k3j9x1=bob=example.org@news.example',
    recipients: ['bob@example.org'],
    ...OWNER,
    queueOf: (recipient) => `january:acme@${recipient.split('@')[1] ?? ''}`,
  },
  { messageId: '000002-abcdef', mailFrom: 'bounces@news.example', recipients: ['carol@contoso.com'], ...OWNER },
  { messageId: '000003-ghijkl', mailFrom: 'bounces@news.example', recipients: ['dave@gmail.com'] },
  { messageId: '000004-mnopqr', mailFrom: 'bounces@news.example', recipients: ['erin@yahoo.com'], tenant: 'acme' },
  { messageId: '000005-stuvwx', mailFrom: 'bounces@news.example', recipients: ['frank@outlook.com'] },
  {
    messageId: '000006-shared',
    mailFrom: 'bounces@news.example',
    recipients: ['gina@example.org', 'hank@example.org'],
  },
];

const LOOKUP: MessageLookup = {
  byMessageId: (messageId) => MESSAGES.find((message) => message.messageId === messageId),
  byHeaderMessageId: (headerMessageId) =>
    MESSAGES.find((message) => `${message.messageId}@news.example` === headerMessageId),
};

async function join(raw: string, envelopeRecipient?: string, lookup: MessageLookup = LOOKUP) {
  const report = await readInboundReport(raw, envelopeRecipient === undefined ? {} : { envelopeRecipient });
  return joinReport(report, lookup, { atMs: AT_MS, verp: VERP });
}

describe('the three join paths', () => {
  test('VERP: the envelope recipient names message and recipient (Postfix)', async () => {
    // Act
    const outcome = await join(POSTFIX_DSN, 'bounces+000001-k3j9x1=bob=example.org@news.example');
    // Assert
    expect(outcome).toEqual({
      records: [
        {
          type: 'AsyncBounce',
          atMs: AT_MS,
          messageId: '000001-k3j9x1',
          recipient: 'bob@example.org',
          ...OWNER,
          queue: 'january:acme@example.org',
          status: '5.1.1',
          diagnostic:
            'smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
          reportingMta: 'mail.example.org',
          class: 'unknown-user',
          action: 'suppress',
          rule: expect.stringMatching(/^dsn\.(?!status\.)/) as string,
          joinedBy: 'verp',
        },
      ],
      unjoined: [],
      notFailures: [],
    });
    // The rule is the engine classifier's own, on the quoted reply, with the MX and domain as context.
    const verdict = classifyReply(
      reply(550, '5.1.1', '<bob@example.org>: Recipient address rejected: User unknown in local recipient table'),
      { mxHost: 'mx.example.org', domain: 'example.org' },
    );
    expect(outcome.records[0]).toMatchObject({
      rule: `dsn.${verdict.rule}`,
      class: verdict.class,
      action: verdict.action,
    });
  });

  test('header: the original headers carry X-Mailbench-Ref (Gmail, sent to the plain bounce address)', async () => {
    // Act
    const outcome = await join(GMAIL_DSN, 'bounces@news.example');
    // Assert
    expect(outcome.records).toEqual([
      expect.objectContaining({
        type: 'AsyncBounce',
        messageId: '000003-ghijkl',
        recipient: 'dave@gmail.com',
        class: 'unknown-user',
        rule: expect.stringMatching(/^dsn\.(?!status\.)/) as string,
        reportingMta: 'googlemail.com',
        joinedBy: 'header',
      }),
    ]);
  });

  test('recipient: the original Message-ID names the message, Final-Recipient the recipient (Exchange)', async () => {
    // Act
    const outcome = await join(EXCHANGE_DSN, 'bounces@news.example');
    // Assert
    expect(outcome.records).toEqual([
      expect.objectContaining({
        messageId: '000002-abcdef',
        recipient: 'carol@contoso.com',
        status: '5.1.10',
        class: 'unknown-user',
        action: 'suppress',
        joinedBy: 'recipient',
        tenant: 'acme',
      }),
    ]);
  });

  test("recipient: without the original headers, the report's In-Reply-To names the message", async () => {
    // Arrange: Exchange's DSN without its message/rfc822 part.
    const withoutOriginal =
      EXCHANGE_DSN.slice(
        0,
        EXCHANGE_DSN.lastIndexOf('--4a2f6c1e-1234-4d6b-9e2a-0b7f0f1c2d3e\r\nContent-Type: message/rfc822'),
      ) + '--4a2f6c1e-1234-4d6b-9e2a-0b7f0f1c2d3e--\r\n';
    // Act
    const outcome = await join(withoutOriginal, 'bounces@news.example');
    // Assert
    expect(outcome.records).toEqual([
      expect.objectContaining({ messageId: '000002-abcdef', recipient: 'carol@contoso.com', joinedBy: 'recipient' }),
    ]);
  });

  test('a VERP address of a message the engine no longer knows falls through to the next way', async () => {
    // Act
    const outcome = await join(POSTFIX_DSN, 'bounces+zzzzzz-000000=bob=example.org@news.example');
    // Assert
    expect(outcome.records).toEqual([expect.objectContaining({ messageId: '000001-k3j9x1', joinedBy: 'recipient' })]);
  });

  test('a hashed VERP address picks the recipient even when the receiver names a forwarded address', async () => {
    // Arrange: a recipient too long for the full form, forwarded to an address the engine never mailed.
    const long = `${'a'.repeat(40)}@${'b'.repeat(30)}.example`;
    const lookup: MessageLookup = {
      byMessageId: (id) =>
        id === '000007-longer'
          ? { messageId: id, mailFrom: 'x@news.example', recipients: ['other@example.org', long] }
          : undefined,
    };
    const returnPath = verpReturnPath(VERP, { messageId: '000007-longer', recipient: long });
    const raw = dsnReport(
      {
        kind: 'async-bounce',
        atMs: 0,
        receiver: 'r',
        recipient: 'forwarded@elsewhere.example',
        mailFrom: returnPath,
        peerIp: '127.0.0.2',
        cause: 'mailbox-full',
        reply: reply(552, '5.2.2', 'Mailbox full'),
        originalHeaders: 'Subject: x\r\n',
        reportingMta: 'mx.elsewhere.example',
        arrivalMs: 0,
      },
      {
        from: 'MAILER-DAEMON@mx.elsewhere.example',
        to: returnPath,
        dateMs: Date.UTC(2026, 0, 6),
        id: 'r9',
        domain: 'mx.elsewhere.example',
      },
    );
    // Act
    const outcome = await join(raw, returnPath, lookup);
    // Assert
    expect(returnPath).toMatch(/^bounces\+000007-longer=[a-z2-7]{16}@news\.example$/);
    expect(outcome.records).toEqual([
      expect.objectContaining({
        recipient: long,
        class: 'mailbox-full',
        action: 'retry',
        rule: expect.stringMatching(/^dsn\.(?!status\.)/) as string,
        joinedBy: 'verp',
      }),
    ]);
  });
});

describe('classification and recipient blocks', () => {
  test('only failed blocks become records; a delayed one is returned as not a failure', async () => {
    // Act
    const outcome = await join(POSTFIX_DELAY_AND_FAILURE, 'bounces@news.example');
    // Assert: an X-Postfix diagnostic quotes no SMTP reply; its words and the Status decide.
    expect(outcome.records).toEqual([
      expect.objectContaining({
        recipient: 'hank@example.org',
        status: '5.2.1',
        class: 'mailbox-disabled',
        action: 'suppress',
        rule: 'dsn.generic.mailbox-disabled',
        joinedBy: 'recipient',
      }),
    ]);
    expect(outcome.notFailures).toEqual([{ recipient: 'gina@example.org', action: 'delayed' }]);
    expect(outcome.unjoined).toEqual([]);
  });

  test('a diagnostic without an enhanced code takes it from the Status (RFC 3464 §2.3.4)', async () => {
    // Act
    const outcome = await join(
      POSTFIX_DSN.replace(/Diagnostic-Code: [^]*?table\r\n/, 'Diagnostic-Code: smtp; 550 User unknown\r\n'),
      'bounces+000001-k3j9x1=bob=example.org@news.example',
    );
    // Assert
    expect(outcome.records).toEqual([
      expect.objectContaining({
        diagnostic: 'smtp; 550 User unknown',
        class: 'unknown-user',
        rule: expect.stringMatching(/^dsn\.(?!status\.)/) as string,
      }),
    ]);
  });

  test('Diagnostic-Code to reply: one line, Gmail multi-line, no space after the type, other types', () => {
    expect(replyFromDiagnostic('smtp; 550 5.1.1 <bob@example.org>: User unknown')).toEqual(
      reply(550, '5.1.1', '<bob@example.org>: User unknown'),
    );
    expect(replyFromDiagnostic('smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found')).toEqual(
      reply(550, '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found'),
    );
    expect(
      replyFromDiagnostic(
        'SMTP; 550-5.1.1 The email account does not exist. 550-5.1.1 Please try 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser - gsmtp',
      ),
    ).toEqual(
      reply(
        550,
        '5.1.1',
        'The email account does not exist. Please try https://support.google.com/mail/?p=NoSuchUser - gsmtp',
      ),
    );
    expect(replyFromDiagnostic('smtp; 452 Too many recipients')).toEqual(reply(452, null, 'Too many recipients'));
    expect(replyFromDiagnostic('X-Postfix; connect to mx.example.org: Connection timed out')).toBeNull();
    expect(replyFromDiagnostic('smtp; Connection timed out')).toBeNull();
    expect(replyFromStatus('4.4.7')).toEqual(reply(450, '4.4.7', ''));
    expect(replyFromStatus('9.9.9')).toBeNull();
  });
});

describe('complaints', () => {
  test('header: a Yahoo complaint to the feedback address, joined by X-Mailbench-Ref', async () => {
    // Act
    const outcome = await join(YAHOO_ARF, 'fbl@news.example');
    // Assert
    expect(outcome).toEqual({
      records: [
        {
          type: 'Feedback',
          atMs: AT_MS,
          messageId: '000004-mnopqr',
          recipient: 'erin@yahoo.com',
          tenant: 'acme',
          feedbackType: 'abuse',
          reporter: 'feedback@arf.mail.yahoo.com',
          joinedBy: 'header',
        },
      ],
      unjoined: [],
      notFailures: [],
    });
  });

  test("recipient: a redacted JMRP complaint joins on Message-ID and the message's only recipient", async () => {
    // Act
    const outcome = await join(JMRP_ARF, 'fbl@news.example');
    // Assert
    expect(outcome.records).toEqual([
      expect.objectContaining({
        type: 'Feedback',
        messageId: '000005-stuvwx',
        recipient: 'frank@outlook.com',
        feedbackType: 'abuse',
        reporter: 'staff@hotmail.com',
        joinedBy: 'recipient',
      }),
    ]);
  });
});

describe('what cannot be joined is returned with the reason', () => {
  test('no way names a known message: every way tried is in the reason', async () => {
    // Act
    const outcome = await join(EXCHANGE_DSN, 'bounces@news.example', {
      byMessageId: () => undefined,
      byHeaderMessageId: () => undefined,
    });
    // Assert
    expect(outcome.records).toEqual([]);
    expect(outcome.unjoined).toEqual([
      {
        kind: 'dsn',
        recipient: 'carol@contoso.com',
        reason:
          'no known message: VERP: local part "bounces" does not start with "bounces+"; header: no X-Mailbench-Ref in the original headers; recipient: Message-ID <000002-abcdef@news.example> is not known',
      },
    ]);
  });

  test('a known message but a recipient it was not sent to, with several recipients to choose from', async () => {
    // Act
    const outcome = await join(
      POSTFIX_DELAY_AND_FAILURE.replace('hank@example.org\r\nAction', 'ivan@example.org\r\nAction'),
      'bounces@news.example',
    );
    // Assert
    expect(outcome.unjoined).toEqual([
      {
        kind: 'dsn',
        recipient: 'ivan@example.org',
        reason:
          'message 000006-shared (joined by recipient) has 2 recipients and ivan@example.org is not one of its recipients',
      },
    ]);
  });

  test("an unreadable message is unjoined, with the reader's reason", async () => {
    // Act
    const outcome = await join(PLAIN_REPLY, 'bounces@news.example');
    // Assert
    expect(outcome).toEqual({
      records: [],
      unjoined: [{ kind: 'unreadable', reason: expect.stringContaining('not a bounce') as string }],
      notFailures: [],
    });
  });

  test('the intake emits the records and counts everything, joined or not', async () => {
    // Arrange
    const emitted: string[] = [];
    const intake = new ReportIntake({
      lookup: LOOKUP,
      clock: { now: () => AT_MS },
      verp: VERP,
      onRecord: (record) => emitted.push(`${record.type} ${record.recipient}`),
    });
    // Act
    for (const [raw, to] of [
      [POSTFIX_DSN, 'bounces+000001-k3j9x1=bob=example.org@news.example'],
      [POSTFIX_DELAY_AND_FAILURE, 'bounces@news.example'],
      [YAHOO_ARF, 'fbl@news.example'],
      [PLAIN_REPLY, 'bounces@news.example'],
    ] as const) {
      intake.take(await readInboundReport(raw, { envelopeRecipient: to }));
    }
    // Assert
    expect(emitted).toEqual(['AsyncBounce bob@example.org', 'AsyncBounce hank@example.org', 'Feedback erin@yahoo.com']);
    expect(intake.tally()).toEqual({
      dsn: 2,
      arf: 1,
      unreadable: 1,
      records: 3,
      unjoined: 1,
      notFailures: 1,
      dsnFormats: { rfc3464: 2 },
    });
    expect(intake.unjoined()).toHaveLength(1);
  });
});
