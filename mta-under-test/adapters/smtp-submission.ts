/**
 * The bench's front door into an MTA that takes mail by SMTP (Postfix's smtpd, any relay):
 * nodemailer's connection layer (`SMTPConnection`), a few connections in parallel, each reused
 * for its share of the messages. A message counts as submitted when the MTA said 250 after
 * DATA, which a durable MTA says only once the message is on disk.
 *
 * Every refusal is collected, not thrown at once: the caller gets all of them, each naming the
 * message, the recipient and the MTA's reply, and decides what the error says.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Envelope, SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import type { LoopbackRoute, MtaMessage } from './mta-under-test.ts';

/** Loopback limits: generous, but a stuck MTA must not hold a run for ever. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;
/** The name the bench greets the MTA with. */
export const INJECTOR_HELO = 'injector.mailbench.invalid';

export interface SubmissionOptions {
  /** Parallel connections. @defaultValue 4 */
  readonly connections?: number;
  /** The envelope for a message (DSN parameters, …). @defaultValue its sender and recipients */
  readonly envelopeOf?: (message: MtaMessage, index: number) => Envelope;
  /**
   * Called as each message is accepted (before the whole batch is), with the MTA's reply.
   * Returns why the acceptance is not good enough (no queue id), or undefined.
   */
  readonly onAccepted?: (info: SMTPConnectionSendInfo, message: MtaMessage, index: number) => string | undefined;
}

export interface SubmissionFailure {
  /** The message's index in the batch. */
  readonly message: number;
  readonly reason: string;
}

/** The outcome of a batch: the refusals, or the connection that could not be used at all. */
export interface SubmissionResult {
  readonly failures: readonly SubmissionFailure[];
  /** A connection that failed as a whole (connect, greeting): nothing more is known of its share. */
  readonly broken?: Error;
}

function connect(route: LoopbackRoute): Promise<SMTPConnection> {
  const connection = new SMTPConnection({
    host: route.address,
    port: route.port,
    localAddress: '127.0.0.1',
    name: INJECTOR_HELO,
    ignoreTLS: true,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => {
      connection.off('error', reject);
      // Later errors reach send()'s callback; this keeps them from being uncaught.
      connection.on('error', () => undefined);
      resolve(connection);
    });
  });
}

function send(connection: SMTPConnection, envelope: Envelope, data: string): Promise<SMTPConnectionSendInfo> {
  return new Promise((resolve, reject) => {
    connection.send(envelope, data, (error, info) => {
      if (error !== null) reject(error);
      else resolve(info);
    });
  });
}

/** One connection's share: messages `first`, `first + stride`, … */
async function submitShare(
  route: LoopbackRoute,
  messages: readonly MtaMessage[],
  first: number,
  stride: number,
  options: SubmissionOptions,
  failures: SubmissionFailure[],
): Promise<void> {
  const connection = await connect(route);
  try {
    for (let index = first; index < messages.length; index += stride) {
      const message = messages[index];
      if (message === undefined) continue;
      try {
        const envelope = options.envelopeOf?.(message, index) ?? {
          from: message.mailFrom,
          to: [...message.recipients],
        };
        const info = await send(connection, envelope, message.data);
        if (info.rejected.length > 0)
          failures.push({
            message: index,
            reason: `refused ${info.rejected.join(', ')}: ${(info.rejectedErrors ?? []).map((error) => error.message).join('; ')}`,
          });
        const unusable = options.onAccepted?.(info, message, index);
        if (unusable !== undefined) failures.push({ message: index, reason: unusable });
      } catch (error) {
        failures.push({ message: index, reason: (error as Error).message });
        await new Promise<void>((resolve) => connection.reset(() => resolve()));
      }
    }
  } finally {
    connection.quit();
  }
}

/** Submits every message; resolves with every refusal once each message was answered. */
export async function submitOverSmtp(
  route: LoopbackRoute,
  messages: readonly MtaMessage[],
  options: SubmissionOptions = {},
): Promise<SubmissionResult> {
  if (messages.length === 0) return { failures: [] };
  const stride = Math.max(1, Math.min(options.connections ?? 4, messages.length));
  const failures: SubmissionFailure[] = [];
  // allSettled: a connection that fails must not leave the others running unseen.
  const shares = await Promise.allSettled(
    Array.from({ length: stride }, (_, first) => submitShare(route, messages, first, stride, options, failures)),
  );
  const broken = shares.find((share) => share.status === 'rejected');
  if (broken === undefined) return { failures };
  const reason: unknown = broken.reason;
  return { failures, broken: reason instanceof Error ? reason : new Error(String(reason)) };
}

/** The first refusals of a batch, one line each, for an error message. */
export function listFailures(failures: readonly SubmissionFailure[], shown = 10): string {
  return failures
    .slice(0, shown)
    .map((failure) => `message ${failure.message}: ${failure.reason}`)
    .join('\n  ');
}
