/**
 * What an inbound report says, as data: a DSN (RFC 3464), an ARF complaint (RFC 5965), or a
 * message that is neither, with the reason. This is the one reading of report mail in the
 * project: the engine's intake (join.ts) and the bench's return-path inbox both use it.
 *
 * Field values are kept as the report wrote them, unfolded and trimmed, with the address-type
 * prefix (`rfc822;`) and angle brackets removed from addresses. Optional fields are omitted
 * when the report has none.
 */
import type { SmtpStage } from '../../../kernel/index.ts';
import type { BounceWriter } from './bounce-writer.ts';

/** The original message's headers, when the report includes them (RFC 3464 §2, RFC 5965 §2). */
export interface OriginalHeaders {
  /** The header section as text (CRLF line ends), folded as it came. */
  readonly text: string;
  /** The Message-ID without angle brackets. */
  readonly messageId?: string;
  /** The correlation header's value (`X-Mailbench-Ref`), see verp.ts. */
  readonly ref?: string;
  /** The first address of the To header. */
  readonly to?: string;
}

/** One per-recipient block of a DSN (RFC 3464 §2.3). */
export interface DsnRecipientBlock {
  /** Final-Recipient (§2.3.2), the address only. */
  readonly finalRecipient: string;
  /** Original-Recipient (§2.3.1), the address only. */
  readonly originalRecipient?: string;
  /** Action (§2.3.3), lowercased: `failed`, `delayed`, `delivered`, `relayed`, `expanded`. */
  readonly action: string;
  /** Status (§2.3.4), e.g. `5.1.1`, with any trailing comment removed. */
  readonly status: string;
  /** Diagnostic-Code (§2.3.6) as written, e.g. `smtp; 550 5.1.1 User unknown`. */
  readonly diagnosticCode?: string;
  /** Remote-MTA (§2.3.5), the host name only. */
  readonly remoteMta?: string;
  readonly lastAttemptDate?: string;
  readonly willRetryUntil?: string;
  /** The SMTP command the remote reply answered, when the bounce says (smtp-command.ts). */
  readonly smtpCommand?: SmtpStage;
}

interface InboundReportBase {
  /** The envelope recipient the report was delivered to (the VERP return path), when known. */
  readonly envelopeRecipient?: string;
  /** The report's own From address. */
  readonly from?: string;
  /** The report's own Message-ID, without angle brackets. */
  readonly messageId?: string;
  /**
   * The report's In-Reply-To, without angle brackets: Exchange and Gmail name the original
   * Message-ID there, which still joins a report that does not include the original headers.
   */
  readonly inReplyTo?: string;
}

/**
 * How a bounce was written: `rfc3464` a multipart/report of report-type delivery-status;
 * `rfc3464-loose` delivery-status fields found elsewhere (a DSN wrapped in multipart/mixed, a
 * report without report-type, fields in the text); `prose` a notice without status fields (qmail,
 * Exim, Domino, Yahoo …), read by plain-bounce.ts; `ses-json` an Amazon SES notification
 * (ses-notification.ts).
 */
export type BounceFormat = 'rfc3464' | 'rfc3464-loose' | 'prose' | 'ses-json';

export interface InboundDsn extends InboundReportBase {
  readonly kind: 'dsn';
  readonly format: BounceFormat;
  /** The MTA whose bounce template this is, when its signature is found (bounce-writer.ts). */
  readonly writer?: BounceWriter;
  /** Reporting-MTA (§2.2.2), the host name only. */
  readonly reportingMta?: string;
  readonly arrivalDate?: string;
  readonly originalEnvelopeId?: string;
  /** Every per-recipient block, in order; at least one. */
  readonly recipients: readonly DsnRecipientBlock[];
  readonly original?: OriginalHeaders;
}

export interface InboundArf extends InboundReportBase {
  readonly kind: 'arf';
  /** Feedback-Type (RFC 5965 §3.1), lowercased, e.g. `abuse`. */
  readonly feedbackType: string;
  readonly userAgent?: string;
  readonly version?: string;
  /** Original-Rcpt-To (§3.3), every occurrence, addresses only; empty when redacted or absent. */
  readonly originalRcptTo: readonly string[];
  readonly originalMailFrom?: string;
  readonly sourceIp?: string;
  readonly arrivalDate?: string;
  readonly reportingMta?: string;
  readonly reportedDomain?: string;
  readonly original?: OriginalHeaders;
}

export interface UnreadableReport extends InboundReportBase {
  readonly kind: 'unreadable';
  /** What is wrong, e.g. `not a multipart/report (Content-Type text/plain)`. */
  readonly reason: string;
}

export type InboundReport = InboundDsn | InboundArf | UnreadableReport;
