/**
 * The bogus-bounce detector, rule by rule: what makes a gateway's "user unknown" suspect
 * (velocity, a burst, an address that lived), what corroborates it (a refusal after the
 * cool-down at low velocity; repeated refusals across cool-downs), what passes through
 * (consumer providers, every other class), and the records each decision leaves.
 */
import { describe, expect, test } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../../../../kernel/clock/clock.ts';
import type { AccountingRecord, AsyncBounceRecord } from '../../../../../mta-under-test/accounting.ts';
import { BogusBounceDetector } from '../../../../../mta-under-test/reference/policy/bogus-bounce/index.ts';
import type { BogusBounceOptions } from '../../../../../mta-under-test/reference/policy/bogus-bounce/index.ts';
import type { Judgement } from '../../../../../mta-under-test/reference/core/policy.ts';
import {
  GMAIL,
  M365,
  REPLIES,
  T0,
  attempt,
  deliveryRecord,
  policyRecords,
  smtpReply,
  throttleRecords,
} from '../_support/attempts.ts';
import type { Destination } from '../_support/attempts.ts';

/**
 * The thresholds these tests were written against (velocity 100/h and 30/h, a day's memory of
 * acceptance), given explicitly so each rule is tested at numbers the cases were built around;
 * the defaults are what the b2b-bogus-bounces scenario test holds the engine to.
 */
const TEST_THRESHOLDS: BogusBounceOptions = {
  highVelocityPerHour: 100,
  lowVelocityPerHour: 30,
  acceptingMemoryMs: 24 * 3_600_000,
};

function detectorWithRecords(options: BogusBounceOptions = {}): {
  detector: BogusBounceDetector;
  records: AccountingRecord[];
} {
  const records: AccountingRecord[] = [];
  const detector = new BogusBounceDetector({ ...TEST_THRESHOLDS, ...options });
  detector.attach((record) => records.push(record));
  return { detector, records };
}

function review(
  detector: BogusBounceDetector,
  recipient: string,
  atMs: number,
  reply = REPLIES.dbeb,
  where: Destination = M365,
): Judgement {
  const { verdict, outcome, context } = attempt(recipient, atMs, reply, where);
  return detector.review({ verdict, outcome, context });
}

/** Delivers `count` distinct addresses to the domain, one every `everyMs` from `fromMs`; returns the time after the last. */
function deliverMany(
  detector: BogusBounceDetector,
  count: number,
  fromMs: number,
  everyMs: number,
  where: Destination = M365,
): number {
  for (let index = 0; index < count; index++) {
    const atMs = fromMs + index * everyMs;
    review(detector, `ok${index}@${where.domain}`, atMs, REPLIES.accept, where);
    detector.observe(deliveryRecord(`ok${index}@${where.domain}`, atMs, where));
  }
  return fromMs + count * everyMs;
}

