/**
 * Settlement: what one recipient's answer does, as a pure function of the answer, the policy's
 * judgement of it and the attempt's context. It returns the steps in the order the engine must
 * carry them out (records, suppressions, suspensions, DSN notices) and when to try again; it
 * changes nothing itself. The engine settles a transaction recipient by recipient, carrying out
 * each one's steps before it asks the policy about the next: a policy learns from the records
 * it observes (bogus-bounce detection, adaptive throttling), so it must see them in order.
 */
import type { BounceRecord, DeliveryRecord, ExpirationRecord, TransientFailureRecord } from '../../accounting.ts';
import { isPositive } from '../../../kernel/index.ts';
import type { EpochMs, RecipientOutcome, SmtpReply } from '../../../kernel/index.ts';
import type { Verdict } from './classify.ts';
import type { Delivery } from './delivery.ts';
import type { Judgement, SuspensionRequest } from './policy.ts';
import { classRetryDelayMs } from './retry-schedule.ts';
import type { RetryPolicy } from './retry-schedule.ts';
import type { SuppressionEntry } from './suppression.ts';

/** What a DSN to the envelope sender would quote of the attempt. */
export interface AttemptAnswer {
  readonly reply?: SmtpReply;
  readonly networkError?: string;
  readonly mxHost?: string;
  readonly attempts?: number;
}

export type SettlementStep =
  | { readonly kind: 'suspend'; readonly request: SuspensionRequest }
  | { readonly kind: 'final'; readonly record: DeliveryRecord | BounceRecord | ExpirationRecord }
  | { readonly kind: 'record'; readonly record: TransientFailureRecord }
  | { readonly kind: 'lift-suppression'; readonly recipient: string }
  | { readonly kind: 'suppress'; readonly entry: SuppressionEntry & { readonly evidence?: readonly string[] } }
  | {
      readonly kind: 'notify';
      readonly notice: 'failed' | 'expired' | 'delayed';
      readonly recipient: string;
      readonly answer: AttemptAnswer;
    };

export interface RecipientSettlement {
  readonly steps: readonly SettlementStep[];
  /** The recipient was delivered: the path's run of back-off holds ends. */
  readonly delivered: boolean;
  /** Try again at this time (grouped with the transaction's other retries at the same time). */
  readonly retryAtMs?: EpochMs;
  /** The verdict asks the path to back off or stop. */
  readonly hold?: { readonly verdict: Verdict; readonly action: 'backoff' | 'stop' };
}

/** Where and when the attempt was made. */
export interface AttemptPlace {
  readonly nowMs: EpochMs;
  readonly delivery: Delivery;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly site: string;
  readonly mxHost: string;
  readonly sourceIp: string;
  readonly source: string;
  readonly provider: string | null;
}

export function settleRecipient(
  outcome: RecipientOutcome,
  judgement: Judgement,
  place: AttemptPlace,
  retry: { readonly policy: RetryPolicy; readonly jitter: () => number },
): RecipientSettlement {
  const { nowMs, delivery, attempt, mxHost } = place;
  const { verdict } = judgement;
  const base = {
    atMs: nowMs,
    messageId: delivery.messageId,
    recipient: outcome.recipient,
    queue: delivery.queue,
    ...delivery.owner,
    attempt,
    site: place.site,
    mxHost,
    sourceIp: place.sourceIp,
    source: place.source,
    ...(place.provider === null ? {} : { provider: place.provider }),
    stage: outcome.stage,
    ...(outcome.kind === 'reply' ? { reply: outcome.reply } : { networkError: outcome.message }),
    class: verdict.class,
    action: verdict.action,
    rule: verdict.rule,
    ...(verdict.evidence?.length ? { evidence: verdict.evidence } : {}),
  };
  const steps: SettlementStep[] = (judgement.suspend ?? []).map((request) => ({ kind: 'suspend', request }));
  const hold =
    verdict.action === 'backoff' || verdict.action === 'stop' ? { hold: { verdict, action: verdict.action } } : {};
  if (outcome.kind === 'reply' && isPositive(outcome.reply)) {
    steps.push(
      { kind: 'final', record: { type: 'Delivery', ...base } },
      { kind: 'lift-suppression', recipient: outcome.recipient },
    );
    return { steps, delivered: true, ...hold };
  }
  const answer: AttemptAnswer = {
    ...(outcome.kind === 'reply' ? { reply: outcome.reply } : { networkError: outcome.message }),
    mxHost,
    attempts: attempt,
  };
  if (verdict.action === 'suppress' || verdict.action === 'fail-message' || verdict.action === 'none') {
    steps.push(
      { kind: 'final', record: { type: 'Bounce', ...base } },
      { kind: 'notify', notice: 'failed', recipient: outcome.recipient, answer },
    );
    if (judgement.suppress !== undefined)
      steps.push({ kind: 'suppress', entry: suppressionOf(outcome.recipient, verdict, judgement.suppress, place) });
    return { steps, delivered: false, ...hold };
  }
  const retryAtMs =
    judgement.retryAtMs ?? nowMs + Math.round(classRetryDelayMs(retry.policy, verdict.class, attempt) * retry.jitter());
  steps.push({ kind: 'record', record: { type: 'TransientFailure', ...base, nextAttemptAtMs: retryAtMs } });
  if (retryAtMs > delivery.expiresAtMs) {
    // The next attempt would fall after the message's lifetime: this was the last one.
    const expiration: ExpirationRecord = {
      type: 'Expiration',
      atMs: nowMs,
      messageId: delivery.messageId,
      recipient: outcome.recipient,
      queue: delivery.queue,
      ...delivery.owner,
      attempts: attempt,
    };
    steps.push(
      { kind: 'final', record: expiration },
      { kind: 'notify', notice: 'expired', recipient: outcome.recipient, answer },
    );
    return { steps, delivered: false, ...hold };
  }
  steps.push({ kind: 'notify', notice: 'delayed', recipient: outcome.recipient, answer });
  return { steps, delivered: false, retryAtMs, ...hold };
}

function suppressionOf(
  recipient: string,
  verdict: Verdict,
  request: NonNullable<Judgement['suppress']>,
  place: AttemptPlace,
): SuppressionEntry & { readonly evidence?: readonly string[] } {
  const { tenant } = place.delivery.owner;
  return {
    recipient,
    class: verdict.class,
    rule: verdict.rule,
    sinceMs: place.nowMs,
    ...(request.untilMs === undefined ? {} : { untilMs: request.untilMs }),
    ...(tenant === undefined ? {} : { tenant }),
    ...(request.evidence === undefined ? {} : { evidence: request.evidence }),
  };
}
