/**
 * What the adapter refuses before anything reaches Postfix: recipients in domains the
 * environment has no route for (Postfix would answer 554 "Relay access denied", after having
 * queued the message for its other recipients), and messages whose `pool` names an egress
 * identity other than the one Postfix will pick for their sender (it picks per envelope
 * sender, sender_dependent_default_transport_maps; sending from the wrong address silently
 * would spoil a run's per-IP figures). Every problem is listed, each with its message index.
 */
import type { MtaMessage } from '../mta-under-test.ts';
import { PostfixAdapterError } from './errors.ts';
import type { InstancePlan } from './instance-plan.ts';
import { domainOf } from '../../../kernel/index.ts';

/** Problems listed in one error, at most; the rest are counted. */
const LISTED_MAX = 20;

/** The egress identity name Postfix will use for a sender (the table's exact address, then @domain, then the default). */
export function egressNameFor(plan: InstancePlan, sender: string): string | undefined {
  const lower = sender.toLowerCase();
  const service =
    plan.senderEgress.get(lower) ??
    plan.senderEgress.get(lower.slice(lower.lastIndexOf('@'))) ??
    plan.egress[0]?.service;
  return plan.egress.find((egress) => egress.service === service)?.identity.name;
}

/** Refuses, before anything is sent, what Postfix would refuse or route wrongly; lists every problem. */
export function checkMessages(plan: InstancePlan, messages: readonly MtaMessage[]): void {
  const identities = new Set(plan.egress.map((egress) => egress.identity.name));
  const issues: string[] = [];
  messages.forEach((message, index) => {
    if (message.recipients.length === 0) issues.push(`messages[${index}].recipients: empty`);
    for (const recipient of message.recipients) {
      const domain = domainOf(recipient);
      if (!plan.routes.has(domain))
        issues.push(
          `messages[${index}]: ${recipient}: no route for ${domain} (Postfix relays only to the environment's routes)`,
        );
    }
    if (message.pool !== undefined && identities.has(message.pool)) {
      const chosen = egressNameFor(plan, message.mailFrom);
      if (chosen !== message.pool)
        issues.push(
          `messages[${index}].pool: ${message.pool}, but Postfix sends ${message.mailFrom} from ${chosen ?? 'no identity'} (pin the sender with egressBySender)`,
        );
    }
  });
  if (issues.length > 0)
    throw new PostfixAdapterError(
      'E_POSTFIX_INJECT',
      `not injected:\n  ${issues.slice(0, LISTED_MAX).join('\n  ')}${issues.length > LISTED_MAX ? `\n  … ${issues.length - LISTED_MAX} more` : ''}`,
    );
}