describe('suspect: not suppressed', () => {
  test('a refusal at high velocity (≥ 100 attempts/h to the domain) is a disguised policy block: backoff, cool-down, slow-down', () => {
    // Arrange: 100 deliveries to corp.example in 50 s, then a DBEB refusal (the 101st attempt).
    const { detector, records } = detectorWithRecords();
    const atMs = deliverMany(detector, 100, T0, 500);
    // Act
    const judgement = review(detector, 'bob@corp.example', atMs);
    // Assert
    expect(judgement.suppress).toBeUndefined();
    expect(judgement.verdict).toMatchObject({
      class: 'disguised-policy-block',
      action: 'backoff',
      rule: 'bogus.velocity',
      hard: false,
      family: 'microsoft-365',
    });
    expect(judgement.verdict.evidence).toContain('velocity: 101 attempts/h from mta1 to corp.example (≥ 100/h)');
    expect(judgement.verdict.evidence).toContain('classifier: unknown-user (m365.dbeb)');
    expect(judgement.retryAtMs).toBe(atMs + HOUR_MS);
    expect(judgement.suspend).toEqual([
      {
        scope: { source: 'mta1', site: M365.site },
        untilMs: atMs + HOUR_MS,
        reason: 'disguised unknown-user at corp.example (velocity): cool-down 60 min',
        rule: 'bogus.cool-down',
      },
    ]);
    expect(detector.ratePerHour({ source: 'mta1', site: M365.site }, atMs)).toBe(20);
    expect(policyRecords(records, 'bogus.suspect')).toMatchObject([
      { subject: 'bob@corp.example', rule: 'bogus.velocity', tenant: 'acme' },
    ]);
    expect(throttleRecords(records)).toMatchObject([
      {
        scope: { source: 'mta1', site: M365.site },
        ratePerHourBefore: null,
        ratePerHourAfter: 20,
        rule: 'bogus.slow-down',
      },
    ]);
    expect(detector.statusOf('bob@corp.example', atMs)).toMatchObject({
      status: 'suspect',
      refusals: 1,
      reasons: ['velocity'],
    });
  });

  test('a gateway burst of unknown users at high velocity: none suppressed, every refused address suspect, the early ones too', () => {
    // Arrange: 150 attempts to corp.example, one every 4 s; every third is refused (50 refusals, share 0.33).
    const { detector, records } = detectorWithRecords();
    const judgements: Judgement[] = [];
    const refused: string[] = [];
    // Act
    for (let index = 0; index < 150; index++) {
      const atMs = T0 + index * 4 * SECOND_MS;
      const recipient = `user${index}@corp.example`;
      if (index % 3 === 2) {
        refused.push(recipient);
        judgements.push(review(detector, recipient, atMs));
      } else {
        review(detector, recipient, atMs, REPLIES.accept);
        detector.observe(deliveryRecord(recipient, atMs));
      }
    }
    // Assert: the first four refusals wait for confirmation; the fifth (5 of 15 attempts) makes a burst.
    const endMs = T0 + 149 * 4 * SECOND_MS;
    expect(
      judgements.every((judgement) => judgement.suppress === undefined && judgement.verdict.action !== 'suppress'),
    ).toBe(true);
    expect(judgements.slice(0, 4).map((judgement) => judgement.verdict.rule)).toEqual([
      'bogus.confirm',
      'bogus.confirm',
      'bogus.confirm',
      'bogus.confirm',
    ]);
    expect(judgements[4]?.verdict).toMatchObject({ class: 'disguised-policy-block', rule: 'bogus.burst' });
    expect(judgements[4]?.verdict.evidence).toContain(
      'burst: 5 unknown-user of 15 attempts (0.33) to corp.example in 15 min (≥ 5 and ≥ 0.25)',
    );
    expect(judgements.at(-1)?.verdict.evidence.some((line) => line.startsWith('velocity: 150 attempts/h'))).toBe(true);
    expect(refused.every((recipient) => detector.statusOf(recipient, endMs)?.status === 'suspect')).toBe(true);
    expect(policyRecords(records, 'bogus.suspect')).toHaveLength(50);
  });

  test('refusals spread over many domains of one gateway (a reputation block hits every tenant) are gateway-wide: suspect, and nothing corroborates', () => {
    // Arrange: 20 tenants behind Microsoft 365, one recipient each; 10 delivered, then 10 refused.
    const { detector } = detectorWithRecords();
    const tenant = (index: number): Destination => ({
      domain: `t${index}.example`,
      mxHost: `t${index}-example.mail.protection.outlook.com`,
      site: `t${index}-example.mail.protection.outlook.com`,
      provider: null,
    });
    for (let index = 0; index < 10; index++) {
      review(detector, `ok@t${index}.example`, T0 + index * SECOND_MS, REPLIES.accept, tenant(index));
      detector.observe(deliveryRecord(`ok@t${index}.example`, T0 + index * SECOND_MS, tenant(index)));
    }
    // Act
    const judgements = Array.from({ length: 10 }, (_, index) =>
      review(detector, `x@t${10 + index}.example`, T0 + (10 + index) * SECOND_MS, REPLIES.dbeb, tenant(10 + index)),
    );
    // Assert: the tenth refusal is the tenth of 20 attempts to the gateway (0.50).
    expect(judgements.slice(0, 9).every((judgement) => judgement.verdict.rule === 'bogus.confirm')).toBe(true);
    expect(judgements[9]?.verdict).toMatchObject({ class: 'disguised-policy-block', rule: 'bogus.gateway-wide' });
    expect(judgements[9]?.verdict.evidence).toContain(
      'gateway-wide: 10 unknown-user of 20 attempts (0.50) from mta1 to microsoft-365 in 60 min (≥ 10 and ≥ 0.25)',
    );
    // A retry at low velocity, with no delivery since the block signal, corroborates nothing.
    const retry = review(detector, 'x@t10.example', T0 + 2 * HOUR_MS, REPLIES.dbeb, tenant(10));
    expect(retry.suppress).toBeUndefined();
    expect(
      retry.verdict.evidence.some((line) =>
        line.startsWith('gateway not accepting: last delivery from mta1 to microsoft-365'),
      ),
    ).toBe(true);
  });

  test('an address delivered before and now refused is suspect, without slowing the path (one address says nothing about velocity)', () => {
    // Arrange
    const { detector, records } = detectorWithRecords();
    detector.observe(deliveryRecord('alice@corp.example', T0 - DAY_MS));
    // Act
    const judgement = review(detector, 'alice@corp.example', T0);
    // Assert
    expect(judgement).toMatchObject({
      retryAtMs: T0 + HOUR_MS,
      verdict: { class: 'disguised-policy-block', action: 'backoff', rule: 'bogus.delivered' },
    });
    expect(judgement.suppress).toBeUndefined();
    expect(judgement.suspend).toBeUndefined();
    expect(judgement.verdict.evidence).toContain(`delivered before: ${new Date(T0 - DAY_MS).toISOString()}`);
    expect(detector.ratePerHour({ source: 'mta1', site: M365.site }, T0)).toBeNull();
    expect(policyRecords(records, 'bogus.suspect')).toMatchObject([
      { subject: 'alice@corp.example', rule: 'bogus.delivered' },
    ]);
  });

  test('a complaint (ARF Feedback) proves an address alive like a delivery', () => {
    const { detector } = detectorWithRecords();
    detector.observe({
      type: 'Feedback',
      atMs: T0 - HOUR_MS,
      messageId: 'm1',
      recipient: 'carol@corp.example',
      feedbackType: 'abuse',
      joinedBy: 'verp',
    });
    expect(review(detector, 'carol@corp.example', T0).verdict.rule).toBe('bogus.complained');
  });

  test('a text that is itself a disguise (Cisco directory-harvest prevention) is suspect on the first refusal, whoever read it as unknown-user', () => {
    // Arrange: our classifier reads the DHAP text as reputation-block already; a classifier that
    // reads it as a dead address (the naive `code >= 500` one) must still not suppress.
    const { detector } = detectorWithRecords();
    const cisco: Destination = {
      domain: 'bank.example',
      mxHost: 'mx1.bank.iphmx.com',
      site: 'mx1.bank.iphmx.com',
      provider: null,
    };
    const basic = attempt(
      'dave@bank.example',
      T0,
      smtpReply(550, '5.1.1', 'User unknown; too many invalid recipients this hour'),
      cisco,
    );
    expect(basic.verdict.class).toBe('reputation-block');
    const naive = {
      ...basic.verdict,
      class: 'unknown-user' as const,
      action: 'suppress' as const,
      rule: 'naive.5xx',
      hard: true,
    };
    // Act
    const judgement = detector.review({ verdict: naive, outcome: basic.outcome, context: basic.context });
    // Assert
    expect(judgement.verdict).toMatchObject({
      class: 'disguised-policy-block',
      rule: 'bogus.fingerprint',
      family: 'cisco',
    });
    expect(judgement.verdict.evidence).toContain('fingerprint: cisco.dhap (a known disguise)');
    expect(judgement.suspend).toHaveLength(1);
  });
});

