/**
 * The bench's return-path mailbox: where receivers' reports land (DSNs to the envelope
 * sender, ARF complaints to the feedback address). It reads each one as a sender would, with
 * mailparser, and counts what it could read. For an MTA the bench knows only from outside
 * (issue: smtp-relay adapter), the DSNs arriving here are how its decisions are learned.
 *
 * In sim mode reports are handed to `receive` in-process; in wire mode `listen` puts an SMTP
 * listener (smtp-server) on a loopback address, the sender domain's MX in the sim DNS.
 */
import { simpleParser } from 'mailparser';
import type { HeaderValue, StructuredHeader } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream } from 'smtp-server';
import { isLoopbackIpv4 } from '../sim/net/loopback.ts';

/** What one report said, as far as the reader could tell. */
export interface ReadReport {
  readonly kind: 'arf' | 'dsn' | 'unreadable';
  /** The original recipient: ARF Original-Rcpt-To, DSN Final-Recipient. */
  readonly recipient?: string;
  /** DSN Status (e.g. 5.1.1) or ARF Feedback-Type (e.g. abuse). */
  readonly status?: string;
}

export interface InboxCounts {
  readonly arf: number;
  readonly dsn: number;
  /** Messages that were neither a feedback report nor a delivery status report. */
  readonly unreadable: number;
}

/** Reports bigger than this are refused at DATA (ours are a few KB). */
const REPORT_BYTES_MAX = 1024 * 1024;

export class ReturnPathInbox {
  private readonly counts = { arf: 0, dsn: 0, unreadable: 0 };
  private readonly reading = new Set<Promise<unknown>>();
  private readonly reports: ReadReport[] = [];

  /** Reads one report and counts it; never rejects (an unreadable report is counted as such). */
  receive(raw: string | Buffer): Promise<ReadReport> {
    const read = readReport(raw).then((report) => {
      this.counts[report.kind]++;
      this.reports.push(report);
      return report;
    });
    this.reading.add(read);
    void read.finally(() => this.reading.delete(read));
    return read;
  }

  /** Resolves once every report received so far has been read. */
  async drain(): Promise<void> {
    while (this.reading.size > 0) await Promise.all(this.reading);
  }

  tally(): InboxCounts {
    return { ...this.counts };
  }

  read(): readonly ReadReport[] {
    return this.reports;
  }

  /** An SMTP listener on a loopback address that takes any report and reads it. */
  async listen(address: string, hostname: string): Promise<{ readonly port: number; close(): Promise<void> }> {
    if (!isLoopbackIpv4(address)) throw new RangeError(`listeners bind loopback only (127.0.0.0/8); refusing ${address}`);
    const server = new SMTPServer({
      name: hostname,
      size: REPORT_BYTES_MAX,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 1_000,
      onData: (stream: SMTPServerDataStream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            callback(Object.assign(new Error(`message exceeds the report size limit of ${REPORT_BYTES_MAX} bytes`), { responseCode: 552 }));
            return;
          }
          // Accepted means kept: the reply goes out once the report has been read and counted.
          void this.receive(Buffer.concat(chunks)).then(() => callback(null, 'report received'));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.server.address();
    if (bound === null || typeof bound === 'string') throw new Error(`return-path listener on ${address} has no TCP address`);
    return { port: bound.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
}

/** Reads a multipart/report the way RFC 6522 lays it out; anything else is `unreadable`. */
export async function readReport(raw: string | Buffer): Promise<ReadReport> {
  let parsed;
  try {
    parsed = await simpleParser(raw);
  } catch {
    return { kind: 'unreadable' };
  }
  const contentType = parsed.headers.get('content-type');
  const reportType = isStructured(contentType) && contentType.value === 'multipart/report' ? contentType.params['report-type'] : undefined;
  if (reportType === 'feedback-report') {
    // mailparser keeps message/feedback-report as an attachment.
    const part = parsed.attachments.find((attachment) => attachment.contentType === 'message/feedback-report');
    const fields = part === undefined ? '' : part.content.toString('utf8');
    const recipient = field(fields, 'Original-Rcpt-To');
    const status = field(fields, 'Feedback-Type');
    if (part === undefined) return { kind: 'unreadable' };
    return { kind: 'arf', ...(recipient === undefined ? {} : { recipient }), ...(status === undefined ? {} : { status }) };
  }
  if (reportType === 'delivery-status') {
    // mailparser reads message/delivery-status as text and appends it to the text body.
    const text = parsed.text ?? '';
    const recipient = field(text, 'Final-Recipient')?.replace(/^rfc822;\s*/i, '');
    const status = field(text, 'Status');
    if (recipient === undefined || status === undefined) return { kind: 'unreadable' };
    return { kind: 'dsn', recipient, status };
  }
  return { kind: 'unreadable' };
}

function isStructured(header: HeaderValue | undefined): header is StructuredHeader {
  return typeof header === 'object' && header !== null && 'value' in header && 'params' in header;
}

/** A header-style field's value in a block of `Name: value` lines, without angle brackets. */
function field(block: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(block);
  return match?.[1]?.trim().replace(/^<(.*)>$/, '$1');
}
