/**
 * The service's DSNs to envelope senders: each undeliverable notice the engine gives is put to
 * the DSN policy (never to the null sender, never about a report, one delay warning per
 * recipient) and, when it says so, written as an RFC 3464 report and handed back to the engine
 * as a new message from the null reverse-path, so it is spooled, shaped and retried like any.
 */
import type { UndeliverableNotice } from '../core/engine.ts';
import { buildDsn } from '../dsn/dsn-message.ts';
import { delayWarningKey, dsnVerdict, isReportMessage } from '../dsn/dsn-policy.ts';

export interface DsnSenderOptions {
  readonly engineHost: string;
  /** Hands the DSN to the engine (durably: through the spool). */
  readonly send: (dsn: { readonly mailFrom: ''; readonly recipient: string; readonly data: string }) => void;
  /** Told when a message's body could not be read for its DSN. @defaultValue console.error */
  readonly onError?: (message: string, error: unknown) => void;
}

export function dsnSender(options: DsnSenderOptions): (notice: UndeliverableNotice) => void {
  const delayWarned = new Set<string>();
  let sequence = 0;
  const write = (notice: UndeliverableNotice, data: string): void => {
    const verdict = dsnVerdict(
      { kind: notice.kind, message: { messageId: notice.messageId, mailFrom: notice.mailFrom, isReport: isReportMessage(data) }, recipient: notice.recipient, queuedForMs: notice.atMs - notice.receivedAtMs },
      { delayWarned },
    );
    if (!verdict.send) return;
    if (notice.kind === 'delayed') delayWarned.add(delayWarningKey(notice.messageId, notice.recipient));
    const recipient = {
      recipient: notice.recipient,
      lastAttemptMs: notice.atMs,
      ...(notice.reply === undefined ? {} : { reply: notice.reply }),
      ...(notice.networkError === undefined ? {} : { networkError: notice.networkError }),
      ...(notice.mxHost === undefined ? {} : { remoteMta: notice.mxHost }),
    };
    const base = { id: `dsn-${notice.messageId}-${++sequence}`, dateMs: notice.atMs, engineHost: options.engineHost, envelopeSender: notice.mailFrom, original: { data, arrivalMs: notice.receivedAtMs }, recipients: [recipient] };
    const dsn = notice.kind === 'delayed' ? buildDsn({ ...base, kind: 'delayed', willRetryUntilMs: notice.expiresAtMs }) : buildDsn({ ...base, kind: notice.kind });
    options.send({ mailFrom: '', recipient: dsn.recipient, data: dsn.data });
  };
  return (notice) => {
    // The null sender never gets a DSN: no need to read a body from disk to learn it.
    if (notice.mailFrom === '') return;
    if (typeof notice.data === 'string') return write(notice, notice.data);
    notice.data.load().then(
      (data) => write(notice, data),
      (error: unknown) => (options.onError ?? console.error)(`mailbench engine: no DSN for ${notice.messageId} to ${notice.recipient}: its body could not be read:`, error),
    );
  };
}
