/**
 * Drives a receiver verb by verb, as a transport would, for policy tests: one message to some
 * recipients, with the answers per recipient and the DATA answer.
 */
import type { SmtpReply } from '../../kernel/smtp/reply.ts';
import type { Receiver, ReceiverSession } from '../../sim/receivers/receiver.ts';
import { dkimSign } from '../../mta-under-test/reference/core/dkim-signer.ts';
import { TEST_DKIM_KEY } from './receiver-world.ts';

export interface DialogueResult {
  readonly rcpt: readonly SmtpReply[];
  /** The DATA answer, or null when no recipient was accepted. */
  readonly data: SmtpReply | null;
}

/** A message from the test sender, DKIM-signed with one-click unsubscribe, as a careful bulk sender sends. */
export function testMessage(to: string, from = 'news@news.mailbench.test'): string {
  const text = [
    `From: <${from}>`,
    `To: <${to}>`,
    'Subject: test',
    'Message-ID: <1@news.mailbench.test>',
    'List-Unsubscribe: <https://news.mailbench.test/u/1>',
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    '',
    'hello',
    '',
  ].join('\r\n');
  return dkimSign(text, TEST_DKIM_KEY);
}

export function openSession(receiver: Receiver, peerIp = '127.0.0.2', tls = true): ReceiverSession {
  const { session, reply } = receiver.open({ peerIp });
  if (session === null)
    throw new Error(`${receiver.identity.id} refused the session: ${reply.code} ${reply.lines.join(' ')}`);
  if (tls) receiver.startTls?.(session);
  receiver.helo(session, 'mta1.mailbench.test');
  return session;
}

export function sendOne(
  receiver: Receiver,
  session: ReceiverSession,
  recipients: readonly string[],
  data?: string,
  mailFrom = 'bounces@news.mailbench.test',
): DialogueResult {
  receiver.mailFrom(session, mailFrom);
  const rcpt = recipients.map((recipient) => receiver.rcptTo(session, recipient));
  const accepted = rcpt.some((answer) => answer.code < 300);
  const body = data ?? testMessage(recipients[0] ?? 'nobody@example.test');
  const dataReply = accepted ? receiver.data(session, { data: body, sizeBytes: Buffer.byteLength(body) }) : null;
  receiver.reset(session);
  return { rcpt, data: dataReply };
}
