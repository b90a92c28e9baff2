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
  /** Hands the DSN to the engine durably (through the spool); resolves once it is spooled. */
  readonly send: (dsn: {
    readonly mailFrom: '';
    readonly recipient: string;
    readonly data: string;
  }) => Promise<unknown>;
  /** Told when a DSN could not be written (its original's body unreadable, the spool refusing it). @defaultValue console.error */
  readonly onError?: (message: string, error: unknown) => void;
}

/**
 * A notice in, a promise out: true once the DSN is spooled (or none is due), false when it
 * could not be. The service marks the original recipient final only after that, so a crash
 * between the two cannot lose the DSN: the recipient is tried again instead.
 */
export function dsnSender(options: DsnSenderOptions): (notice: UndeliverableNotice) => Promise<boolean> {
  const delayWarned = new Set<string>();
  let sequence = 0;
  const report = options.onError ?? console.error;
  const write = async (notice: UndeliverableNotice, data: string): Promise<void> => {
    const verdict = dsnVerdict(
      {
        kind: notice.kind,
        message: { messageId: notice.messageId, mailFrom: notice.mailFrom, isReport: isReportMessage(data) },
        recipient: notice.recipient,
        queuedForMs: notice.atMs - notice.receivedAtMs,
      },
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
    const base = {
      id: `dsn-${notice.messageId}-${++sequence}`,
      dateMs: notice.atMs,
      engineHost: options.engineHost,
      envelopeSender: notice.mailFrom,
      original: { data, arrivalMs: notice.receivedAtMs },
      recipients: [recipient],
    };
    const dsn =
      notice.kind === 'delayed'
        ? buildDsn({ ...base, kind: 'delayed', willRetryUntilMs: notice.expiresAtMs })
        : buildDsn({ ...base, kind: notice.kind });
    await options.send({ mailFrom: '', recipient: dsn.recipient, data: dsn.data });
  };
  return async (notice) => {
    // The null sender never gets a DSN: no need to read a body from disk to learn it.
    if (notice.mailFrom === '') return true;
    try {
      await write(notice, typeof notice.data === 'string' ? notice.data : await notice.data.load());
      return true;
    } catch (error) {
      report(
        `mailbench engine: no DSN for ${notice.messageId} to ${notice.recipient} yet (it will be tried again after a restart):`,
        error,
      );
      return false;
    }
  };
}
