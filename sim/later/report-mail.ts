/**
 * The two report formats receivers mail back, written out as the RFCs lay them out:
 *
 * - ARF (RFC 5965): `multipart/report; report-type=feedback-report` with a human part, a
 *   `message/feedback-report` part (Feedback-Type, User-Agent, Version, Original-Mail-From,
 *   Arrival-Date, Source-IP, Original-Rcpt-To, Reported-Domain) and the original message's
 *   headers (`text/rfc822-headers`, which §2 allows in place of the whole message);
 * - DSN (RFC 3464): `multipart/report; report-type=delivery-status` with Postfix's notice, a
 *   `message/delivery-status` part (per-message Reporting-MTA and Arrival-Date, per-recipient
 *   Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code) and the original headers.
 *
 * Built as text, deterministically (boundaries and ids come from the caller), on the shared
 * multipart/report writer (kernel/smtp/report-format.ts) the reference engine's own DSNs use too,
 * and checked by the tests with mailparser, which is how a sender would read them.
 */
import { fieldBlock, multipartReport, replyText, rfc5322Date } from '../../kernel/index.ts';
import type { ReportEnvelope } from '../../kernel/index.ts';
export type { ReportEnvelope } from '../../kernel/index.ts';
import type { AsyncBounceEvent, ComplaintEvent } from './events.ts';

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

export function arfReport(event: ComplaintEvent, envelope: ReportEnvelope, userAgent: string): string {
  const feedback = fieldBlock([
    ['Feedback-Type', 'abuse'],
    ['User-Agent', userAgent],
    ['Version', '1'],
    ['Original-Mail-From', `<${event.mailFrom}>`],
    ['Original-Rcpt-To', `<${event.recipient}>`],
    ['Arrival-Date', rfc5322Date(event.arrivalMs)],
    ['Source-IP', event.peerIp],
    ['Reported-Domain', domainOf(event.mailFrom)],
  ]);
  return multipartReport({
    envelope,
    reportType: 'feedback-report',
    subject: 'Abuse report',
    parts: [
      {
        type: 'text/plain; charset=us-ascii',
        body: `This is an email abuse report for an email message received from IP ${event.peerIp} on ${rfc5322Date(event.arrivalMs)}.\r\nA recipient marked it as spam.`,
      },
      { type: 'message/feedback-report', body: feedback },
      { type: 'text/rfc822-headers', body: event.originalHeaders },
    ],
  });
}

export function dsnReport(event: AsyncBounceEvent, envelope: ReportEnvelope): string {
  const diagnostic = `${event.reply.code} ${event.reply.enhanced === null ? '' : `${event.reply.enhanced} `}${replyText(event.reply)}`;
  const status = event.reply.enhanced ?? (event.reply.code >= 500 ? '5.0.0' : '4.0.0');
  const perMessage = fieldBlock([
    ['Reporting-MTA', `dns; ${event.reportingMta}`],
    ['Arrival-Date', rfc5322Date(event.arrivalMs)],
  ]);
  const perRecipient = fieldBlock([
    ['Final-Recipient', `rfc822; ${event.recipient}`],
    ['Action', status.startsWith('5') ? 'failed' : 'delayed'],
    ['Status', status],
    ['Remote-MTA', `dns; ${event.reportingMta}`],
    ['Diagnostic-Code', `smtp; ${diagnostic}`],
  ]);
  return multipartReport({
    envelope,
    reportType: 'delivery-status',
    subject: 'Undelivered Mail Returned to Sender',
    parts: [
      { type: 'text/plain; charset=us-ascii', body: postfixNotice(event, diagnostic) },
      { type: 'message/delivery-status', body: `${perMessage}\r\n\r\n${perRecipient}` },
      { type: 'text/rfc822-headers', body: event.originalHeaders },
    ],
  });
}

/** Postfix's bounce(8) notice: the template's fixed sentences, then the recipient and the reply. */
function postfixNotice(event: AsyncBounceEvent, diagnostic: string): string {
  return [
    `This is the mail system at host ${event.reportingMta}.`,
    '',
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    '',
    'For further assistance, please send mail to postmaster.',
    '',
    '                   The mail system',
    '',
    `<${event.recipient}>: host ${event.reportingMta} said: ${diagnostic} (in reply to RCPT TO command)`,
  ].join('\r\n');
}
