/**
 * The pieces of the bounce reader, each on the texts real MTAs write: the quoted reply in a
 * diagnostic, the status fields as they come (no empty line between recipients, continuation
 * lines that are not indented), the SMTP command a reply answered, prose notices (and a
 * person's reply, which is not one), Amazon SES notifications, ISO-2022-JP.
 */
import { describe, expect, test } from 'vitest';
import { decodeReportText } from '../../../../mta-under-test/reference/inbound/decode-text.ts';
import { quoteOfDiagnostic } from '../../../../mta-under-test/reference/inbound/diagnostic.ts';
import { statusFieldGroups } from '../../../../mta-under-test/reference/inbound/fields.ts';
import { noticeOf, readProseBounce } from '../../../../mta-under-test/reference/inbound/plain-bounce.ts';
import { readInboundReport } from '../../../../mta-under-test/reference/inbound/read-report.ts';
import { readSesNotification } from '../../../../mta-under-test/reference/inbound/ses-notification.ts';
import { commandOfReply } from '../../../../mta-under-test/reference/inbound/smtp-command.ts';
import { classifyFacts } from '../../../../mta-under-test/reference/core/classify.ts';

describe('the reply a diagnostic quotes', () => {
  test.each([
    ['smtp; 550 5.1.1 <a@b.example>: User unknown', 550, '5.1.1', '<a@b.example>: User unknown'],
    [
      'SMTP; 550-5.1.1 The email account does not exist. 550-5.1.1 Please try 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp',
      550,
      '5.1.1',
      'The email account does not exist. Please try https://support.google.com/mail/?p=NoSuchUser - gsmtp',
    ],
    ['smtp; 550 #5.1.0 Address rejected.', 550, '5.1.0', 'Address rejected.'],
    [
      '550 sorry, no mailbox here by that name (#5.1.1 - chkusr)',
      550,
      '5.1.1',
      'sorry, no mailbox here by that name (#5.1.1 - chkusr)',
    ],
    [
      'X-Postfix; host mx.example.org[192.0.2.1] said: 550 5.7.1 Message rejected (in reply to end of DATA command)',
      550,
      '5.7.1',
      'Message rejected (in reply to end of DATA command)',
    ],
    ['X-Unix; 77', null, null, '77'],
    [
      'X-Postfix; connect to mx.example.org[192.0.2.1]:25: Connection refused',
      null,
      null,
      'connect to mx.example.org[192.0.2.1]:25: Connection refused',
    ],
    ['550 5.1.1 <a@b.example>... User Unknown', 550, '5.1.1', '<a@b.example>... User Unknown'],
    [
      'smtp; 220-mx.example.jp ESMTP ready 220 hello 421 4.7.0 Try again later, closing connection',
      421,
      '4.7.0',
      'Try again later, closing connection',
    ],
    [
      '... while talking to mx.example.com.: >>> DATA <<< 550 5.1.1 <a@b.example>... User unknown 554 5.0.0 Service unavailable',
      550,
      '5.1.1',
      '<a@b.example>... User unknown 554 5.0.0 Service unavailable',
    ],
    ['ResponseCode 421, , Host not reachable.', 421, null, ', , Host not reachable.'],
  ])('%s', (diagnostic, code, enhanced, text) => {
    expect(quoteOfDiagnostic(diagnostic)).toEqual({ code, enhanced, text });
  });
});

describe('status fields as real MTAs write them', () => {
  test('two recipient blocks with no empty line between them stay two', () => {
    const groups = statusFieldGroups(
      'Reporting-MTA: dns; mx.example.jp\n\nFinal-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.2.2\nFinal-Recipient: rfc822; b@example.jp\nAction: failed\nStatus: 5.1.1\n',
    );
    expect(groups.map((group) => group.get('final-recipient'))).toEqual([
      undefined,
      ['rfc822; a@example.jp'],
      ['rfc822; b@example.jp'],
    ]);
  });

  test('Action before Final-Recipient, and Original-Recipient after it, are one block', () => {
    const groups = statusFieldGroups(
      'Action: failed\nFinal-Recipient: rfc822; a@example.jp\nOriginal-Recipient: rfc822;a@example.jp\nStatus: 5.1.1\n',
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]?.get('status')).toEqual(['5.1.1']);
  });

  test('a reply continued on a line that is not indented stays in its Diagnostic-Code', () => {
    const groups = statusFieldGroups(
      'Final-Recipient: rfc822; a@example.jp\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\n',
    );
    expect(groups[0]?.get('diagnostic-code')).toEqual([
      'smtp; 550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser',
    ]);
  });
});

