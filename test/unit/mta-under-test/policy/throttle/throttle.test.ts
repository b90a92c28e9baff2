/**
 * The adaptive throttle with exact figures: AIMD on the deferral share (decrease from the
 * observed rate, decrease again, hold between the thresholds, additive increase after a calm
 * spell, release past the ceiling), strong signals that suspend and restart at the floor, and
 * the replies that must not throttle at all.
 */
import { describe, expect, test } from 'vitest';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../../../../kernel/clock/clock.ts';
import type { SmtpReply } from '../../../../../kernel/smtp/reply.ts';
import type { AccountingRecord } from '../../../../../mta-under-test/accounting.ts';
import { AdaptiveThrottle } from '../../../../../mta-under-test/reference/policy/throttle/index.ts';
import type { AdaptiveThrottleOptions } from '../../../../../mta-under-test/reference/policy/throttle/index.ts';
import type { SuspensionRequest } from '../../../../../mta-under-test/reference/core/policy.ts';
import { GMAIL, M365, OUTLOOK, REPLIES, T0, YAHOO, attempt, smtpReply, throttleRecords } from '../_support/attempts.ts';
import type { Destination } from '../_support/attempts.ts';

function throttleWithRecords(options: AdaptiveThrottleOptions = {}): {
  throttle: AdaptiveThrottle;
  records: AccountingRecord[];
} {
  const records: AccountingRecord[] = [];
  const throttle = new AdaptiveThrottle(options);
  throttle.attach((record) => records.push(record));
  return { throttle, records };
}

function send(
  throttle: AdaptiveThrottle,
  atMs: number,
  reply: SmtpReply,
  where: Destination = GMAIL,
  recipient = 'someone@gmail.com',
): SuspensionRequest[] {
  const { verdict, context, outcome } = attempt(recipient, atMs, reply, where);
  return throttle.onAttempt(verdict, context, outcome);
}

/** Attempt `index` goes at T0 + 3 s × index (1,200 an hour). */
const at = (index: number): number => T0 + index * 3 * SECOND_MS;

