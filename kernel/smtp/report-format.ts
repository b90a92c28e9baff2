/**
 * The multipart/report message both sides of the bench write: receivers for their ARF
 * complaints and DSNs (sim/later/report-mail.ts), the reference engine for its own DSNs to the
 * envelope sender (mta-under-test/reference/dsn/). It lives in kernel/smtp, next to reply.ts,
 * because it is protocol vocabulary that neither side owns.
 *
 * RFC 6522 §3: a `multipart/report` has a human-readable first part, a machine-readable second
 * part named by the `report-type` parameter, and optionally the original message or its
 * headers. Everything here is text built deterministically from its inputs: ids, boundaries
 * and dates are parameters, so the same inputs give the same bytes (DESIGN rule 1).
 */
import type { EpochMs } from '../clock/clock.ts';

/** The report message's own envelope and identity. */
export interface ReportEnvelope {
  /** Who sends the report, e.g. `Yahoo CFL <feedback@yahoo.com>`. */
  readonly from: string;
  /** The addressee, a bare address (written as `To: <…>`). */
  readonly to: string;
  readonly dateMs: EpochMs;
  /**
   * Unique token: the Message-ID's local part and the MIME boundary's tail. Letters, digits and
   * `. _ = + -` only, so that it is both a dot-atom (RFC 5322 §3.6.4) and a boundary (RFC 2046 §5.1.1).
   */
  readonly id: string;
  /** The reporting host's domain (Message-ID right-hand side). */
  readonly domain: string;
}

/** One body part: its Content-Type and its text. */
export interface ReportPart {
  readonly type: string;
  readonly body: string;
}

export interface MultipartReportInput {
  readonly envelope: ReportEnvelope;
  /** RFC 6522 `report-type`: `delivery-status` (RFC 3464) or `feedback-report` (RFC 5965). */
  readonly reportType: string;
  readonly subject: string;
  readonly parts: readonly ReportPart[];
  /** Further header lines (`Name: value`), written after Message-ID, e.g. `Auto-Submitted: auto-replied`. */
  readonly headers?: readonly string[];
}

const REPORT_ID = /^[A-Za-z0-9._=+-]{1,50}$/;

/**
 * An RFC 5322 §3.3 date-time in UTC, e.g. `Mon, 05 Jan 2026 00:00:00 +0000`. Takes the time as
 * a value: reading the clock is the caller's business.
 */
export function rfc5322Date(ms: EpochMs): string {
  // Four-digit years only: RFC 5322 §3.3 allows more, but nothing reads them.
  if (!Number.isFinite(ms) || ms < Date.UTC(1900, 0, 1) || ms >= Date.UTC(10000, 0, 1)) {
    throw new RangeError(`report date must be a time between the years 1900 and 9999 in epoch ms (got ${ms})`);
  }
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/**
 * `Name: value` lines joined by CRLF, the syntax of RFC 3464 and RFC 5965 field blocks. Absent
 * values are left out, so optional fields can be listed in place. Values are written as
 * given: CR and LF inside a value are turned into spaces so a value can never end the block.
 */
export function fieldBlock(fields: readonly (readonly [name: string, value: string | undefined])[]): string {
  return fields
    .filter((field): field is readonly [string, string] => field[1] !== undefined)
    .map(([name, value]) => `${name}: ${value.replace(/[\r\n]+/g, ' ')}`)
    .join('\r\n');
}

/**
 * The header section of an RFC 5322 message (everything before the first empty line), with
 * CRLF line ends and a final CRLF: the body of a `text/rfc822-headers` part (RFC 6522 §4).
 */
export function headerSection(message: string): string {
  const normalised = message.replace(/\r?\n/g, '\r\n');
  const end = normalised.indexOf('\r\n\r\n');
  const headers = end === -1 ? normalised : normalised.slice(0, end);
  return headers.length === 0 || headers.endsWith('\r\n') ? headers : `${headers}\r\n`;
}

/**
 * Writes a `multipart/report` (RFC 6522) with CRLF line ends. Each part's body is normalised to
 * CRLF and stripped of trailing empty lines, so part bodies may be written with `\n`.
 */
export function multipartReport(input: MultipartReportInput): string {
  const { envelope } = input;
  if (!REPORT_ID.test(envelope.id)) {
    throw new RangeError(
      `report id "${envelope.id}" must be 1 to 50 letters, digits or . _ = + - (it is the Message-ID local part and the MIME boundary)`,
    );
  }
  const boundary = `=_mailbench_${envelope.id}`;
  const headers = [
    `From: ${envelope.from}`,
    `To: <${envelope.to}>`,
    `Subject: ${input.subject}`,
    `Date: ${rfc5322Date(envelope.dateMs)}`,
    `Message-ID: <${envelope.id}@${envelope.domain}>`,
    ...(input.headers ?? []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=${input.reportType}; boundary="${boundary}"`,
  ];
  const body = input.parts
    .map(
      (part) =>
        `--${boundary}\r\nContent-Type: ${part.type}\r\n\r\n${part.body.replace(/\r?\n/g, '\r\n').replace(/(\r\n)*$/, '')}\r\n`,
    )
    .join('');
  return `${headers.join('\r\n')}\r\n\r\n${body}--${boundary}--\r\n`;
}

/**
 * Folds one `Name: value` line at spaces so that no line is longer than `widthMax` where a
 * space allows it (RFC 5322 §2.2.3: fold by inserting CRLF before whitespace; §2.1.1: lines
 * SHOULD be at most 78 characters and MUST be at most 998). A run without spaces longer
 * than that stays whole, since folding may only happen at whitespace.
 */
export function foldField(line: string, widthMax = 78): string {
  if (line.length <= widthMax) return line;
  const words = line.split(' ');
  const lines: string[] = [];
  let current = words[0] ?? '';
  for (const word of words.slice(1)) {
    if (current.length + 1 + word.length > widthMax && current.trim().length > 0) {
      lines.push(current);
      current = ` ${word}`;
    } else {
      current += ` ${word}`;
    }
  }
  lines.push(current);
  return lines.join('\r\n');
}
