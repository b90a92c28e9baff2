/**
 * One record of every accounting type with every optional field present. The type is
 * `Required<…>` per record type, so a new type or a new field in accounting.ts does not compile
 * until it has a sample here, and the CSV tests then check it has a column.
 */
import type { AccountingRecord, AccountingRecordType } from '../../../../mta-under-test/accounting.ts';

type Samples = { readonly [K in AccountingRecordType]: Required<Extract<AccountingRecord, { type: K }>> };

const owner = { tenant: 'acme', campaign: 'spring', pool: 'grid', queue: 'spring:acme@example.com' } as const;
const recipient = { atMs: 1_764_547_200_000, messageId: '1.a', recipient: 'bea@example.com', ...owner } as const;
const attempt = {
  ...recipient,
  attempt: 2,
  site: '(alt1|alt2).gmail-smtp-in.l.google.com',
  mxHost: 'alt1.gmail-smtp-in.l.google.com',
  sourceIp: '127.0.0.2',
  source: 'ip-2',
  provider: 'gmail',
  stage: 'rcpt',
  reply: { code: 550, enhanced: '5.7.1', lines: ['Our system has detected, "unusual" rate,', 'of mail\nfrom your IP'] },
  networkError: 'ECONNRESET',
  class: 'reputation-block',
  action: 'backoff',
  rule: 'gmail.5.7.1.rate',
  evidence: ['matched "unusual rate"', 'count, 3'],
} as const;
const scope = { source: 'ip-2', site: 'gmail-site', provider: 'gmail' } as const;

export const SAMPLES: Samples = {
  Reception: { type: 'Reception', ...recipient, mailFrom: 'bounces@news.example', redelivery: true },
  Delivery: { type: 'Delivery', ...attempt, class: 'delivered', action: 'none' },
  TransientFailure: { type: 'TransientFailure', ...attempt, nextAttemptAtMs: 1_764_547_800_000 },
  Bounce: { type: 'Bounce', ...attempt },
  Expiration: { type: 'Expiration', ...recipient, attempts: 7 },
  AdminBounce: {
    type: 'AdminBounce',
    ...recipient,
    reason: 'suppressed',
    class: 'unknown-user',
    rule: 'suppression.hold',
  },
  AsyncBounce: {
    type: 'AsyncBounce',
    ...recipient,
    status: '5.1.1',
    diagnostic: 'smtp; 550 5.1.1 "no such user"',
    reportingMta: 'dns; mx.example.com',
    class: 'unknown-user',
    action: 'suppress',
    rule: 'dsn.5.1.1',
    joinedBy: 'verp',
  },
  Feedback: { type: 'Feedback', ...recipient, feedbackType: 'abuse', reporter: 'fbl@example.com', joinedBy: 'header' },
  Suppression: {
    type: 'Suppression',
    atMs: 1_764_547_200_000,
    recipient: 'bea@example.com',
    change: 'add',
    class: 'unknown-user',
    rule: 'bounce.hard',
    untilMs: 1_767_139_200_000,
    tenant: 'acme',
    evidence: ['two hard bounces'],
  },
  Throttle: {
    type: 'Throttle',
    atMs: 1_764_547_200_000,
    scope,
    ratePerHourBefore: null,
    ratePerHourAfter: 120,
    reason: 'deferrals over 20 %',
    rule: 'adaptive.deferrals',
  },
  Suspend: {
    type: 'Suspend',
    atMs: 1_764_547_200_000,
    scope,
    untilMs: 1_764_550_800_000,
    reason: '421 4.7.0 try again later',
    rule: 'adaptive.421',
  },
  Resume: { type: 'Resume', atMs: 1_764_550_800_000, scope, reason: 'time ran out', rule: 'adaptive.421' },
  Policy: {
    type: 'Policy',
    atMs: 1_764_547_200_000,
    decision: 'warmup.advance',
    subject: 'ip-2',
    detail: 'stage 3 → 4',
    rule: 'warmup.plan',
    tenant: 'acme',
  },
};

/** The samples in `ACCOUNTING_RECORD_TYPES` order. */
export const SAMPLE_LIST: readonly AccountingRecord[] = Object.values(SAMPLES);

/** A simple Delivery record numbered `index`, for volume tests. */
export function numbered(index: number): AccountingRecord {
  return { ...SAMPLES.Delivery, messageId: `m.${index}`, atMs: 1_764_547_200_000 + index };
}