describe('AIMD on the deferral share', () => {
  test('decrease from the observed rate, decrease again, hold, increase after 15 calm minutes, release past the ceiling', () => {
    // Arrange: 0-600 s every third attempt deferred (share 0.34); 600-1,200 s every eighth (0.12);
    // from 1,200 s none. Decisions fall every 5 minutes (every 100th attempt).
    const { throttle, records } = throttleWithRecords({ ceilingPerHour: 1_000 });
    // Act
    for (let index = 0; index <= 900; index++) {
      const deferred = index <= 200 ? index % 3 === 0 : index <= 400 ? index % 8 === 0 : false;
      send(throttle, at(index), deferred ? REPLIES.gmailRateLimited : REPLIES.accept);
    }
    // Assert
    expect(
      throttleRecords(records).map((record) => [
        (record.atMs - T0) / SECOND_MS,
        record.rule,
        record.ratePerHourBefore,
        record.ratePerHourAfter,
      ]),
    ).toEqual([
      [300, 'throttle.aimd.decrease', null, 606],
      [600, 'throttle.aimd.decrease', 606, 303],
      [900, 'throttle.aimd.hold', 303, 303],
      [2_100, 'throttle.aimd.increase', 303, 543],
      [2_400, 'throttle.aimd.increase', 543, 783],
      [2_700, 'throttle.aimd.release', 783, null],
    ]);
    const [first, second, hold, increase, , release] = throttleRecords(records);
    expect(first).toMatchObject({
      scope: { source: 'mta1', provider: 'gmail' },
      reason: 'deferral share 0.34 over 101 attempts in 5 min (≥ 0.20): observed 1212/h × 0.5 → 606/h',
    });
    expect(second?.reason).toBe('deferral share 0.33 over 100 attempts in 5 min (≥ 0.20): 606/h × 0.5 → 303/h');
    expect(hold?.reason).toBe('deferral share 0.12 over 100 attempts in 5 min (between 0.05 and 0.20): hold 303/h');
    expect(increase?.reason).toBe(
      'deferral share 0.00 over 200 attempts in 10 min (≤ 0.05) for 15 min: 303/h + 240 → 543/h',
    );
    expect(release?.reason).toBe(
      'deferral share 0.00 over 200 attempts in 10 min (≤ 0.05) for 25 min: 783/h + 240 reaches the ceiling 1000/h, unconstrained',
    );
    expect(throttle.rateOf('mta1', 'gmail')).toBeNull();
  });

  test('a hold is recorded once when it starts, not at every interval it lasts', () => {
    const { throttle, records } = throttleWithRecords();
    for (let index = 0; index <= 1_000; index++)
      send(
        throttle,
        at(index),
        index <= 100
          ? index % 2 === 0
            ? REPLIES.gmailRateLimited
            : REPLIES.accept
          : index % 10 === 0
            ? REPLIES.gmailRateLimited
            : REPLIES.accept,
      );
    expect(throttleRecords(records).map((record) => record.rule)).toEqual([
      'throttle.aimd.decrease',
      'throttle.aimd.hold',
    ]);
  });

  test('repeated decreases stop at the floor (60/h), and the floor holds', () => {
    const { throttle, records } = throttleWithRecords();
    for (let index = 0; index <= 1_500; index++) send(throttle, at(index), REPLIES.gmailRateLimited);
    const afters = throttleRecords(records).map((record) => record.ratePerHourAfter);
    expect(afters).toEqual([606, 303, 152, 76, 60, 60]);
    expect(throttleRecords(records).at(-1)?.rule).toBe('throttle.aimd.hold');
    expect(throttle.rateOf('mta1', 'gmail')).toBe(60);
  });

  test('isolated single 421s do not throttle: one deferral in a hundred, and too few attempts to judge', () => {
    // Arrange: 600 attempts in 30 minutes, every hundredth a 421; and on another provider, 10 attempts all deferred.
    const { throttle, records } = throttleWithRecords();
    // Act
    for (let index = 0; index < 600; index++)
      send(throttle, at(index), index % 100 === 50 ? REPLIES.gmailRateLimited : REPLIES.accept);
    for (let index = 0; index < 10; index++)
      send(throttle, T0 + index * MINUTE_MS, REPLIES.temporary, OUTLOOK, 'x@hotmail.com');
    // Assert
    expect(throttleRecords(records)).toEqual([]);
    expect(throttle.rateOf('mta1', 'gmail')).toBeNull();
    expect(throttle.ratePerHour({ source: 'mta1', site: GMAIL.site, provider: 'gmail' }, at(600))).toBeNull();
  });

  test('greylisting is not a deferral that throttles', () => {
    const { throttle, records } = throttleWithRecords();
    for (let index = 0; index <= 200; index++)
      send(throttle, at(index), smtpReply(451, '4.7.1', 'Greylisted, please try again in 300 seconds'));
    expect(throttleRecords(records)).toEqual([]);
  });

  test('a provider without a shaping block is throttled by family, its rate shared by the active sites', () => {
    // Arrange: two Microsoft 365 tenants (provider null, family microsoft-365), every other attempt deferred.
    const { throttle } = throttleWithRecords();
    const other: Destination = {
      ...M365,
      domain: 'other.example',
      mxHost: 'other-example.mail.protection.outlook.com',
      site: 'other-example.mail.protection.outlook.com',
    };
    // Act
    for (let index = 0; index <= 100; index++)
      send(
        throttle,
        at(index),
        index % 2 === 0
          ? smtpReply(451, '4.7.500', 'Server busy. Please try again later from [127.0.0.2]. (AS761)')
          : REPLIES.accept,
        index % 2 === 0 ? M365 : other,
        'x@corp.example',
      );
    // Assert
    expect(throttle.rateOf('mta1', 'microsoft-365')).toBe(606);
    expect(throttle.ratePerHour({ source: 'mta1', site: M365.site, provider: null }, at(100))).toBe(303);
    expect(throttle.ratePerHour({ source: 'mta1', site: other.site, provider: null }, at(100))).toBe(303);
  });
});

