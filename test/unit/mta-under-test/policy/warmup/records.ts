/**
 * Accounting records and source requests for the warm-up and grid tests: just the fields the
 * policies read, with the rest filled in plausibly.
 */
import type { AccountingRecord, DeliveryRecord, FeedbackRecord } from '../../../../../mta-under-test/accounting.ts';
import type { EgressSource } from '../../../../../mta-under-test/reference/core/egress.ts';
import type { SourceRequest } from '../../../../../mta-under-test/reference/core/policy.ts';
import type { EpochMs } from '../../../../../kernel/clock/clock.ts';
import type { Class } from '../../../../../kernel/taxonomy.ts';

export function source(name: string, lastOctet: number): EgressSource {
  return { name, sourceIp: `127.0.0.${lastOctet}`, heloName: `${name}.mailbench.test` };
}

export interface AttemptFields {
  readonly atMs: EpochMs;
  readonly source?: string;
  readonly provider?: string;
  readonly tenant?: string;
  readonly messageId?: string;
  readonly recipient?: string;
}

let serial = 0;

function base(fields: AttemptFields, cls: Class): Omit<DeliveryRecord, 'type'> {
  serial++;
  return {
    atMs: fields.atMs,
    messageId: fields.messageId ?? `m${serial}`,
    recipient: fields.recipient ?? `user${serial}@example.test`,
    attempt: 1,
    site: 'example.test',
    mxHost: 'mx1.example.test',
    sourceIp: '127.0.0.2',
    ...(fields.source === undefined ? {} : { source: fields.source }),
    ...(fields.provider === undefined ? {} : { provider: fields.provider }),
    ...(fields.tenant === undefined ? {} : { tenant: fields.tenant }),
    class: cls,
    action: cls === 'delivered' ? 'none' : 'backoff',
    rule: `test.${cls}`,
  };
}

export function delivery(fields: AttemptFields): DeliveryRecord {
  return { type: 'Delivery', ...base(fields, 'delivered') };
}

export function deferral(fields: AttemptFields, cls: Class = 'rate-limited'): AccountingRecord {
  return { type: 'TransientFailure', ...base(fields, cls), nextAttemptAtMs: fields.atMs + 300_000 };
}

export function bounce(fields: AttemptFields, cls: Class = 'unknown-user'): AccountingRecord {
  return { type: 'Bounce', ...base(fields, cls) };
}

export function complaint(of: DeliveryRecord, atMs: EpochMs): FeedbackRecord {
  return {
    type: 'Feedback',
    atMs,
    messageId: of.messageId,
    recipient: of.recipient,
    feedbackType: 'abuse',
    joinedBy: 'verp',
    ...(of.tenant === undefined ? {} : { tenant: of.tenant }),
  };
}

export function expiration(fields: AttemptFields): AccountingRecord {
  serial++;
  return {
    type: 'Expiration',
    atMs: fields.atMs,
    messageId: `m${serial}`,
    recipient: `user${serial}@example.test`,
    attempts: 3,
    ...(fields.tenant === undefined ? {} : { tenant: fields.tenant }),
  };
}

export function request(fields: {
  readonly atMs: EpochMs;
  readonly pool: string;
  readonly candidates: readonly EgressSource[];
  readonly provider?: string | null;
  readonly tenant?: string;
  readonly recipients?: number;
}): SourceRequest {
  return {
    atMs: fields.atMs,
    pool: fields.pool,
    candidates: fields.candidates,
    domain: 'example.test',
    provider: fields.provider ?? null,
    owner: fields.tenant === undefined ? {} : { tenant: fields.tenant },
    recipients: fields.recipients ?? 1,
  };
}