describe('corroboration: suppressed with an expiry', () => {
  test('a suspect refused again after the cool-down at low velocity is suppressed as unknown-user for 90 days', () => {
    // Arrange: bob suspect at high velocity.
    const { detector, records } = detectorWithRecords();
    const firstMs = deliverMany(detector, 100, T0, 500);
    review(detector, 'bob@corp.example', firstMs);
    // Act: the retry, 2 h later, a minute after one delivery to the same domain (velocity 2).
    const retryMs = firstMs + 2 * HOUR_MS;
    deliverMany(detector, 1, retryMs - MINUTE_MS, 0);
    const judgement = review(detector, 'bob@corp.example', retryMs);
    // Assert
    expect(judgement.verdict).toMatchObject({
      class: 'unknown-user',
      action: 'suppress',
      rule: 'bogus.corroborated.low-velocity',
      hard: true,
    });
    expect(judgement.suppress).toEqual({
      untilMs: retryMs + 90 * DAY_MS,
      evidence: ['refused again after the cool-down at 2 attempts/h (≤ 30/h) while the gateway accepts others'],
    });
    expect(judgement.verdict.evidence).toContain(
      `gateway accepting: last delivery from mta1 to microsoft-365 at ${new Date(retryMs - MINUTE_MS).toISOString()}`,
    );
    expect(policyRecords(records, 'bogus.corroborated')).toMatchObject([
      { subject: 'bob@corp.example', rule: 'bogus.corroborated.low-velocity' },
    ]);
    expect(detector.statusOf('bob@corp.example', retryMs)).toBeUndefined();
  });

  test('refused again after the cool-down but still at high velocity: suspect again, with a doubled cool-down', () => {
    const { detector } = detectorWithRecords();
    const firstMs = deliverMany(detector, 100, T0, 500);
    review(detector, 'bob@corp.example', firstMs);
    // 100 more deliveries in the hour before the retry.
    const retryMs = deliverMany(detector, 100, firstMs + HOUR_MS + MINUTE_MS, 500);
    const judgement = review(detector, 'bob@corp.example', retryMs);
    expect(judgement.verdict).toMatchObject({ class: 'disguised-policy-block', rule: 'bogus.velocity' });
    expect(judgement.retryAtMs).toBe(retryMs + 2 * HOUR_MS);
    expect(detector.statusOf('bob@corp.example', retryMs)).toMatchObject({ refusals: 2, coolDownsPassed: 1 });
  });

  test('retries of refused addresses do not make a burst: suspects retried together at low velocity, while the gateway accepts others, are corroborated', () => {
    // Arrange: five refusals in a row at T0 make a burst; all five are suspects.
    const { detector } = detectorWithRecords();
    const addresses = ['a', 'b', 'c', 'd', 'e'].map((name) => `${name}@corp.example`);
    addresses.forEach((address, index) => review(detector, address, T0 + index * SECOND_MS));
    // Act: all five retried 2 h later, one a second, at low velocity, after one delivery.
    deliverMany(detector, 1, T0 + 2 * HOUR_MS - MINUTE_MS, 0);
    const retries = addresses.map((address, index) => review(detector, address, T0 + 2 * HOUR_MS + index * SECOND_MS));
    // Assert: once a campaign's live addresses are delivered, the retries left are the refused
    // ones; their refusals together are not a block (the gateway delivered others meanwhile).
    expect(retries.map((judgement) => judgement.verdict.rule)).toEqual(
      Array.from({ length: 5 }, () => 'bogus.corroborated.low-velocity'),
    );
    expect(retries.every((judgement) => judgement.suppress?.untilMs !== undefined)).toBe(true);
  });

  test('a refusal at low velocity while the gateway accepts nobody from the source is not corroborated: it may be blocking the sender', () => {
    const { detector } = detectorWithRecords();
    review(detector, 'nobody@corp.example', T0);
    const second = review(detector, 'nobody@corp.example', T0 + 2 * HOUR_MS);
    expect(second.suppress).toBeUndefined();
    expect(second.verdict).toMatchObject({ class: 'disguised-policy-block', rule: 'bogus.repeat' });
    expect(second.verdict.evidence).toContain('gateway not accepting: no delivery from mta1 to microsoft-365 yet');
  });

  test('an address that lived needs 3 refusals across 2 cool-downs, the last while the gateway accepts others', () => {
    // Arrange
    const { detector } = detectorWithRecords();
    detector.observe(deliveryRecord('alice@corp.example', T0 - DAY_MS));
    // Act: refusals at T0, T0 + 2 h (cool-down 1 h passed), T0 + 5 h (cool-down 2 h passed; a delivery to the domain a minute before).
    const first = review(detector, 'alice@corp.example', T0);
    const second = review(detector, 'alice@corp.example', T0 + 2 * HOUR_MS);
    deliverMany(detector, 1, T0 + 5 * HOUR_MS - MINUTE_MS, 0);
    const third = review(detector, 'alice@corp.example', T0 + 5 * HOUR_MS);
    // Assert
    expect([first.verdict.rule, second.verdict.rule, third.verdict.rule]).toEqual([
      'bogus.delivered',
      'bogus.delivered',
      'bogus.corroborated.repeated',
    ]);
    expect(second.retryAtMs).toBe(T0 + 4 * HOUR_MS);
    expect(third.suppress?.untilMs).toBe(T0 + 5 * HOUR_MS + 90 * DAY_MS);
    expect(third.verdict.evidence).toContain('3 refusals across 2 cool-downs (≥ 3 across ≥ 2)');
  });

  test('a refusal before the cool-down ends (another message in flight) keeps the same retry time and counts no cool-down', () => {
    const { detector } = detectorWithRecords();
    detector.observe(deliveryRecord('alice@corp.example', T0 - DAY_MS));
    review(detector, 'alice@corp.example', T0);
    const early = review(detector, 'alice@corp.example', T0 + 10 * MINUTE_MS);
    expect(early).toMatchObject({
      retryAtMs: T0 + HOUR_MS,
      verdict: { class: 'disguised-policy-block', rule: 'bogus.delivered' },
    });
    expect(detector.statusOf('alice@corp.example', T0 + 10 * MINUTE_MS)).toMatchObject({
      refusals: 2,
      coolDownsPassed: 0,
    });
  });

  test('an address waiting for confirmation, refused again at high velocity before its retry, becomes a suspect with a new cool-down', () => {
    const { detector } = detectorWithRecords();
    review(detector, 'eve@corp.example', T0);
    const atMs = deliverMany(detector, 100, T0 + MINUTE_MS, 500);
    const judgement = review(detector, 'eve@corp.example', atMs);
    expect(judgement).toMatchObject({
      retryAtMs: atMs + HOUR_MS,
      verdict: { class: 'disguised-policy-block', rule: 'bogus.velocity' },
    });
    expect(detector.statusOf('eve@corp.example', atMs)).toMatchObject({
      status: 'suspect',
      refusals: 2,
      coolDownsPassed: 0,
    });
  });

  test('a lone gateway refusal (no burst, no velocity, no history) is confirmed once, then suppressed', () => {
    const { detector } = detectorWithRecords();
    const first = review(detector, 'nobody@corp.example', T0);
    expect(first).toMatchObject({
      retryAtMs: T0 + HOUR_MS,
      verdict: { class: 'unknown-user', action: 'retry', rule: 'bogus.confirm', hard: false },
    });
    expect(first.suppress).toBeUndefined();
    deliverMany(detector, 1, T0 + HOUR_MS - MINUTE_MS, 0);
    const second = review(detector, 'nobody@corp.example', T0 + HOUR_MS);
    expect(second).toMatchObject({
      suppress: { untilMs: T0 + HOUR_MS + 90 * DAY_MS },
      verdict: { class: 'unknown-user', action: 'suppress', rule: 'bogus.corroborated.low-velocity' },
    });
  });

  test('confirmLoneRefusals: false suppresses a lone gateway refusal at once, with the expiry', () => {
    const { detector } = detectorWithRecords({ confirmLoneRefusals: false });
    const judgement = review(detector, 'nobody@corp.example', T0);
    expect(judgement).toMatchObject({
      suppress: { untilMs: T0 + 90 * DAY_MS },
      verdict: { action: 'suppress', rule: 'm365.dbeb' },
    });
  });

  test('a gateway named only by its reply text (a vanity MX in front of Exchange Online) is still a gateway', () => {
    const { detector } = detectorWithRecords();
    const vanity: Destination = {
      domain: 'corp.example',
      mxHost: 'mail.corp.example',
      site: 'mail.corp.example',
      provider: null,
    };
    const judgement = review(detector, 'nobody@corp.example', T0, REPLIES.dbeb, vanity);
    expect(judgement.verdict).toMatchObject({ rule: 'bogus.confirm', family: 'microsoft-365' });
    expect(judgement.verdict.evidence).toContain('fingerprint: m365.dbeb');
  });
});

