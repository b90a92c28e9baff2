/**
 * Our bounce judgement, as a mailbench send policy: believe every "550 5.1.1 user unknown" and
 * suppress the address, except when the answer comes from a B2B gateway we know answers 5.1.1
 * for real, active users when the real reason is velocity or reputation. Behind those, the
 * refusal is read as a disguised policy block: back off and keep the address.
 *
 * Everything else is the built-in classifier's verdict (`basicJudgement`), so this policy
 * changes one decision and nothing more.
 */
import { basicJudgement, GATEWAY_FAMILIES } from 'mailbench';
import type { AttemptContext, Judgement, RecipientOutcome, SendPolicy } from 'mailbench';

/**
 * The gateways whose 5.1.1 we do not believe: every B2B gateway family mailbench's classifier
 * names from the MX host (Microsoft 365, Google Workspace, Mimecast, Proofpoint, Barracuda …).
 * Yours may be a list of your own.
 */
export const DOUBTED_GATEWAYS: ReadonlySet<string> = new Set(GATEWAY_FAMILIES);

export function judgeUnknownUsers(outcome: RecipientOutcome, context: AttemptContext): Judgement {
  const judgement = basicJudgement(outcome, context);
  const { verdict } = judgement;
  const doubted = verdict.family !== undefined && DOUBTED_GATEWAYS.has(verdict.family);
  if (verdict.class !== 'unknown-user' || !doubted) return judgement;
  return {
    verdict: {
      ...verdict,
      class: 'disguised-policy-block',
      action: 'backoff',
      hard: false,
      rule: 'example.doubted-gateway-5.1.1',
      evidence: [...verdict.evidence, `${verdict.family} gateway: 5.1.1 not believed`],
    },
  };
}

/** A fresh policy for each run. */
export function doubtGatewayUnknownUsers(): SendPolicy {
  return { judge: judgeUnknownUsers };
}
