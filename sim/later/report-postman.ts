/**
 * Turns the receivers' later events into the mail they send: an ARF report (RFC 5965) to
 * the feedback address the sender registered with the provider's feedback loop, a DSN
 * (RFC 3464) to the original envelope sender. Engagement is not mail; it stays an event.
 *
 * The postman only writes the messages. How they travel is the caller's: in sim mode they
 * are handed over in-process, in wire mode sent by SMTP from the receiver's own loopback
 * address, as a provider's outbound would send them.
 */
import type { EpochMs } from '../../kernel/index.ts';
import type { LaterEvent } from './events.ts';
import { exchangeNdr, qmailBounce, sendmailDsn } from './bounce-mail.ts';
import { arfReport, dsnReport } from './report-mail.ts';
import type { AsyncBounceEvent } from './events.ts';
import type { ReportEnvelope } from './report-mail.ts';

export interface ReportMail {
  readonly kind: 'arf' | 'dsn';
  /** The receiver that sends it. */
  readonly receiver: string;
  readonly atMs: EpochMs;
  /** Reports go out with the null reverse-path (RFC 5321 §4.5.5), so they never bounce back. */
  readonly mailFrom: '';
  readonly recipient: string;
  /** The RFC 5322 message, CRLF line ends. */
  readonly data: string;
  /** The reporting host's name: its HELO when the report travels by SMTP. */
  readonly reportingMta: string;
}

export interface PostmanOptions {
  /** Where feedback loops send complaints: the address the sender registered (e.g. `fbl@news.example`). */
  readonly feedbackAddress: string;
}

/** Writes report mails in event order; the sequence number makes ids unique and replayable. */
export class ReportPostman {
  private sequence = 0;

  constructor(private readonly options: PostmanOptions) {}

  /** The mail a later event sends, or null (engagement, or a bounce of a bounce). */
  write(event: LaterEvent): ReportMail | null {
    switch (event.kind) {
      case 'engagement':
        return null;
      case 'complaint': {
        const to = this.options.feedbackAddress;
        const envelope = this.envelope(
          event.receiver,
          event.reportingMta,
          `${event.feedbackLoop} <feedback@${event.reportingMta}>`,
          to,
          event.atMs,
        );
        return {
          kind: 'arf',
          receiver: event.receiver,
          atMs: event.atMs,
          mailFrom: '',
          recipient: to,
          data: arfReport(event, envelope, event.feedbackLoop),
          reportingMta: event.reportingMta,
        };
      }
      case 'async-bounce': {
        // A message sent with the null reverse-path gets no DSN (RFC 3461 §6.2).
        if (event.mailFrom === '') return null;
        const envelope = this.envelope(
          event.receiver,
          event.reportingMta,
          `Mail Delivery System <MAILER-DAEMON@${event.reportingMta}>`,
          event.mailFrom,
          event.atMs,
        );
        return {
          kind: 'dsn',
          receiver: event.receiver,
          atMs: event.atMs,
          mailFrom: '',
          recipient: event.mailFrom,
          data: bounceMail(event, envelope),
          reportingMta: event.reportingMta,
        };
      }
    }
  }

  private envelope(receiver: string, reportingMta: string, from: string, to: string, dateMs: EpochMs) {
    this.sequence++;
    return { from, to, dateMs, id: `${receiver}.${this.sequence}`, domain: reportingMta };
  }
}

/** The bounce in the reporting relay's own format (bounce-mail.ts). */
function bounceMail(event: AsyncBounceEvent, envelope: ReportEnvelope): string {
  switch (event.format ?? 'rfc3464') {
    case 'exchange':
      return exchangeNdr(event, envelope);
    case 'sendmail':
      return sendmailDsn(event, envelope);
    case 'qmail':
      // qmail sends no delay warnings: a transient failure is written as RFC 3464.
      return event.reply.code >= 500 ? qmailBounce(event, envelope) : dsnReport(event, envelope);
    case 'rfc3464':
      return dsnReport(event, envelope);
  }
}