describe('strong signals', () => {
  test('Yahoo [TSS04] suspends the source towards Yahoo for 2 h at once, then the rate restarts at the floor and ramps up', () => {
    // Arrange: a clean hour at Yahoo, then one TSS04.
    const { throttle, records } = throttleWithRecords();
    for (let index = 0; index < 100; index++) send(throttle, at(index), REPLIES.accept, YAHOO, 'y@yahoo.com');
    const signalMs = at(100);
    // Act
    const requests = send(throttle, signalMs, REPLIES.tss04, YAHOO, 'y@yahoo.com');
    // Assert: suspended, and the rate is the floor from now on.
    const untilMs = signalMs + 2 * HOUR_MS;
    expect(requests).toEqual([
      {
        scope: { source: 'mta1', provider: 'yahoo' },
        untilMs,
        reason: `yahoo.tss04 (at once): suspended 2 h until ${new Date(untilMs).toISOString()}, then restart at the floor`,
        rule: 'throttle.signal.yahoo.tss04',
      },
    ]);
    expect(throttleRecords(records)).toMatchObject([
      {
        atMs: signalMs,
        scope: { source: 'mta1', provider: 'yahoo' },
        ratePerHourBefore: null,
        ratePerHourAfter: 60,
        rule: 'throttle.signal.yahoo.tss04',
      },
    ]);
    expect(throttle.ratePerHour({ source: 'mta1', site: YAHOO.site, provider: 'yahoo' }, signalMs)).toBe(60);
    // Act: after the suspension, one clean attempt a minute (the floor's pace) for 45 minutes.
    for (let minute = 1; minute <= 45; minute++)
      send(throttle, untilMs + minute * MINUTE_MS, REPLIES.accept, YAHOO, 'y@yahoo.com');
    // Assert: the first decision needs 20 attempts after the suspension (minute 20); then +240 each 5 minutes.
    expect(
      throttleRecords(records)
        .slice(1)
        .map((record) => [
          (record.atMs - untilMs) / MINUTE_MS,
          record.rule,
          record.ratePerHourBefore,
          record.ratePerHourAfter,
        ]),
    ).toEqual([
      [20, 'throttle.aimd.increase', 60, 300],
      [25, 'throttle.aimd.increase', 300, 540],
      [30, 'throttle.aimd.increase', 540, 780],
      [35, 'throttle.aimd.increase', 780, 1_020],
      [40, 'throttle.aimd.increase', 1_020, 1_260],
      [45, 'throttle.aimd.increase', 1_260, 1_500],
    ]);
    expect(throttleRecords(records)[1]?.reason).toBe(
      'deferral share 0.00 over 20 attempts in 19 min (≤ 0.05) for 19 min: 60/h + 240 → 300/h',
    );
  });

  test('Outlook S3150 suspends 2 h and 4.7.650 30 min, each at once', () => {
    const { throttle } = throttleWithRecords();
    expect(send(throttle, T0, REPLIES.s3150, OUTLOOK, 'o@hotmail.com')).toMatchObject([
      {
        scope: { source: 'mta1', provider: 'outlook' },
        untilMs: T0 + 2 * HOUR_MS,
        rule: 'throttle.signal.outlook.s3150',
      },
    ]);
    const other = throttleWithRecords().throttle;
    expect(
      send(
        other,
        T0,
        smtpReply(
          451,
          '4.7.650',
          'The mail server [127.0.0.2] has been temporarily rate limited due to IP reputation. (S775)',
        ),
        OUTLOOK,
        'o@hotmail.com',
      ),
    ).toMatchObject([
      {
        scope: { source: 'mta1', provider: 'outlook' },
        untilMs: T0 + 30 * MINUTE_MS,
        rule: 'throttle.signal.outlook.4.7.650',
      },
    ]);
  });

  test('Gmail 4.7.28 suspends on the second within an hour, not on the first', () => {
    const { throttle } = throttleWithRecords();
    expect(send(throttle, T0, REPLIES.gmail4728)).toEqual([]);
    expect(send(throttle, T0 + 61 * MINUTE_MS, REPLIES.gmail4728)).toEqual([]);
    expect(send(throttle, T0 + 70 * MINUTE_MS, REPLIES.gmail4728)).toMatchObject([
      {
        scope: { source: 'mta1', provider: 'gmail' },
        untilMs: T0 + 100 * MINUTE_MS,
        rule: 'throttle.signal.gmail.4.7.28',
      },
    ]);
    expect(throttle.rateOf('mta1', 'gmail')).toBe(60);
  });

  test('blocklist refusals, whatever their words, suspend 2 h on the fifth within an hour', () => {
    const { throttle } = throttleWithRecords();
    const spamhaus = smtpReply(
      554,
      '5.7.1',
      'Service unavailable; Client host [127.0.0.2] blocked using zen.spamhaus.org',
    );
    const answers = [0, 1, 2, 3].map((minute) => send(throttle, T0 + minute * MINUTE_MS, spamhaus));
    expect(answers.every((requests) => requests.length === 0)).toBe(true);
    expect(send(throttle, T0 + 4 * MINUTE_MS, spamhaus)).toMatchObject([
      {
        scope: { source: 'mta1', provider: 'gmail' },
        untilMs: T0 + 4 * MINUTE_MS + 2 * HOUR_MS,
        rule: 'throttle.signal.blocklisted',
      },
    ]);
  });

  test('a signal repeated during the suspension (a connection already open) does not extend it', () => {
    const { throttle } = throttleWithRecords();
    expect(send(throttle, T0, REPLIES.tss04, YAHOO)).toHaveLength(1);
    expect(send(throttle, T0 + MINUTE_MS, REPLIES.tss04, YAHOO)).toEqual([]);
    expect(send(throttle, T0 + 2 * HOUR_MS, REPLIES.tss04, YAHOO)).toHaveLength(1);
  });

  test('without a shaping provider the suspension is on the path (source → site), which the engine can match', () => {
    const { throttle } = throttleWithRecords();
    const unshaped: Destination = { ...YAHOO, provider: null };
    expect(send(throttle, T0, REPLIES.tss04, unshaped)).toMatchObject([
      { scope: { source: 'mta1', site: YAHOO.site } },
    ]);
  });
});

describe('options', () => {
  test('every problem is named at once', () => {
    expect(() => new AdaptiveThrottle({ highShare: 0.01, decreaseFactor: 1.5, floorPerHour: 0 })).toThrow(
      'adaptive-throttle options: floorPerHour: must be a positive number (got 0); decreaseFactor: must be in (0, 1) (got 1.5); lowShare: must be below highShare (0.05 ≥ 0.01)',
    );
  });
});
