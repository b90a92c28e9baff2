/**
 * What a report joined to one of the engine's messages does to the suppression list: a
 * complaint suppresses the address (a person asked not to get this mail); an async bounce does
 * when the policy says so (by default, when its verdict says `suppress`). Pure: the engine adds
 * what this returns.
 */
import type { AsyncBounceRecord, FeedbackRecord } from '../../accounting.ts';
import type { SendPolicy } from './policy.ts';
import type { SuppressionEntry } from './suppression.ts';

export function suppressionForInbound(
  record: AsyncBounceRecord | FeedbackRecord,
  policy: SendPolicy,
): (SuppressionEntry & { readonly evidence: readonly string[] }) | null {
  const tenant = record.tenant === undefined ? {} : { tenant: record.tenant };
  if (record.type === 'Feedback') {
    const evidence = [`ARF Feedback-Type: ${record.feedbackType}`];
    return {
      recipient: record.recipient,
      class: 'policy-block',
      rule: 'feedback.complaint',
      sinceMs: record.atMs,
      evidence,
      ...tenant,
    };
  }
  const decision = policy.judgeAsyncBounce?.(record) ?? { suppress: record.action === 'suppress' };
  if (!decision.suppress) return null;
  return {
    recipient: record.recipient,
    class: record.class,
    rule: record.rule,
    sinceMs: record.atMs,
    evidence: [`DSN Status: ${record.status}`],
    ...(decision.untilMs === undefined ? {} : { untilMs: decision.untilMs }),
    ...tenant,
  };
}
