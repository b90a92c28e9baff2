/**
 * The bench's return-path mailbox: where receivers' reports land (DSNs to the envelope
 * sender, ARF complaints to the feedback address). It reads each one as a sender would, with
 * mailparser, and counts what it could read. For an MTA the bench knows only from outside
 * (issue: smtp-relay adapter), the DSNs arriving here are how its decisions are learned.
 *
 * In sim mode reports are handed to `receive` in-process; in wire mode `listen` puts an SMTP
 * listener (smtp-server) on a loopback address, the sender domain's MX in the sim DNS.
 */
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream } from 'smtp-server';
import { readInboundReport } from '../mta-under-test/index.ts';
import type { BounceFormat, BounceWriter } from '../mta-under-test/index.ts';
import { isLoopbackIpv4, listenSmtp } from '../kernel/index.ts';

/** What one report said, as far as the reader could tell. */
export interface ReadReport {
  readonly kind: 'arf' | 'dsn' | 'unreadable';
  /** The original recipient: ARF Original-Rcpt-To, DSN Final-Recipient. */
  readonly recipient?: string;
  /** DSN Status (e.g. 5.1.1) or ARF Feedback-Type (e.g. abuse). */
  readonly status?: string;
  /** How a DSN was written: RFC 3464, status fields found elsewhere, a prose notice, SES JSON. */
  readonly format?: BounceFormat;
  /** The MTA whose bounce template it is, when recognised (Exchange, Sendmail, qmail …). */
  readonly writer?: BounceWriter;
  /** Why an unreadable message is not a report. */
  readonly reason?: string;
}

export interface InboxCounts {
  readonly arf: number;
  readonly dsn: number;
  /** Messages that were neither a feedback report nor a delivery status report. */
  readonly unreadable: number;
  /** The DSNs by the format they were written in (only formats seen). @since 0.4 */
  readonly dsnFormats: Readonly<Partial<Record<BounceFormat, number>>>;
  /** The DSNs by the MTA that wrote them (`unrecognised` when no signature was found). @since 0.4 */
  readonly dsnWriters: Readonly<Record<string, number>>;
}

/** Reports bigger than this are refused at DATA (ours are a few KB). */
const REPORT_BYTES_MAX = 1024 * 1024;

export class ReturnPathInbox {
  private readonly counts = { arf: 0, dsn: 0, unreadable: 0 };
  private readonly formats = new Map<string, number>();
  private readonly writers = new Map<string, number>();
  private readonly reading = new Set<Promise<unknown>>();
  private readonly reports: ReadReport[] = [];
  private readonly forwards: ((raw: string | Buffer, envelopeRecipient: string | undefined) => Promise<void>)[] = [];

  /**
   * Hands every message received on to `forward` as well (the sender's own report intake, for
   * a sender whose MX this inbox stands for); the message counts as read once it resolved.
   */
  forwardTo(forward: (raw: string | Buffer, envelopeRecipient: string | undefined) => Promise<void>): void {
    this.forwards.push(forward);
  }

  /** Reads one report and counts it; never rejects (an unreadable report is counted as such). */
  receive(raw: string | Buffer, envelopeRecipient?: string): Promise<ReadReport> {
    const read = readReport(raw).then(async (report) => {
      this.counts[report.kind]++;
      if (report.kind === 'dsn') {
        increment(this.formats, report.format ?? 'rfc3464');
        increment(this.writers, report.writer ?? 'unrecognised');
      }
      this.reports.push(report);
      await Promise.all(this.forwards.map((forward) => forward(raw, envelopeRecipient)));
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
    // Sorted by name, so a report is the same whatever order reports were read in.
    return { ...this.counts, dsnFormats: sortedCounts(this.formats), dsnWriters: sortedCounts(this.writers) };
  }

  read(): readonly ReadReport[] {
    return this.reports;
  }

  /** An SMTP listener on a loopback address that takes any report and reads it. */
  async listen(address: string, hostname: string): Promise<{ readonly port: number; close(): Promise<void> }> {
    if (!isLoopbackIpv4(address))
      throw new RangeError(`listeners bind loopback only (127.0.0.0/8); refusing ${address}`);
    const server = new SMTPServer({
      name: hostname,
      size: REPORT_BYTES_MAX,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 1_000,
      onData: (stream: SMTPServerDataStream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            callback(
              Object.assign(new Error(`message exceeds the report size limit of ${REPORT_BYTES_MAX} bytes`), {
                responseCode: 552,
              }),
            );
            return;
          }
          // Accepted means kept: the reply goes out once the report has been read and counted.
          void this.receive(Buffer.concat(chunks), session.envelope.rcptTo[0]?.address).then(() =>
            callback(null, 'report received'),
          );
        });
      },
    });
    const listening = await listenSmtp(server, { address, name: 'return-path listener' });
    return { port: listening.port, close: () => listening.close() };
  }
}

/**
 * Reads a report with the engine's inbound parser (mta-under-test/reference/inbound), the one
 * reader of report mail in the project, and keeps what the inbox counts: the kind, the
 * recipient (ARF Original-Rcpt-To, the first DSN block's Final-Recipient) and the status (DSN
 * Status, ARF Feedback-Type). An ARF report whose recipient is redacted keeps no recipient.
 */
export async function readReport(raw: string | Buffer): Promise<ReadReport> {
  const report = await readInboundReport(raw);
  switch (report.kind) {
    case 'unreadable':
      return { kind: 'unreadable', reason: report.reason };
    case 'arf': {
      const recipient = report.originalRcptTo[0];
      return { kind: 'arf', ...(recipient === undefined ? {} : { recipient }), status: report.feedbackType };
    }
    case 'dsn': {
      const first = report.recipients[0];
      return first === undefined
        ? { kind: 'unreadable', reason: 'a DSN without recipients' }
        : {
            kind: 'dsn',
            recipient: first.finalRecipient,
            status: first.status,
            format: report.format,
            ...(report.writer === undefined ? {} : { writer: report.writer }),
          };
    }
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}