describe('pass-through', () => {
  test("a consumer provider's unknown user is suppressed at once, as the classifier says, even at high velocity and after a delivery", () => {
    // Arrange
    const { detector, records } = detectorWithRecords();
    const atMs = deliverMany(detector, 150, T0, 100, GMAIL);
    detector.observe(deliveryRecord('ghost@gmail.com', T0 - DAY_MS, GMAIL));
    const basic = attempt('ghost@gmail.com', atMs, REPLIES.gmailUnknown, GMAIL);
    // Act
    const judgement = detector.review({ verdict: basic.verdict, outcome: basic.outcome, context: basic.context });
    // Assert
    expect(judgement.verdict).toEqual(basic.verdict);
    expect(judgement.suppress).toEqual({ untilMs: atMs + 90 * DAY_MS });
    expect(policyRecords(records)).toEqual([]);
  });

  test('non-address verdicts at a gateway pass through unchanged', () => {
    const { detector } = detectorWithRecords();
    for (const reply of [
      REPLIES.accept,
      REPLIES.temporary,
      smtpReply(550, '5.4.1', 'All recipient addresses rejected: Access denied'),
    ]) {
      const basic = attempt('x@corp.example', T0, reply);
      expect(detector.review({ verdict: basic.verdict, outcome: basic.outcome, context: basic.context })).toEqual(
        basic.basic,
      );
    }
  });

  test('a temporary "user unknown" at a gateway stays a retry: nothing to protect', () => {
    const { detector } = detectorWithRecords();
    const basic = attempt(
      'x@corp.example',
      T0,
      smtpReply(450, '4.1.1', 'Recipient address rejected: User unknown in relay recipient table'),
    );
    expect(basic.verdict.action).toBe('retry');
    expect(detector.review({ verdict: basic.verdict, outcome: basic.outcome, context: basic.context })).toEqual({
      verdict: basic.verdict,
    });
  });

  test('suppressionTtlMs: null passes suppressions on without expiry', () => {
    const { detector } = detectorWithRecords({ suppressionTtlMs: null });
    expect(review(detector, 'ghost@gmail.com', T0, REPLIES.gmailUnknown, GMAIL).suppress).toEqual({});
  });
});

