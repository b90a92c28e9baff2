/**
 * Which MTA wrote a bounce, from the signature each one leaves in its notice or headers. It
 * changes nothing in how a bounce is read or judged; it tells a report (and a user of
 * `mailbench bounces`) which formats were met. Signatures are the fixed sentences of each MTA's
 * bounce template, as found in the real bounces of ../shared/corpora/sisimai-dev-eml.
 */
export type BounceWriter =
  | 'exchange'
  | 'gmail'
  | 'yahoo'
  | 'amazon-ses'
  | 'zoho'
  | 'postfix'
  | 'exim'
  | 'sendmail'
  | 'qmail'
  | 'courier'
  | 'opensmtpd'
  | 'dragonfly'
  | 'domino';

// First match wins: services before the MTA software they run on (Yahoo's notice is qmail's).
const SIGNATURES: readonly (readonly [BounceWriter, RegExp])[] = [
  [
    'exchange',
    /^x-ms-exchange-|delivery has failed to these recipients or groups|diagnostic information for administrators|did not reach the following recipient\(s\)|\bmsexch:/im,
  ],
  [
    'gmail',
    /google tried to deliver your message|mailer-daemon@google(?:mail)?\.com|the response from the remote server was:/i,
  ],
  ['yahoo', /sorry, we were unable to deliver your message to the following address/i],
  ['amazon-ses', /^x-ses-outgoing:|@[\w.-]{0,200}amazonses\.com/im],
  ['zoho', /@mail\.zoho\.com|^x-mailer: zoho mail/im],
  ['postfix', /this is the (?:mail system|postfix program) at host|^x-postfix-queue-id:/im],
  ['exim', /this message was created automatically by mail delivery software/i],
  [
    'sendmail',
    /-{3,} (?:the following addresses had (?:permanent fatal|transient non-fatal) errors|transcript of session follows) -{3,}/i,
  ],
  ['qmail', /this is the qmail-send program|^--- below this line is a copy of the message/im],
  ['courier', /courier mail server at|this is a delivery status notification from/i],
  ['opensmtpd', /this is the mailer-daemon, please do not reply/i],
  ['dragonfly', /this is the dragonfly mail agent/i],
  ['domino', /\bdomino\b/i],
];

/** The writer whose signature the bounce's header section or notice carries, if any. */
export function bounceWriter(headers: string, notice: string): BounceWriter | undefined {
  const text = `${headers}\n${notice}`;
  return SIGNATURES.find(([, signature]) => signature.test(text))?.[0];
}
