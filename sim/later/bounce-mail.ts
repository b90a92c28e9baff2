/**
 * The bounce mails real relays write, beyond the plain RFC 3464 report of report-mail.ts, so
 * that a sender under test meets in a run the formats it meets in the wild:
 *
 * - `exchange`: Exchange Server and Exchange Online NDRs. RFC 3464, with Exchange's own human part
 *   ("Delivery has failed to these recipients or groups:" … "Remote Server returned '…'"),
 *   `rfc822;addr` and `smtp;550 …` without a space, and `X-Display-Name`.
 * - `sendmail`: Sendmail and the appliances built on it (Proofpoint Protection Server): RFC 3464
 *   whose notice lists "The following addresses had permanent fatal errors" and the session
 *   transcript (`>>> RCPT To:<a@b>` / `<<< 550 …`), upper-case `DNS;`, `RFC822;`, `SMTP;` types.
 * - `qmail`: qmail-send's plain-text notice, no MIME report at all ("Hi. This is the qmail-send
 *   program at …", `<a@b>:`, "Remote host said: …", "--- Below this line is a copy of the
 *   message."), still the bounce many small relays send.
 *
 * Built as text, deterministically, like report-mail.ts; each is read back by the tests the way a
 * sender reads it.
 */
import { fieldBlock, multipartReport, replyText, rfc5322Date } from '../../kernel/index.ts';
import type { ReportEnvelope } from '../../kernel/index.ts';
import type { AsyncBounceEvent } from './events.ts';

/** How a receiver writes the bounces it sends after accepting a message. */
export type BounceMailFormat = 'rfc3464' | 'exchange' | 'sendmail' | 'qmail';

function quotedReply(event: AsyncBounceEvent): string {
  return `${event.reply.code} ${event.reply.enhanced === null ? '' : `${event.reply.enhanced} `}${replyText(event.reply)}`;
}

function statusOf(event: AsyncBounceEvent): string {
  return event.reply.enhanced ?? (event.reply.code >= 500 ? '5.0.0' : '4.0.0');
}

function originalSubject(headers: string): string {
  return /^subject:[ \t]*([^\r\n]*)/im.exec(headers)?.[1] ?? '';
}

/** The customer's own server behind the relay, which refused the recipient. */
function downstreamOf(event: AsyncBounceEvent): string {
  return `mail.${event.recipient.slice(event.recipient.lastIndexOf('@') + 1)}`;
}

function localPart(address: string): string {
  return address.slice(0, address.lastIndexOf('@'));
}

export function exchangeNdr(event: AsyncBounceEvent, envelope: ReportEnvelope): string {
  const reply = quotedReply(event);
  const status = statusOf(event);
  const human = [
    'Delivery has failed to these recipients or groups:',
    '',
    event.recipient,
    "The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message. If the problem continues, please contact your helpdesk.",
    '',
    'Diagnostic information for administrators:',
    '',
    `Generating server: ${event.reportingMta}`,
    '',
    event.recipient,
    `Remote Server returned '${reply}'`,
    '',
    'Original message headers:',
    '',
    event.originalHeaders.trimEnd(),
  ].join('\r\n');
  const perMessage = fieldBlock([
    ['Reporting-MTA', `dns;${event.reportingMta}`],
    ['Received-From-MTA', `dns;${event.peerIp}`],
    ['Arrival-Date', rfc5322Date(event.arrivalMs)],
  ]);
  const perRecipient = fieldBlock([
    ['Final-Recipient', `rfc822;${event.recipient}`],
    ['Action', status.startsWith('5') ? 'failed' : 'delayed'],
    ['Status', status],
    ['Diagnostic-Code', `smtp;${reply}`],
    ['X-Display-Name', localPart(event.recipient)],
  ]);
  return multipartReport({
    envelope: { ...envelope, from: `Microsoft Outlook <postmaster@${event.reportingMta}>` },
    reportType: 'delivery-status',
    subject: `Undeliverable: ${originalSubject(event.originalHeaders)}`,
    headers: ['Auto-Submitted: auto-replied', 'X-MS-Exchange-Message-Is-Ndr:'],
    parts: [
      { type: 'text/plain; charset="us-ascii"', body: human },
      { type: 'message/delivery-status', body: `${perMessage}\r\n\r\n${perRecipient}` },
      { type: 'text/rfc822-headers', body: event.originalHeaders },
    ],
  });
}