describe('the SMTP command a reply answered', () => {
  test.each([
    ['host mx[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)', 'rcpt'],
    ['said: 550 Unknown user (in reply to end of DATA command)', 'data'],
    ['SMTP error from remote mail server after end of data: 554 5.7.0 Header error', 'data'],
    ['SMTP error from remote server after RCPT command: host: mx.example.jp 5.2.2 Mailbox Full', 'rcpt'],
    [
      '... while talking to mx.example.jp.:\n>>> MAIL From:<a@b.example>\n<<< 553 5.1.8 Domain of sender address does not exist',
      'mail',
    ],
    ['550 5.1.1 User unknown', undefined],
  ])('%s', (text, stage) => {
    expect(commandOfReply([text])).toBe(stage);
  });
});

describe('"user unknown" by the command it answered', () => {
  test.each([
    ['rcpt', 'unknown-user', true],
    ['data', 'disguised-policy-block', false],
  ] as const)('"554 Rcpt <a@b> does not exist" answered to %s', (stage, cls, hard) => {
    // After DATA the receiver had accepted the recipient at RCPT TO: a filter speaks, not the directory.
    expect(
      classifyFacts({ code: 554, enhanced: null, text: 'Rcpt <a@b.example> does not exist', stage }),
    ).toMatchObject({ class: cls, hard });
  });

  test('a 5.1.1 stays an unknown user even when a transcript shows DATA (pipelined RCPT answers arrive after it)', () => {
    expect(
      classifyFacts({ code: 550, enhanced: '5.1.1', text: '<a@b.example>... User unknown', stage: 'data' }),
    ).toMatchObject({ class: 'unknown-user', hard: true });
  });
});

describe('prose notices', () => {
  test('the returned message is not part of the notice, whichever separator marks it', () => {
    for (const separator of [
      '--- Below this line is a copy of the message.',
      '------ This is a copy of the message, including all the headers. ------',
      '----- Original message -----',
      'Original message follows.',
    ]) {
      expect(noticeOf(`<a@b.example>:\nRemote host said: 550 no\n${separator}\nTo: c@d.example\n`)).toEqual([
        '<a@b.example>:',
        'Remote host said: 550 no',
      ]);
    }
  });

  test('Sendmail\'s first line ("The original message was received at …") is not a separator', () => {
    expect(
      noticeOf('The original message was received at Thu, 29 Apr 2011\n>>> a@b.example <a@b.example>\n'),
    ).toHaveLength(3);
  });

  test("the bounce's own addresses are not recipients, unless one stands alone on its line", () => {
    const notice =
      'Your message from sender@news.example could not be delivered.\nTo: sender@news.example\n\n<sender@news.example>:\nRemote host said: 550 5.1.1 User unknown\n';
    expect(readProseBounce(notice, ['sender@news.example']).map((each) => each.recipient)).toEqual([
      'sender@news.example',
    ]);
    expect(readProseBounce('From: sender@news.example\nSubject: x\n', ['sender@news.example'])).toEqual([]);
  });

  test("a person's reply to the return path is not a bounce, whatever addresses it names", async () => {
    const reply =
      'From: Person <person@example.org>\r\nTo: bounces@news.example\r\nSubject: Re: January offers\r\n\r\nbob@example.org: please remove me, and my colleague\r\n<carol@example.org>: too.\r\n';
    const report = await readInboundReport(reply);
    expect(report.kind).toBe('unreadable');
  });
});

describe('other encodings and formats', () => {
  test('ISO-2022-JP written with its escape sequences is decoded', () => {
    const jis = Buffer.from([
      0x1b, 0x24, 0x42, 0x25, 0x66, 0x21, 0x3c, 0x25, 0x36, 0x21, 0x3c, 0x1b, 0x28, 0x42, 0x20, 0x4e, 0x65, 0x6b, 0x6f,
    ]);
    expect(decodeReportText(jis)).toBe('ユーザー Neko');
  });

  test('RFC 2047 encoded words in a field value are decoded', () => {
    expect(decodeReportText('Diagnostic-Code: smtp; 550 =?UTF-8?B?5a6b5YWI5LiN5piO?=')).toBe(
      'Diagnostic-Code: smtp; 550 宛先不明',
    );
  });

  test('an Amazon SES bounce through SNS, and a complaint', () => {
    const bounce = JSON.stringify({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        reportingMTA: 'dsn; a1-2.smtp-out.amazonses.com',
        bouncedRecipients: [
          {
            emailAddress: 'a@b.example',
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
          },
        ],
      },
    });
    expect(readSesNotification(JSON.stringify({ Type: 'Notification', Message: bounce }))).toEqual({
      kind: 'bounce',
      reportingMta: 'a1-2.smtp-out.amazonses.com',
      recipients: [
        {
          finalRecipient: 'a@b.example',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
    });
    const complaint = JSON.stringify({
      notificationType: 'Complaint',
      complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: 'c@d.example' }] },
    });
    expect(readSesNotification(`${complaint}\n\n--\nunsubscribe`)).toEqual({
      kind: 'complaint',
      feedbackType: 'abuse',
      recipients: ['c@d.example'],
    });
    expect(readSesNotification('not json {')).toBeUndefined();
  });
});
