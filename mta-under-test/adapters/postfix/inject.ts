/**
 * The bench's front door into Postfix: SMTP to the instance's smtpd with nodemailer's
 * connection layer (`SMTPConnection`), a few connections in parallel, each reused for its
 * share of the messages. A message counts as injected when smtpd said 250 after DATA, which
 * Postfix says only once the queue file is fsynced (its own durable enqueue); the reply names
 * the queue id, which is the message id of every record about it.
 *
 * Any refusal is an error (E_POSTFIX_INJECT) naming the message, the recipient and Postfix's
 * reply: the bench only injects what the instance was configured to relay.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import type { LoopbackRoute, MtaMessage } from '../mta-under-test.ts';
import { PostfixAdapterError } from './errors.ts';

/** Loopback limits: generous, but a stuck smtpd must not hold a run for ever. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;
/** The name the injector greets Postfix with. */
const INJECTOR_HELO = 'injector.mailbench.invalid';

export interface InjectOptions {
  /** Parallel connections. @defaultValue 4 */
  readonly connections?: number;
  /** Called as soon as a message is queued (before the whole batch is), with its queue id. */
  readonly onQueued?: (queueId: string, message: MtaMessage) => void;
}

interface Failure {
  readonly message: number;
  readonly reason: string;
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

function send(connection: SMTPConnection, message: MtaMessage): Promise<SMTPConnectionSendInfo> {
  return new Promise((resolve, reject) => {
    connection.send({ from: message.mailFrom, to: [...message.recipients] }, message.data, (error, info) => {
      if (error !== null) reject(error);
      else resolve(info);
    });
  });
}

function queueIdOf(response: string): string | undefined {
  return /queued as ([0-9A-F]{6,20})\b/.exec(response)?.[1];
}

/** One connection's share: messages `first`, `first + stride`, … */
async function injectShare(route: LoopbackRoute, messages: readonly MtaMessage[], first: number, stride: number, options: InjectOptions, failures: Failure[]): Promise<void> {
  const connection = await connect(route);
  try {
    for (let index = first; index < messages.length; index += stride) {
      const message = messages[index];
      if (message === undefined) continue;
      try {
        const info = await send(connection, message);
        const queueId = queueIdOf(info.response);
        if (info.rejected.length > 0) failures.push({ message: index, reason: `refused ${info.rejected.join(', ')}: ${(info.rejectedErrors ?? []).map((error) => error.message).join('; ')}` });
        if (queueId === undefined) failures.push({ message: index, reason: `no queue id in Postfix's reply ${JSON.stringify(info.response)}` });
        else options.onQueued?.(queueId, message);
      } catch (error) {
        failures.push({ message: index, reason: (error as Error).message });
        await new Promise<void>((resolve) => connection.reset(() => resolve()));
      }
    }
  } finally {
    connection.quit();
  }
}

/** Injects every message; resolves when Postfix said 250 for each, rejects listing every refusal. */
export async function injectOverSmtp(route: LoopbackRoute, messages: readonly MtaMessage[], options: InjectOptions = {}): Promise<void> {
  if (messages.length === 0) return;
  const stride = Math.max(1, Math.min(options.connections ?? 4, messages.length));
  const failures: Failure[] = [];
  // allSettled: a connection that fails must not leave the others running unseen.
  const shares = await Promise.allSettled(Array.from({ length: stride }, (_, first) => injectShare(route, messages, first, stride, options, failures)));
  const broken = shares.find((share) => share.status === 'rejected');
  if (broken !== undefined) {
    const reason: unknown = broken.reason;
    throw new PostfixAdapterError('E_POSTFIX_INJECT', `cannot inject into Postfix's smtpd at ${route.address}:${route.port}: ${reason instanceof Error ? reason.message : String(reason)}`, undefined, { cause: reason });
  }
  if (failures.length > 0) {
    const listed = failures.slice(0, 10).map((failure) => `message ${failure.message}: ${failure.reason}`);
    throw new PostfixAdapterError('E_POSTFIX_INJECT', `Postfix refused ${failures.length} of ${messages.length} messages:\n  ${listed.join('\n  ')}`);
  }
}