export function sendmailDsn(event: AsyncBounceEvent, envelope: ReportEnvelope): string {
  const reply = quotedReply(event);
  const status = statusOf(event);
  const permanent = status.startsWith('5');
  const downstream = downstreamOf(event);
  const human = [
    `The original message was received at ${rfc5322Date(event.arrivalMs)}`,
    `from [${event.peerIp}]`,
    '',
    `   ----- The following addresses had ${permanent ? 'permanent fatal errors' : 'transient non-fatal errors'} -----`,
    `<${event.recipient}>`,
    `    (reason: ${reply})`,
    '',
    '   ----- Transcript of session follows -----',
    `... while talking to ${downstream}.:`,
    `>>> RCPT To:<${event.recipient}>`,
    `<<< ${reply}`,
    `${event.reply.code} ${status} <${event.recipient}>... ${permanent ? 'User unknown' : 'Deferred'}`,
  ].join('\r\n');
  const perMessage = fieldBlock([
    ['Reporting-MTA', `dns; ${event.reportingMta}`],
    ['Received-From-MTA', `DNS; [${event.peerIp}]`],
    ['Arrival-Date', rfc5322Date(event.arrivalMs)],
  ]);
  const perRecipient = fieldBlock([
    ['Final-Recipient', `RFC822; ${event.recipient}`],
    ['Action', permanent ? 'failed' : 'delayed'],
    ['Status', status],
    ['Remote-MTA', `DNS; ${downstream}`],
    ['Diagnostic-Code', `SMTP; ${reply}`],
    ['Last-Attempt-Date', rfc5322Date(event.atMs)],
  ]);
  return multipartReport({
    envelope: { ...envelope, from: `Mail Delivery Subsystem <MAILER-DAEMON@${event.reportingMta}>` },
    reportType: 'delivery-status',
    subject: permanent
      ? 'Returned mail: see transcript for details'
      : 'Warning: could not send message for past 4 hours',
    headers: ['Auto-Submitted: auto-generated (failure)'],
    parts: [
      { type: 'text/plain', body: human },
      { type: 'message/delivery-status', body: `${perMessage}\r\n\r\n${perRecipient}` },
      { type: 'text/rfc822-headers', body: event.originalHeaders },
    ],
  });
}

/**
 * qmail-send's bounce: one text/plain message, the original headers after the separator line.
 * qmail sends no delay warnings, so this is for permanent failures only (the postman writes a
 * transient one as RFC 3464).
 */
export function qmailBounce(event: AsyncBounceEvent, envelope: ReportEnvelope): string {
  const reply = quotedReply(event);
  const headers = [
    `From: MAILER-DAEMON@${event.reportingMta}`,
    `To: ${envelope.to}`,
    'Subject: failure notice',
    `Date: ${rfc5322Date(envelope.dateMs)}`,
    `Message-ID: <${envelope.id}@${envelope.domain}>`,
  ];
  const body = [
    `Hi. This is the qmail-send program at ${event.reportingMta}.`,
    "I'm afraid I wasn't able to deliver your message to the following addresses.",
    "This is a permanent error; I've given up. Sorry it didn't work out.",
    '',
    `<${event.recipient}>:`,
    `${downstreamOf(event)} does not like recipient.`,
    `Remote host said: ${reply}`,
    `Giving up on ${downstreamOf(event)}.`,
    '',
    '--- Below this line is a copy of the message.',
    '',
    event.originalHeaders.trimEnd(),
    '',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body.join('\r\n').replace(/\r?\n/g, '\r\n')}\r\n`;
}