describe('clearing and slowing down', () => {
  test('a suspect later delivered is cleared, with a bogus.cleared record', () => {
    // Arrange
    const { detector, records } = detectorWithRecords();
    detector.observe(deliveryRecord('alice@corp.example', T0 - DAY_MS));
    review(detector, 'alice@corp.example', T0);
    // Act
    detector.observe(deliveryRecord('alice@corp.example', T0 + HOUR_MS));
    // Assert
    expect(detector.statusOf('alice@corp.example', T0 + HOUR_MS)).toBeUndefined();
    expect(policyRecords(records, 'bogus.cleared')).toEqual([
      {
        type: 'Policy',
        atMs: T0 + HOUR_MS,
        decision: 'bogus.cleared',
        subject: 'alice@corp.example',
        detail: `delivered after 1 refusal (suspect since ${new Date(T0).toISOString()}; delivered)`,
        rule: 'bogus.cleared',
        tenant: 'acme',
      },
    ]);
  });

  test('the slow-down holds 20/h through the cool-down, ramps +20/h an hour, lifts 6 h after the last disguised refusal', () => {
    // Arrange
    const { detector, records } = detectorWithRecords();
    const atMs = deliverMany(detector, 100, T0, 500);
    review(detector, 'bob@corp.example', atMs);
    const path = { source: 'mta1', site: M365.site };
    // Act
    const rates = [0, 1, 2, 3, 4, 5, 6].map((hours) =>
      detector.ratePerHour(path, atMs + hours * HOUR_MS + HOUR_MS / 2),
    );
    // Assert
    expect(rates).toEqual([20, 20, 40, 60, 80, 100, null]);
    expect(
      throttleRecords(records).map((record) => [
        record.rule,
        (record.atMs - atMs) / HOUR_MS,
        record.ratePerHourBefore,
        record.ratePerHourAfter,
      ]),
    ).toEqual([
      ['bogus.slow-down', 0, null, 20],
      ['bogus.slow-down.increase', 2, 20, 40],
      ['bogus.slow-down.increase', 3, 40, 60],
      ['bogus.slow-down.increase', 4, 60, 80],
      ['bogus.slow-down.increase', 5, 80, 100],
      ['bogus.slow-down.expired', 6, 100, null],
    ]);
  });

  test('a disguised refusal during the ramp puts the cap back at its start, on record', () => {
    const { detector, records } = detectorWithRecords();
    const atMs = deliverMany(detector, 100, T0, 500);
    review(detector, 'bob@corp.example', atMs);
    const againMs = deliverMany(detector, 100, atMs + 3 * HOUR_MS, 500);
    review(detector, 'carl@corp.example', againMs);
    expect(detector.ratePerHour({ source: 'mta1', site: M365.site }, againMs)).toBe(20);
    expect(
      throttleRecords(records).map((record) => [record.rule, record.ratePerHourBefore, record.ratePerHourAfter]),
    ).toEqual([
      ['bogus.slow-down', null, 20],
      ['bogus.slow-down.increase', 20, 40],
      ['bogus.slow-down.increase', 40, 60],
      ['bogus.slow-down', 60, 20],
    ]);
  });

  test('gatewayPathRatePerHour caps every path to a gateway-hosted site once the detector has seen it, and only those', () => {
    const { detector } = detectorWithRecords({ gatewayPathRatePerHour: 50 });
    const path = { source: 'mta1', site: M365.site };
    expect(detector.ratePerHour(path, T0)).toBeNull();
    review(detector, 'a@corp.example', T0, REPLIES.accept);
    review(detector, 'g@gmail.com', T0, REPLIES.accept, GMAIL);
    expect(detector.ratePerHour(path, T0)).toBe(50);
    expect(detector.ratePerHour({ source: 'mta1', site: GMAIL.site }, T0)).toBeNull();
    expect(detector.ratePerHour({ source: 'mta2', site: M365.site }, T0)).toBeNull();
  });

  test("velocity and bursts count per source: another source's traffic does not make a refusal suspect", () => {
    const { detector } = detectorWithRecords();
    const atMs = deliverMany(detector, 150, T0, 100, { ...M365, source: 'mta2' });
    expect(review(detector, 'bob@corp.example', atMs).verdict.rule).toBe('bogus.confirm');
  });
});

