/**
 * The engine's inbound MX for reports: an SMTP listener (smtp-server) where DSNs to the VERP
 * return paths and ARF complaints to the feedback address arrive. A thin adapter: it reads each
 * message with `readInboundReport` and hands it to `onReport`; joining and counting are the
 * caller's (intake.ts).
 *
 * Accepted means kept (RFC 5321 §6.1: a 250 takes responsibility for the message). The 250
 * goes out only after the report was parsed and `onReport` resolved; if `onReport` throws, the
 * answer is 451 and the sender keeps the message and tries again.
 *
 * Mail that is not a report: accepting and dropping it is what RFC 5321 §6.1 forbids, so it is
 * either kept or refused, never swallowed. The default, `keep-null-sender`, decides by who
 * could hear a refusal:
 * - from a non-null sender (a person replying to a bounce address, an auto-responder) it is
 *   refused with `550 5.6.0` and the reason, so the sender learns at once that this address
 *   takes only reports;
 * - from the null sender (a legacy bounce in a format this reader does not know, plain text
 *   from an old MTA) it is accepted and handed over as `unreadable`: a refusal would be lost,
 *   because a message from <> can never be bounced back (RFC 5321 §4.5.5), so keeping it is
 *   the only way it reaches a person.
 * `keep` and `reject` apply one answer to both.
 *
 * One recipient per transaction: the envelope recipient is what VERP joins on, so a second
 * RCPT gets `452 4.5.3` and the client sends it in another transaction (RFC 5321 §4.5.3.1.10).
 * Loopback only (DESIGN rule 6), no TLS and no AUTH: it is a bench-internal MX.
 */
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { isLoopbackIpv4, listenSmtp } from '../../../kernel/index.ts';
import { readInboundReport } from './read-report.ts';
import type { InboundReport } from './report.ts';

export type NonReportPolicy = 'keep-null-sender' | 'keep' | 'reject';

/** One report as it arrived. */
export interface InboundDelivery {
  readonly report: InboundReport;
  /** The message as received. */
  readonly raw: Buffer;
  /** The envelope sender; `''` for the null reverse-path (what reports use). */
  readonly mailFrom: string;
  /** The envelope recipient: a VERP return path or the feedback address. */
  readonly recipient: string;
  readonly remoteAddress: string;
  readonly heloName: string;
}

export interface InboundListenerOptions {
  /** A loopback address (127.0.0.0/8); anything else is refused. */
  readonly address: string;
  /** @defaultValue 0 (an ephemeral port) */
  readonly port?: number;
  /** The greeting and EHLO name, e.g. `mx.news.example`. */
  readonly hostname: string;
  /** Receives every accepted message; the 250 waits for it to resolve. */
  readonly onReport: (delivery: InboundDelivery) => void | Promise<void>;
  /**
   * Messages larger than this are refused (552 5.3.4) and the limit is advertised as SIZE.
   * @defaultValue 4 MiB: DSNs with the whole original message (Exchange, Gmail) fit; Postfix
   * returns at most 50 000 bytes of it (bounce_size_limit).
   */
  readonly reportBytesMax?: number;
  /** @defaultValue 'keep-null-sender' (see the file comment) */
  readonly nonReports?: NonReportPolicy;
}

export interface InboundListener {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export const REPORT_BYTES_MAX_DEFAULT = 4 * 1024 * 1024;

/** Is this non-report kept (true) or refused (false)? */
export function keepsNonReport(policy: NonReportPolicy, mailFrom: string): boolean {
  if (policy === 'keep') return true;
  if (policy === 'reject') return false;
  return mailFrom === '';
}

export async function startInboundListener(options: InboundListenerOptions): Promise<InboundListener> {
  if (!isLoopbackIpv4(options.address))
    throw new RangeError(`the inbound listener binds loopback only (127.0.0.0/8); refusing ${options.address}`);
  const reportBytesMax = options.reportBytesMax ?? REPORT_BYTES_MAX_DEFAULT;
  if (!(Number.isInteger(reportBytesMax) && reportBytesMax > 0))
    throw new RangeError(`reportBytesMax must be a whole number of bytes > 0 (got ${reportBytesMax})`);
  const nonReports = options.nonReports ?? 'keep-null-sender';
  const server = new SMTPServer({
    name: options.hostname,
    banner: 'reports only',
    size: reportBytesMax,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1_000,
    onRcptTo: (_address, session, callback) => {
      if (session.envelope.rcptTo.length >= 1) {
        callback(smtpError(452, '4.5.3 one recipient per report transaction; send the others in another transaction'));
        return;
      }
      callback();
    },
    onData: (stream, session, callback) => {
      collect(stream, reportBytesMax, (raw) => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, `5.3.4 message exceeds the report size limit of ${reportBytesMax} bytes`));
          return;
        }
        // `take` does not reject, but if it ever did the client must still get an answer.
        void take(raw, session, { onReport: options.onReport, nonReports })
          .catch((error: unknown) => ({
            code: 451,
            text: `4.3.0 report not read, try again later: ${oneLine(error instanceof Error ? error.message : String(error))}`,
          }))
          .then((answer) =>
            callback(
              answer.code === 250 ? null : smtpError(answer.code, answer.text),
              answer.code === 250 ? answer.text : undefined,
            ),
          );
      });
    },
  });
  return listenSmtp(server, { address: options.address, port: options.port, name: 'inbound listener' });
}

/** Buffers the message, but no more than the limit: past it the message is refused anyway. */
function collect(stream: SMTPServerDataStream, bytesMax: number, done: (raw: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  stream.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes <= bytesMax) chunks.push(chunk);
  });
  stream.on('end', () => done(Buffer.concat(chunks)));
}

/** Reads, decides and hands over one message; resolves with the answer to give. */
async function take(
  raw: Buffer,
  session: SMTPServerSession,
  options: { onReport: InboundListenerOptions['onReport']; nonReports: NonReportPolicy },
): Promise<{ code: number; text: string }> {
  const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
  const recipient = session.envelope.rcptTo[0]?.address ?? '';
  const report = await readInboundReport(raw, { envelopeRecipient: recipient });
  if (report.kind === 'unreadable' && !keepsNonReport(options.nonReports, mailFrom)) {
    return { code: 550, text: `5.6.0 this address takes only DSN and ARF reports: ${oneLine(report.reason)}` };
  }
  try {
    await options.onReport({
      report,
      raw,
      mailFrom,
      recipient,
      remoteAddress: session.remoteAddress,
      heloName: session.hostNameAppearsAs,
    });
  } catch (error) {
    return {
      code: 451,
      text: `4.3.0 report not kept, try again later: ${oneLine(error instanceof Error ? error.message : String(error))}`,
    };
  }
  return {
    code: 250,
    text: `2.6.0 ${report.kind === 'unreadable' ? 'message kept (not a report)' : `${report.kind} report kept`}`,
  };
}

function smtpError(code: number, text: string): Error {
  // The wire edge: smtp-server reads the reply code from the error (STYLE §1.1).
  return Object.assign(new Error(text), { responseCode: code });
}

function oneLine(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
