/**
 * Hands the mail that reaches the bench's return path on to the engine service's inbound
 * listener (its MX for reports) over SMTP, as the sender domain's MX would relay it: from the
 * null reverse-path (reports never bounce) to the envelope recipient it was addressed to (what
 * VERP joins on), one transaction per message. The listener answers 250 only once the engine
 * has read and taken the report, so a resolved hand-on means the report is on its record.
 *
 * The engine's own DSNs to the envelope sender land on the return path too. Handed back, they
 * would be read as a receiver's later report: an AsyncBounce for a recipient the engine already
 * bounced. They are known by their Reporting-MTA, the engine's host name, and kept back.
 *
 * Never rejects: the return path's SMTP reply waits on it. A failure goes to `onError`.
 */
import { readInboundReport } from '../../reference/inbound/read-report.ts';
import { SmtpClientTransport } from '../../reference/transport/smtp-client.ts';
import { replyText } from '../../../kernel/index.ts';
import type { LoopbackRoute, ReturnMailListener } from '../mta-under-test.ts';

export interface ReturnMailForwardOptions {
  /** The engine's inbound listener. */
  readonly inbound: LoopbackRoute;
  /** The engine's host name: the Reporting-MTA of its own DSNs. */
  readonly engineHost: string;
  /** The loopback address the hand-on connects from. */
  readonly sourceIp: string;
  readonly onError: (error: Error) => void;
}

/** The name the hand-on gives in EHLO. */
const HELO_NAME = 'return-path.localhost';

export function returnMailForwarder(options: ReturnMailForwardOptions): ReturnMailListener {
  const transport = new SmtpClientTransport();
  const engineHost = options.engineHost.toLowerCase();
  return async (raw, envelopeRecipient) => {
    try {
      const report = await readInboundReport(raw);
      if (report.kind === 'dsn' && report.reportingMta?.toLowerCase() === engineHost) return;
      await handOn(
        transport,
        options,
        typeof raw === 'string' ? raw : raw.toString('utf8'),
        envelopeRecipient ?? `postmaster@${engineHost}`,
      );
    } catch (error) {
      options.onError(error instanceof Error ? error : new Error(String(error)));
    }
  };
}

async function handOn(
  transport: SmtpClientTransport,
  options: ReturnMailForwardOptions,
  data: string,
  recipient: string,
): Promise<void> {
  const { inbound } = options;
  const connected = await transport.connect({
    sourceIp: options.sourceIp,
    heloName: HELO_NAME,
    mxHost: options.engineHost,
    address: inbound.address,
    port: inbound.port,
    tls: 'disabled',
  });
  if (connected.kind !== 'open')
    throw new Error(
      `the engine's inbound listener at ${inbound.address}:${inbound.port} ${connected.kind === 'refused' ? `refused the connection: ${connected.reply.code}` : `could not be reached: ${connected.message}`}`,
    );
  try {
    const outcome = await connected.session.send({ envelope: { mailFrom: '', recipients: [recipient] }, data });
    const answer = outcome.recipients[0];
    if (answer?.kind !== 'reply' || answer.reply.code >= 400) {
      throw new Error(
        `the engine's inbound listener did not take a report to ${recipient}: ${answer?.kind === 'reply' ? `${answer.reply.code} ${replyText(answer.reply)}` : (answer?.message ?? 'no answer')}`,
      );
    }
  } finally {
    await connected.session.close();
  }
}
