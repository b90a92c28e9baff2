/**
 * Which of the engine's events get a DSN to the envelope sender. A pure function of the event,
 * the message, the policy and what has been sent before, so the engine's core can call it on
 * the virtual clock and a test can check a whole schedule as data.
 *
 * The rules, in order:
 * - never for a message whose envelope sender is null (RFC 5321 §4.5.5: that is how loops of
 *   notifications about notifications are prevented);
 * - never about a DSN or another report, even one that arrived with a non-null sender (a
 *   misconfigured relay): RFC 3461 §6.2 / RFC 3464 §1 forbid DSNs about DSNs;
 * - never when the submitter asked for none (RFC 3461 §4.1 NOTIFY=NEVER), nor for an outcome
 *   it did not list (NOTIFY=SUCCESS,DELAY gets no failure DSN);
 * - a delay warning only once the message has waited `delayWarningAfterMs` in the queue, and at
 *   most one per recipient per message (as Postfix's delay_warning_time and sendmail's
 *   Timeout.queuewarn: one warning, then silence until the final outcome).
 */
import { HOUR_MS } from '../../../kernel/index.ts';
import type { Milliseconds } from '../../../kernel/index.ts';
import type { DsnKind } from './dsn-message.ts';

export interface DsnPolicy {
  /**
   * How long a message waits in the queue before its sender is warned of the delay; null
   * sends no delay warnings.
   * @defaultValue 4 hours (sendmail's Timeout.queuewarn; Postfix's delay_warning_time is off by default)
   */
  readonly delayWarningAfterMs: Milliseconds | null;
}

export const DEFAULT_DSN_POLICY: DsnPolicy = { delayWarningAfterMs: 4 * HOUR_MS };

/** RFC 3461 §4.1 NOTIFY: `NEVER`, or the outcomes the submitter wants to hear of. */
export type NotifyRequest = 'NEVER' | readonly ('SUCCESS' | 'FAILURE' | 'DELAY')[];

/** The message a DSN would be about. */
export interface DsnSubject {
  readonly messageId: string;
  /** The envelope sender; `''` is the null reverse-path. */
  readonly mailFrom: string;
  /**
   * The message is itself a delivery or feedback report (see `isReportMessage`). The engine
   * knows this at injection from the message's Content-Type.
   */
  readonly isReport: boolean;
}

/** What happened to one recipient that might deserve a DSN. */
export interface DsnTrigger {
  readonly kind: DsnKind;
  readonly message: DsnSubject;
  readonly recipient: string;
  /** RFC 3461 NOTIFY given at RCPT TO; absent means the default (failures and delays). */
  readonly notify?: NotifyRequest;
  /** How long the message has been in the queue; needed for `delayed`. */
  readonly queuedForMs?: Milliseconds;
}

/** What the engine has already sent: the delay warnings, by `delayWarningKey`. */
export interface DsnHistory {
  readonly delayWarned: ReadonlySet<string>;
}

export type DsnRefusal =
  | 'null-sender'
  | 'about-a-report'
  | 'notify-never'
  | 'not-requested'
  | 'delay-warnings-off'
  | 'delay-too-early'
  | 'delay-already-warned';

export type DsnVerdict =
  { readonly send: true; readonly kind: DsnKind } | { readonly send: false; readonly reason: DsnRefusal };

/** The key under which a recipient's delay warning is remembered. */
export function delayWarningKey(messageId: string, recipient: string): string {
  return `${messageId} ${recipient}`;
}

/** Does this event get a DSN? After sending a `delayed` one, add its `delayWarningKey` to the history. */
export function dsnVerdict(
  trigger: DsnTrigger,
  history: DsnHistory,
  policy: DsnPolicy = DEFAULT_DSN_POLICY,
): DsnVerdict {
  if (trigger.message.mailFrom === '') return { send: false, reason: 'null-sender' };
  if (trigger.message.isReport) return { send: false, reason: 'about-a-report' };
  if (trigger.notify === 'NEVER') return { send: false, reason: 'notify-never' };
  const wanted = trigger.kind === 'delayed' ? 'DELAY' : 'FAILURE';
  if (trigger.notify !== undefined && !trigger.notify.includes(wanted)) return { send: false, reason: 'not-requested' };
  if (trigger.kind !== 'delayed') return { send: true, kind: trigger.kind };
  if (policy.delayWarningAfterMs === null) return { send: false, reason: 'delay-warnings-off' };
  if (trigger.queuedForMs === undefined || trigger.queuedForMs < policy.delayWarningAfterMs)
    return { send: false, reason: 'delay-too-early' };
  if (history.delayWarned.has(delayWarningKey(trigger.message.messageId, trigger.recipient)))
    return { send: false, reason: 'delay-already-warned' };
  return { send: true, kind: 'delayed' };
}

/**
 * Is this message a report (RFC 6522 multipart/report of any report-type: a DSN, an MDN, an
 * ARF complaint)? Reads the top-level Content-Type of the header section only.
 */
export function isReportMessage(data: string): boolean {
  const end = data.search(/\r?\n\r?\n/);
  const headers = (end === -1 ? data : data.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return /^content-type:\s*multipart\/report\b/im.test(headers);
}
