/**
 * Wire-test helpers: a Gmail model behind a real smtp-server listener on 127.0.1.1, and
 * nodemailer's SMTPConnection from 127.0.0.2 driven with promises.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { GMAIL } from '../../sim/receivers/providers/gmail.ts';
import type { ReceiverContext } from '../../sim/receivers/receiver.ts';
import { startListener } from '../../sim/transport/smtp-listener.ts';
import type { Listener } from '../../sim/transport/smtp-listener.ts';
import type { MailboxStatus } from '../../sim/world/mailboxes.ts';
import { receiverFor, receiverWorld, withAdmission } from './receiver-world.ts';
import { RealScheduler } from '../../kernel/clock/real-clock.ts';

export const SENDER_IP = '127.0.0.2';
export const RECEIVER_IP = '127.0.1.1';

export interface GmailOptions {
  readonly limitsOff: boolean;
  /** The new-IP hourly allowance, smaller than the profile's to keep tests short. */
  readonly newIpMessagesPerHour?: number;
}

export async function gmailListener(
  mailboxes: Record<string, MailboxStatus>,
  options: GmailOptions,
): Promise<{ listener: Listener; context: ReceiverContext }> {
  const { context } = receiverWorld(mailboxes, new RealScheduler());
  const profile =
    options.newIpMessagesPerHour === undefined
      ? GMAIL
      : withAdmission(GMAIL, { newIpPerHour: options.newIpMessagesPerHour });
  const listener = await startListener(receiverFor(profile, context, options.limitsOff), { address: RECEIVER_IP });
  return { listener, context };
}

export interface SendResult {
  readonly info?: SMTPConnectionSendInfo;
  readonly error?: {
    readonly code?: string | undefined;
    readonly response?: string | undefined;
    readonly responseCode?: number | undefined;
  };
}

export async function connectClient(listener: Listener): Promise<SMTPConnection> {
  const connection = new SMTPConnection({
    host: listener.address,
    port: listener.port,
    localAddress: SENDER_IP,
    name: 'mta1.mailbench.test',
    ignoreTLS: true,
  });
  connection.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    connection.connect((error) => (error === undefined ? resolve() : reject(error)));
  });
  return connection;
}

export function sendRaw(connection: SMTPConnection, recipients: string[]): Promise<SendResult> {
  return new Promise((resolve) => {
    connection.send(
      { from: 'bounces@news.mailbench.test', to: recipients },
      'Subject: hi\r\n\r\nhello\r\n',
      (error, info) => {
        resolve(error === null ? { ...(info === undefined ? {} : { info }) } : { error });
      },
    );
  });
}
