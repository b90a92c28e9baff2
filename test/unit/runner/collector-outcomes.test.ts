/**
 * Pairing for a sender that reports final outcomes only (the smtp-relay adapter): a relay that
 * retried through two deferrals and then delivered reports one delivery, which must pair with
 * the receiver's last answer, not its first, while a sender that reports every attempt still
 * leaves the answers it did not report unpaired.
 */
import { expect, test } from 'vitest';
import type { AccountingRecord } from '../../../mta-under-test/accounting.ts';
import { RunCollector } from '../../../runner/collector.ts';
import type { SenderVisibility } from '../../../runner/collector.ts';
import { DEFAULT_EPOCH_MS } from '../../../kernel/clock/clock.ts';
import { parseReply } from '../../../kernel/smtp/reply.ts';
import type { TruthRecord } from '../../../sim/truth/truth-record.ts';
import type { Cause } from '../../../kernel/taxonomy.ts';

const RECIPIENT = 'ann@orange.fr';

function truth(cause: Cause, code: number, text: string): TruthRecord {
  return {
    atMs: DEFAULT_EPOCH_MS,
    receiver: 'orange',
    peerIp: '127.0.0.21',
    mailFrom: 'news@shop.test',
    recipient: RECIPIENT,
    stage: 'rcpt',
    cause,
    reply: parseReply(code, text),
    rule: 'test',
  };
}

const delivery: AccountingRecord = {
  type: 'Delivery',
  atMs: DEFAULT_EPOCH_MS,
  messageId: 'm1',
  recipient: RECIPIENT,
  attempt: 1,
  site: 'mx.orange.fr',
  mxHost: 'mx.orange.fr',
  sourceIp: 'unknown',
  reply: parseReply(250, '2.0.0 ok'),
  class: 'delivered',
  action: 'none',
  rule: 'relay.dsn.2.x.x',
};

function collect(sees: SenderVisibility): ReturnType<RunCollector['figures']> {
  const collector = new RunCollector(
    () => 'orange',
    () => undefined,
    sees,
  );
  collector.onTruth(truth('rate-limited', 421, '4.7.0 too many messages'));
  collector.onTruth(truth('rate-limited', 421, '4.7.0 too many messages'));
  collector.onTruth(truth('delivered-inbox', 250, '2.0.0 ok'));
  collector.onAccounting(delivery);
  return collector.figures(1_000);
}

test('an outcomes-only sender: the delivery pairs with the last answer, the deferrals are unreported', () => {
  const figures = collect('outcomes');
  expect(figures.confusion['delivered-inbox']).toEqual({ delivered: 1 });
  expect(figures.confusion['rate-limited']).toEqual({});
  expect(figures.attempts).toEqual({ total: 1, truthWithoutAttempt: 0, attemptsWithoutTruth: 0, unreportedAnswers: 2 });
});

test('a sender that reports every attempt: the same stream pairs first with first', () => {
  const figures = collect('attempts');
  expect(figures.confusion['rate-limited']).toEqual({ delivered: 1 });
  expect(figures.attempts).toEqual({ total: 1, truthWithoutAttempt: 2, attemptsWithoutTruth: 0 });
});
