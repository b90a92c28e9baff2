/**
 * Which events get a DSN: never for a null-sender message, never about a report, as NOTIFY
 * asks (RFC 3461 §4.1), and at most one delay warning per recipient per message, after the
 * configured time in the queue. A whole schedule is checked as data.
 */
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_DSN_POLICY,
  delayWarningKey,
  dsnVerdict,
  isReportMessage,
} from '../../../../mta-under-test/reference/dsn/dsn-policy.ts';
import type { DsnTrigger } from '../../../../mta-under-test/reference/dsn/dsn-policy.ts';
import { HOUR_MS } from '../../../../kernel/clock/clock.ts';

const MESSAGE = { messageId: '000001-k3j9x1', mailFrom: 'newsletter@news.example', isReport: false };
const NONE = { delayWarned: new Set<string>() };

describe('dsnVerdict', () => {
  test.each([
    ['a bounce', { kind: 'failed', message: MESSAGE, recipient: 'a@b.example' }, { send: true, kind: 'failed' }],
    ['an expiry', { kind: 'expired', message: MESSAGE, recipient: 'a@b.example' }, { send: true, kind: 'expired' }],
    [
      'a bounce of a null-sender message',
      { kind: 'failed', message: { ...MESSAGE, mailFrom: '' }, recipient: 'a@b.example' },
      { send: false, reason: 'null-sender' },
    ],
    [
      'a bounce of a report sent with a sender',
      { kind: 'failed', message: { ...MESSAGE, isReport: true }, recipient: 'a@b.example' },
      { send: false, reason: 'about-a-report' },
    ],
    [
      'NOTIFY=NEVER',
      { kind: 'failed', message: MESSAGE, recipient: 'a@b.example', notify: 'NEVER' },
      { send: false, reason: 'notify-never' },
    ],
    [
      'a failure when only DELAY was asked for',
      { kind: 'expired', message: MESSAGE, recipient: 'a@b.example', notify: ['DELAY'] },
      { send: false, reason: 'not-requested' },
    ],
    [
      'a delay before the warning time',
      { kind: 'delayed', message: MESSAGE, recipient: 'a@b.example', queuedForMs: 3 * HOUR_MS },
      { send: false, reason: 'delay-too-early' },
    ],
    [
      'a delay after it',
      { kind: 'delayed', message: MESSAGE, recipient: 'a@b.example', queuedForMs: 4 * HOUR_MS },
      { send: true, kind: 'delayed' },
    ],
    [
      'a delay when only FAILURE was asked for',
      { kind: 'delayed', message: MESSAGE, recipient: 'a@b.example', queuedForMs: 5 * HOUR_MS, notify: ['FAILURE'] },
      { send: false, reason: 'not-requested' },
    ],
  ] as const)('%s', (_name, trigger, verdict) => {
    expect(dsnVerdict(trigger as DsnTrigger, NONE)).toEqual(verdict);
  });

  test('one delay warning per recipient per message over a whole retry schedule', () => {
    // Arrange: retries every hour for 12 hours, two recipients of one message, one of another.
    const delayWarned = new Set<string>();
    const sent: string[] = [];
    // Act
    for (let hour = 1; hour <= 12; hour++) {
      for (const [messageId, recipient] of [
        ['m1', 'a@b.example'],
        ['m1', 'c@d.example'],
        ['m2', 'a@b.example'],
      ] as const) {
        const verdict = dsnVerdict(
          { kind: 'delayed', message: { ...MESSAGE, messageId }, recipient, queuedForMs: hour * HOUR_MS },
          { delayWarned },
        );
        if (verdict.send) {
          delayWarned.add(delayWarningKey(messageId, recipient));
          sent.push(`${hour}h ${messageId} ${recipient}`);
        }
      }
    }
    // Assert
    expect(sent).toEqual(['4h m1 a@b.example', '4h m1 c@d.example', '4h m2 a@b.example']);
    expect(
      dsnVerdict(
        { kind: 'failed', message: { ...MESSAGE, messageId: 'm1' }, recipient: 'a@b.example' },
        { delayWarned },
      ),
    ).toEqual({ send: true, kind: 'failed' });
  });

  test('delay warnings can be turned off', () => {
    expect(
      dsnVerdict({ kind: 'delayed', message: MESSAGE, recipient: 'a@b.example', queuedForMs: 100 * HOUR_MS }, NONE, {
        ...DEFAULT_DSN_POLICY,
        delayWarningAfterMs: null,
      }),
    ).toEqual({ send: false, reason: 'delay-warnings-off' });
  });
});

describe('isReportMessage', () => {
  test.each([
    ['a DSN', 'From: a\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n', true],
    [
      'a folded ARF Content-Type',
      'Content-Type:\r\n multipart/report;\r\n report-type=feedback-report\r\n\r\nbody',
      true,
    ],
    ['a newsletter', 'Content-Type: text/html\r\n\r\nContent-Type: multipart/report in the body', false],
    ['no headers at all', '', false],
  ])('%s', (_name, data, expected) => {
    expect(isReportMessage(data)).toBe(expected);
  });
});