describe('options', () => {
  test('every problem is named at once, unknown keys included', () => {
    expect(
      () =>
        new BogusBounceDetector({
          burstCount: 0,
          lowVelocityPerHour: 200,
          coolDownGrowth: 0.5,
          burstShareMin: 2,
          ...({ velocity: 3 } as object),
        }),
    ).toThrow(
      'bogus-bounce options: velocity: unknown option; burstCount: must be a positive number (got 0); burstShareMin: must be in [0, 1] (got 2); coolDownGrowth: must be ≥ 1 (got 0.5); lowVelocityPerHour: must be below highVelocityPerHour (200 ≥ 50)',
    );
  });
});

describe('later bounces (DSNs)', () => {
  const asyncBounce = (recipient: string, diagnostic: string): AsyncBounceRecord => ({
    type: 'AsyncBounce',
    atMs: T0 + HOUR_MS,
    messageId: `m-${recipient}`,
    recipient,
    status: '5.1.10',
    diagnostic,
    class: 'unknown-user',
    action: 'suppress',
    rule: 'dsn.exchange.recipient-not-found',
    joinedBy: 'header',
  });

  test('a DSN from behind a gateway does not suppress on its own; a DSN from anywhere else does, with the expiry', () => {
    // Arrange: the gateway domain was delivered to before (so the detector knows its gateway).
    const { detector, records } = detectorWithRecords();
    review(detector, 'colleague@corp.example', T0, REPLIES.accept);
    // Act
    const atGateway = detector.reviewAsyncBounce(
      asyncBounce(
        'someone@corp.example',
        'smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      ),
    );
    const elsewhere = detector.reviewAsyncBounce({
      ...asyncBounce(
        'someone@small-isp.example',
        'smtp; 550 5.1.1 <someone@small-isp.example>: Recipient address rejected: User unknown in local recipient table',
      ),
      rule: 'dsn.generic.enhanced.5.1.1',
    });
    // Assert
    expect(atGateway).toEqual({ suppress: false });
    expect(policyRecords(records).map((record) => record.decision)).toEqual(['bogus.async-suspect']);
    expect(elsewhere).toEqual({ suppress: true, untilMs: T0 + HOUR_MS + 90 * DAY_MS });
  });

  test('an on-premise Exchange, with no tell-tale MX name, is known from the DSN’s own words', () => {
    const { detector } = detectorWithRecords();
    expect(
      detector.reviewAsyncBounce(
        asyncBounce(
          'someone@onprem.example',
          'smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        ),
      ),
    ).toEqual({ suppress: false });
  });
});
