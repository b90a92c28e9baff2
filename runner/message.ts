/**
 * The message every scenario recipient gets: a small, valid RFC 5322 text message.
 *
 * Written as a template rather than with nodemailer's MailComposer on purpose: the bench
 * needs the same bytes for the same seed (MailComposer draws its own Message-ID and MIME
 * boundaries), and building 10,000 messages through its streams would cost more than the
 * in-process delivery of all of them. The Date header comes from the run's clock.
 */
import type { EpochMs } from '../kernel/index.ts';

export interface MessageSpec {
  readonly from: string;
  readonly to: string;
  /** The run's clock when the message is written. */
  readonly dateMs: EpochMs;
  /** Unique within the run, e.g. the recipient's position in the list. */
  readonly sequence: number;
  /** The run's seed, so Message-IDs differ between runs but not between replays. */
  readonly seed: string;
}

const BODY = [
  'Hello,',
  '',
  'This message was sent by a mailbench scenario to a simulated mailbox provider.',
  'It never leaves the loopback interface of the machine that runs the bench.',
  '',
  '-- ',
  'mailbench',
].join('\r\n');

/** The Date header's value for a clock reading; a batch of messages is written at one instant, so the last one is kept. */
let lastDate = { dateMs: Number.NaN, text: '' };

function dateText(dateMs: EpochMs): string {
  if (lastDate.dateMs !== dateMs) lastDate = { dateMs, text: new Date(dateMs).toUTCString().replace('GMT', '+0000') };
  return lastDate.text;
}

export function buildMessage(spec: MessageSpec): string {
  const senderDomain = spec.from.slice(spec.from.lastIndexOf('@') + 1);
  const headers = [
    `From: Mailbench News <${spec.from}>`,
    `To: <${spec.to}>`,
    `Subject: mailbench message ${spec.sequence}`,
    `Date: ${dateText(spec.dateMs)}`,
    `Message-ID: <${spec.sequence}.${encodeURIComponent(spec.seed)}@${senderDomain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${BODY}\r\n`;
}
