/**
 * What Postfix "concluded" about an attempt: it logs `dsn=` and acts on the first digit only,
 * so its class is the naive reading of that status (../naive-dsn-class.ts, the table there).
 *
 * Postfix retries every 4xx the same way (there is no backoff per path, no suspension on a
 * rate-limit reply) and returns every 5xx to the sender without remembering the address (no
 * suppression list). The action is therefore read from `status=` (deferred → retry, bounced →
 * fail-message), which agrees with the first digit unless smtp_delivery_status_filter is used.
 */
import type { Action } from '../../../kernel/index.ts';
import { classifyDsnStatus } from '../naive-dsn-class.ts';
import type { DsnVerdict } from '../naive-dsn-class.ts';

/** The naive class of a `dsn=` value; a malformed one is `unclassified`. */
export function classifyDsn(dsn: string): DsnVerdict {
  return classifyDsnStatus(dsn, 'postfix.dsn');
}

/** What Postfix does after an attempt: its log's `status=` is its whole decision. */
export const ACTION_OF_STATUS = {
  sent: 'none',
  deferred: 'retry',
  bounced: 'fail-message',
} as const satisfies Record<'sent' | 'deferred' | 'bounced', Action>;
