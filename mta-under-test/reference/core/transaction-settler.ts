/**
 * A transaction's answers carried out, recipient by recipient: the policy judges one, its
 * settlement's steps (settlement.ts, pure) are carried out, then the next, because the policy
 * learns from the records in order. Retries that fall at the same time go back to their queue
 * together; a verdict that asks for it holds the path.
 */
import type { AccountingRecord, FinalRecord } from '../../accounting.ts';
import type { EpochMs, RecipientOutcome, Rng } from '../../../kernel/index.ts';
import type { Verdict } from './classify.ts';
import type { Delivery } from './delivery.ts';
import type { Path } from './paths.ts';
import type { SendPolicy } from './policy.ts';
import type { RetryPolicy } from './retry-schedule.ts';
import { settleRecipient } from './settlement.ts';
import type { AttemptAnswer, SettlementStep } from './settlement.ts';
import type { SuppressionList } from './suppression.ts';
import type { Suspensions } from './suspensions.ts';

export interface SettlerDeps {
  readonly policy: SendPolicy;
  readonly retry: RetryPolicy;
  readonly rng: Rng;
  readonly suspensions: Suspensions;
  readonly suppressions: SuppressionList;
  readonly ledger: {
    emit(record: AccountingRecord): void;
    emitFinal(record: FinalRecord): void;
    judged(verdictClass: string): void;
  };
  now(): EpochMs;
  schedule(delivery: Delivery, dueMs: EpochMs): void;
  hold(path: Path, reason: string, action: 'backoff' | 'stop'): void;
  notify(kind: 'failed' | 'expired' | 'delayed', delivery: Delivery, recipient: string, answer: AttemptAnswer): void;
}

export class TransactionSettler {
  constructor(private readonly deps: SettlerDeps) {}

  settle(path: Path, mxHost: string, delivery: Delivery, outcomes: readonly RecipientOutcome[]): void {
    const { deps } = this;
    const nowMs = deps.now();
    const attempt = delivery.attemptsMade + 1;
    const place = {
      nowMs,
      delivery,
      attempt,
      site: path.site,
      mxHost,
      sourceIp: path.source.sourceIp,
      source: path.source.name,
      provider: path.provider,
    };
    const retry = { policy: deps.retry, jitter: () => deps.rng.jitter(deps.retry.jitter) };
    const retries = new Map<EpochMs, { recipients: string[]; verdict: Verdict }>();
    let holdFor: { readonly verdict: Verdict; readonly action: 'backoff' | 'stop' } | undefined;
    for (const outcome of outcomes) {
      const judgement = deps.policy.judge(outcome, {
        atMs: nowMs,
        messageId: delivery.messageId,
        recipient: outcome.recipient,
        domain: delivery.domain,
        site: path.site,
        mxHost,
        provider: path.provider,
        source: path.source,
        owner: delivery.owner,
        attempt,
      });
      deps.ledger.judged(judgement.verdict.class);
      const settled = settleRecipient(outcome, judgement, place, retry);
      holdFor ??= settled.hold;
      if (settled.delivered) path.holds = 0;
      for (const step of settled.steps) this.carryOut(step, delivery, nowMs);
      if (settled.retryAtMs === undefined) continue;
      const group = retries.get(settled.retryAtMs) ?? { recipients: [], verdict: judgement.verdict };
      group.recipients.push(outcome.recipient);
      retries.set(settled.retryAtMs, group);
    }
    for (const [retryAtMs, group] of retries)
      deps.schedule(
        { ...delivery, recipients: group.recipients, attemptsMade: attempt, lastClass: group.verdict.class },
        retryAtMs,
      );
    if (holdFor !== undefined) deps.hold(path, `${holdFor.verdict.class} (${holdFor.verdict.rule})`, holdFor.action);
  }

  private carryOut(step: SettlementStep, delivery: Delivery, nowMs: EpochMs): void {
    const { deps } = this;
    switch (step.kind) {
      case 'suspend':
        return deps.suspensions.suspend({ ...step.request, origin: 'policy' }, nowMs);
      case 'final':
        return deps.ledger.emitFinal(step.record);
      case 'record':
        return deps.ledger.emit(step.record);
      case 'lift-suppression':
        deps.suppressions.lift(step.recipient, nowMs, 'engine.suppression.lifted-by-delivery');
        return;
      case 'suppress':
        return deps.suppressions.add(step.entry);
      case 'notify':
        return deps.notify(step.notice, delivery, step.recipient, step.answer);
    }
  }
}
