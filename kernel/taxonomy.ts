/**
 * The shared vocabulary of ../shared/TAXONOMY.md, exported once. Receivers record causes,
 * senders report classes, scoring compares both with the right action. Every per-cause table
 * in the project is a `Record<Cause, …>`, so adding a cause breaks compilation wherever it is
 * not handled.
 */

/** What a receiver really meant, recorded for every recipient attempt (ground truth). */
export const CAUSES = [
  'delivered-inbox',
  'delivered-spam',
  'delivered-trap',
  'discarded',
  'unknown-user',
  'bad-domain',
  'mailbox-disabled',
  'mailbox-full',
  'greylisted',
  'rate-limited',
  'too-many-connections',
  'reputation-block',
  'blocklisted',
  'auth-failure',
  'content-spam',
  'policy-block',
  'disguised-policy-block',
  'tls-required',
  'message-too-large',
  'server-error',
  'protocol-error',
  'network-error',
] as const;
export type Cause = (typeof CAUSES)[number];

/** Causes that mean the message was accepted; a sender cannot tell them apart. */
export const DELIVERED_CAUSES = ['delivered-inbox', 'delivered-spam', 'delivered-trap', 'discarded'] as const;
export type DeliveredCause = (typeof DELIVERED_CAUSES)[number];
export type RefusalCause = Exclude<Cause, DeliveredCause>;

/**
 * What a sender concluded for one recipient attempt: the refusal causes, `delivered` for every
 * accepted outcome, and `unclassified` when the classifier cannot decide (scored as wrong).
 */
export type Class = RefusalCause | 'delivered' | 'unclassified';
export const CLASSES: readonly Class[] = [
  'delivered',
  ...CAUSES.filter((cause): cause is RefusalCause => !isDeliveredCause(cause)),
  'unclassified',
];

/** What a sender does about an answer. */
export const ACTIONS = ['none', 'suppress', 'retry', 'backoff', 'stop', 'fail-message'] as const;
export type Action = (typeof ACTIONS)[number];

/** The right action for each cause (TAXONOMY.md, "right action" column). */
export const RIGHT_ACTION: Record<Cause, Action> = {
  'delivered-inbox': 'none',
  'delivered-spam': 'none',
  'delivered-trap': 'none',
  discarded: 'none',
  'unknown-user': 'suppress',
  'bad-domain': 'suppress',
  'mailbox-disabled': 'suppress',
  'mailbox-full': 'retry',
  greylisted: 'retry',
  'rate-limited': 'backoff',
  'too-many-connections': 'backoff',
  'reputation-block': 'backoff',
  blocklisted: 'stop',
  'auth-failure': 'stop',
  'content-spam': 'stop',
  'policy-block': 'retry',
  'disguised-policy-block': 'backoff',
  'tls-required': 'retry',
  'message-too-large': 'fail-message',
  'server-error': 'retry',
  'protocol-error': 'retry',
  'network-error': 'retry',
};

export function isDeliveredCause(cause: Cause): cause is DeliveredCause {
  return (DELIVERED_CAUSES as readonly Cause[]).includes(cause);
}

/** The class a perfect sender would report for a cause. */
export function classOfCause(cause: Cause): Class {
  return isDeliveredCause(cause) ? 'delivered' : cause;
}
