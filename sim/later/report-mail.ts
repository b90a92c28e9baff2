/**
 * The two report formats receivers mail back, written out as the RFCs lay them out:
 *
 * - ARF (RFC 5965): `multipart/report; report-type=feedback-report` with a human part, a
 *   `message/feedback-report` part (Feedback-Type, User-Agent, Version, Original-Mail-From,
 *   Arrival-Date, Source-IP, Original-Rcpt-To, Reported-Domain) and the original message's
 *   headers (`text/rfc822-headers`, which §2 allows in place of the whole message);
 * - DSN (RFC 3464): `multipart/report; report-type=delivery-status` with a human part, a
 *   `message/delivery-status` part (per-message Reporting-MTA and Arrival-Date, per-recipient
 *   Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code) and the original headers.
 *
 * Built as text, deterministically (boundaries and ids come from the caller), and checked by
 * the tests with mailparser, which is how a sender would read them.
 */
import { replyText } from '../smtp/reply.ts';
import type { AsyncBounceEvent, ComplaintEvent } from './events.ts';

export interface ReportEnvelope {
  /** Who sends the report, e.g. `Yahoo CFL <feedback@yahoo.com>`. */
  readonly from: string;
  readonly to: string;
  readonly dateMs: number;
  /** Unique token: the Message-ID's local part and the MIME boundary. */
  readonly id: string;
  /** The reporting host's domain (Message-ID right-hand side). */
  readonly domain: string;
}

function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

function multipartReport(envelope: ReportEnvelope, reportType: string, subject: string, parts: readonly { type: string; body: string }[]): string {
  const boundary = `=_mailbench_${envelope.id}`;
  const headers = [
    `From: ${envelope.from}`,
    `To: <${envelope.to}>`,
    `Subject: ${subject}`,
    `Date: ${rfc5322Date(envelope.dateMs)}`,
    `Message-ID: <${envelope.id}@${envelope.domain}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=${reportType}; boundary="${boundary}"`,
  ];
  const body = parts.map((part) => `--${boundary}\r\nContent-Type: ${part.type}\r\n\r\n${part.body.replace(/\r?\n/g, '\r\n').replace(/(\r\n)*$/, '')}\r\n`).join('');
  return `${headers.join('\r\n')}\r\n\r\n${body}--${boundary}--\r\n`;
}

export function arfReport(event: ComplaintEvent, envelope: ReportEnvelope, userAgent: string): string {
  const feedback = [
    'Feedback-Type: abuse',
    `User-Agent: ${userAgent}`,
    'Version: 1',
    `Original-Mail-From: <${event.mailFrom}>`,
    `Original-Rcpt-To: <${event.recipient}>`,
    `Arrival-Date: ${rfc5322Date(event.arrivalMs)}`,
    `Source-IP: ${event.peerIp}`,
    `Reported-Domain: ${domainOf(event.mailFrom)}`,
  ].join('\r\n');
  return multipartReport(envelope, 'feedback-report', 'Abuse report', [
    { type: 'text/plain; charset=us-ascii', body: `This is an email abuse report for an email message received from IP ${event.peerIp} on ${rfc5322Date(event.arrivalMs)}.\r\nA recipient marked it as spam.` },
    { type: 'message/feedback-report', body: feedback },
    { type: 'text/rfc822-headers', body: event.originalHeaders },
  ]);
}

export function dsnReport(event: AsyncBounceEvent, envelope: ReportEnvelope): string {
  const diagnostic = `${event.reply.code} ${event.reply.enhanced === null ? '' : `${event.reply.enhanced} `}${replyText(event.reply)}`;
  const status = event.reply.enhanced ?? (event.reply.code >= 500 ? '5.0.0' : '4.0.0');
  const perMessage = [`Reporting-MTA: dns; ${event.reportingMta}`, `Arrival-Date: ${rfc5322Date(event.arrivalMs)}`].join('\r\n');
  const perRecipient = [
    `Final-Recipient: rfc822; ${event.recipient}`,
    `Action: ${status.startsWith('5') ? 'failed' : 'delayed'}`,
    `Status: ${status}`,
    `Remote-MTA: dns; ${event.reportingMta}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
  ].join('\r\n');
  return multipartReport(envelope, 'delivery-status', 'Undelivered Mail Returned to Sender', [
    { type: 'text/plain; charset=us-ascii', body: `Your message to <${event.recipient}> could not be delivered.\r\n\r\n${diagnostic}` },
    { type: 'message/delivery-status', body: `${perMessage}\r\n\r\n${perRecipient}` },
    { type: 'text/rfc822-headers', body: event.originalHeaders },
  ]);
}
