/**
 * The bench's front door into Postfix: SMTP to the instance's smtpd (../smtp-submission.ts).
 * Postfix says 250 after DATA only once the queue file is fsynced (its own durable enqueue);
 * the reply names the queue id, which is the message id of every record about it.
 *
 * Any refusal is an error (E_POSTFIX_INJECT) naming the message, the recipient and Postfix's
 * reply: the bench only injects what the instance was configured to relay.
 */
import type { LoopbackRoute, MtaMessage } from '../mta-under-test.ts';
import { listFailures, submitOverSmtp } from '../smtp-submission.ts';
import { PostfixAdapterError } from './errors.ts';

export interface InjectOptions {
  /** Parallel connections. @defaultValue 4 */
  readonly connections?: number;
  /** Called as soon as a message is queued (before the whole batch is), with its queue id. */
  readonly onQueued?: (queueId: string, message: MtaMessage) => void;
}

function queueIdOf(response: string): string | undefined {
  return /queued as ([0-9A-F]{6,20})\b/.exec(response)?.[1];
}

/** Injects every message; resolves when Postfix said 250 for each, rejects listing every refusal. */
export async function injectOverSmtp(
  route: LoopbackRoute,
  messages: readonly MtaMessage[],
  options: InjectOptions = {},
): Promise<void> {
  const { failures, broken } = await submitOverSmtp(route, messages, {
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    onAccepted: (info, message) => {
      const queueId = queueIdOf(info.response);
      if (queueId === undefined) return `no queue id in Postfix's reply ${JSON.stringify(info.response)}`;
      options.onQueued?.(queueId, message);
      return undefined;
    },
  });
  if (broken !== undefined) {
    throw new PostfixAdapterError(
      'E_POSTFIX_INJECT',
      `cannot inject into Postfix's smtpd at ${route.address}:${route.port}: ${broken.message}`,
      undefined,
      { cause: broken },
    );
  }
  if (failures.length > 0) {
    throw new PostfixAdapterError(
      'E_POSTFIX_INJECT',
      `Postfix refused ${failures.length} of ${messages.length} messages:\n  ${listFailures(failures)}`,
    );
  }
}
