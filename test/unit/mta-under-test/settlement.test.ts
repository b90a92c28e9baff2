/**
 * Settlement as a pure function: one recipient's answer and the policy's judgement of it give
 * the steps the engine carries out, in order, and when to try again. The engine tests drive
 * whole schedules through it; these pin each branch with real replies read by the classifier.
 */
import { describe, expect, test } from 'vitest';
import { DAY_MS, DEFAULT_EPOCH_MS, MINUTE_MS } from '../../../kernel/clock/clock.ts';
import { reply } from '../../../kernel/smtp/reply.ts';
import type { RecipientOutcome } from '../../../kernel/transport/transport.ts';
import type { Delivery } from '../../../mta-under-test/reference/core/delivery.ts';
import { basicJudgement } from '../../../mta-under-test/reference/core/policy.ts';
import type { Judgement } from '../../../mta-under-test/reference/core/policy.ts';
import { DEFAULT_RETRY_POLICY } from '../../../mta-under-test/reference/core/retry-schedule.ts';
import { settleRecipient } from '../../../mta-under-test/reference/core/settlement.ts';
import type { AttemptPlace } from '../../../mta-under-test/reference/core/settlement.ts';

const NOW = DEFAULT_EPOCH_MS + DAY_MS;
const RECIPIENT = 'alice@gmail.com';

function place(expiresInMs = 4 * DAY_MS): AttemptPlace {
  const delivery: Delivery = {
    messageId: 'm1',
    mailFrom: 'bounces@news.example',
    data: 'From: <news@news.example>\r\n\r\nhello\r\n',
    receivedAtMs: DEFAULT_EPOCH_MS,
    expiresAtMs: NOW + expiresInMs,
    domain: 'gmail.com',
    queue: 'default:acme@gmail.com',
    owner: { tenant: 'acme' },
    recipients: [RECIPIENT],
    attemptsMade: 0,
  };
  return {
    nowMs: NOW,
    delivery,
    attempt: 1,
    site: 'gmail-smtp-in.l.google.com',
    mxHost: 'gmail-smtp-in.l.google.com',
    sourceIp: '127.0.0.2',
    source: 'ip1',
    provider: 'gmail',
  };
}

function answered(code: number, enhanced: Parameters<typeof reply>[1], text: string): RecipientOutcome {
  return { kind: 'reply', recipient: RECIPIENT, stage: 'rcpt', reply: reply(code, enhanced, text) };
}

function settle(outcome: RecipientOutcome, at = place(), judgement?: Judgement) {
  const judged =
    judgement ??
    basicJudgement(outcome, {
      atMs: at.nowMs,
      messageId: 'm1',
      recipient: RECIPIENT,
      domain: 'gmail.com',
      site: at.site,
      mxHost: at.mxHost,
      provider: 'gmail',
      source: { name: 'ip1', sourceIp: '127.0.0.2', heloName: 'mta1.example' },
      owner: {},
      attempt: 1,
    });
  return settleRecipient(outcome, judged, at, { policy: DEFAULT_RETRY_POLICY, jitter: () => 1 });
}

describe('settleRecipient', () => {
  test('a 250 is a Delivery, lifts any suppression of the address and ends the run of holds', () => {
    const settled = settle(answered(250, '2.0.0', 'OK'));
    expect(settled.delivered).toBe(true);
    expect(settled.steps.map((step) => step.kind)).toEqual(['final', 'lift-suppression']);
    expect(settled.steps[0]).toMatchObject({
      record: { type: 'Delivery', recipient: RECIPIENT, attempt: 1, provider: 'gmail', tenant: 'acme' },
    });
    expect(settled.retryAtMs).toBeUndefined();
  });

  test('a 550 5.1.1 is a Bounce, a DSN notice and a suppression, in that order', () => {
    const settled = settle(answered(550, '5.1.1', 'The email account that you tried to reach does not exist.'));
    expect(settled.steps.map((step) => step.kind)).toEqual(['final', 'notify', 'suppress']);
    expect(settled.steps[0]).toMatchObject({ record: { type: 'Bounce', class: 'unknown-user' } });
    expect(settled.steps[1]).toMatchObject({
      notice: 'failed',
      answer: { attempts: 1, mxHost: 'gmail-smtp-in.l.google.com' },
    });
    expect(settled.steps[2]).toMatchObject({
      entry: { recipient: RECIPIENT, class: 'unknown-user', sinceMs: NOW, tenant: 'acme' },
    });
  });

  test('a 4xx within the lifetime is a TransientFailure and a delay notice, retried on the class schedule', () => {
    const settled = settle(answered(451, '4.3.0', 'Temporary server error, please try again later'));
    expect(settled.steps.map((step) => step.kind)).toEqual(['record', 'notify']);
    expect(settled.retryAtMs).toBeGreaterThan(NOW);
    expect(settled.steps[0]).toMatchObject({
      record: { type: 'TransientFailure', nextAttemptAtMs: settled.retryAtMs },
    });
    expect(settled.steps[1]).toMatchObject({ notice: 'delayed' });
  });

  test('a 4xx whose next attempt would fall after the lifetime is the last: an Expiration follows the TransientFailure', () => {
    const settled = settle(answered(451, '4.3.0', 'Temporary server error, please try again later'), place(MINUTE_MS));
    expect(settled.steps.map((step) => step.kind)).toEqual(['record', 'final', 'notify']);
    expect(settled.steps[1]).toMatchObject({ record: { type: 'Expiration', attempts: 1 } });
    expect(settled.steps[2]).toMatchObject({ notice: 'expired' });
    expect(settled.retryAtMs).toBeUndefined();
  });

  test("the policy's suspensions come first, its retry time wins over the schedule, and a backoff verdict asks for a hold", () => {
    const outcome = answered(421, '4.7.28', 'Our system has detected an unusual rate of unsolicited mail');
    const base = settle(outcome);
    const verdict = { class: 'rate-limited', action: 'backoff', hard: false, rule: 'test', evidence: [] } as const;
    const request = {
      scope: { source: 'ip1', provider: 'gmail' },
      untilMs: NOW + DAY_MS,
      reason: 'test',
      rule: 'test',
    };
    const settled = settle(outcome, place(), { verdict, suspend: [request], retryAtMs: NOW + 2 * MINUTE_MS });
    expect(base.steps.map((step) => step.kind)).not.toContain('suspend');
    expect(settled.steps[0]).toEqual({ kind: 'suspend', request });
    expect(settled.retryAtMs).toBe(NOW + 2 * MINUTE_MS);
    expect(settled.hold).toEqual({ verdict, action: 'backoff' });
  });
});
