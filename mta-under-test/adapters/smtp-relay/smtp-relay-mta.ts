/**
 * The `smtp-relay` MTA under test: any MTA that takes mail by SMTP, known only from outside.
 * The bench hands it each message over SMTP with DSN parameters (RFC 3461: ENVID, NOTIFY=
 * SUCCESS,FAILURE,DELAY, ORCPT, RET=HDRS), the MTA delivers into the fleet by the routes the
 * environment gives, and its decisions come back as the DSNs it sends to the envelope sender,
 * whose domain routes to the bench's return-path listener (relay-ledger.ts reads them). The
 * receivers' truth is the other half: scoring pairs each final outcome with the receiver's last
 * answer (`sees: 'outcomes'`), since a relay says nothing of the attempts it retried.
 *
 * The bench cannot configure an MTA it knows nothing about, so the caller does: `prepare` gets
 * the environment (the routes as a map, and as files in the work dir: relay-files.ts) and
 * starts or points the MTA at them, returning where it takes mail. A relay that does not offer
 * DSN is refused at start: without success notices no delivery could be learned.
 */
import { isLoopbackIpv4, MailbenchError } from '../../../kernel/index.ts';
import type { EpochMs } from '../../../kernel/index.ts';
import type { AccountingRecord } from '../../accounting.ts';
import { readInboundReport } from '../../reference/inbound/read-report.ts';
import type { LoopbackRoute, MtaEnvironment, MtaMessage, MtaUnderTest } from '../mta-under-test.ts';
import { INJECTOR_HELO, listFailures, submitOverSmtp } from '../smtp-submission.ts';
import { ehloKeywords } from './ehlo-keywords.ts';
import { RelayLedger } from './relay-ledger.ts';
import type { LedgerTally } from './relay-ledger.ts';
import { writeRelayFiles } from './relay-files.ts';

/** What `prepare` returns: where the MTA takes mail, and how to stop it if the bench started it. */
export interface PreparedRelay {
  readonly submission: LoopbackRoute;
  /** The MTA's own version string, for the report. @defaultValue `unknown` */
  readonly version?: string;
  readonly stop?: () => Promise<void>;
}

export interface SmtpRelayOptions {
  /** The name the report gives the engine. @defaultValue `smtp-relay` */
  readonly name?: string;
  /** Starts or configures the MTA for this run's environment. */
  readonly prepare: (environment: MtaEnvironment) => Promise<PreparedRelay>;
  /** The run's clock, which dates every record (the factory form of runScenarioWithMta gives it). */
  readonly nowMs: () => EpochMs;
  /** Parallel submission connections. @defaultValue 4 */
  readonly connections?: number;
}

export type SmtpRelayErrorCode = 'E_RELAY_CONFIG' | 'E_RELAY_NO_DSN' | 'E_RELAY_INJECT';

export class SmtpRelayError extends MailbenchError {
  override readonly name = 'SmtpRelayError';
  declare readonly code: SmtpRelayErrorCode;

  constructor(code: SmtpRelayErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options?.cause === undefined ? {} : { cause: options.cause });
  }
}

const NOTIFY_EVERYTHING = ['SUCCESS', 'FAILURE', 'DELAY'];

export class SmtpRelayMta implements MtaUnderTest {
  readonly name: string;
  readonly sees = 'outcomes';
  private prepared: PreparedRelay | undefined;
  private stopping: Promise<void> | undefined;
  private readonly ledger = new RelayLedger();
  private readonly listeners: ((record: AccountingRecord) => void)[] = [];

  constructor(private readonly options: SmtpRelayOptions) {
    this.name = options.name ?? 'smtp-relay';
  }

  version(): string {
    if (this.prepared === undefined) throw new Error('SmtpRelayMta.version() is known only after start()');
    return this.prepared.version ?? 'unknown';
  }

  async start(environment: MtaEnvironment): Promise<void> {
    if (this.prepared !== undefined || this.stopping !== undefined)
      throw new Error('SmtpRelayMta.start() may be called once');
    writeRelayFiles(environment);
    // Subscribed before the MTA exists: nothing it sends can reach the return path unread.
    environment.onReturnMail(async (raw, envelopeRecipient) => {
      const report = await readInboundReport(raw, envelopeRecipient === undefined ? {} : { envelopeRecipient });
      this.emit(this.ledger.fromReport(report, this.options.nowMs()));
    });
    const prepared = await this.options.prepare(environment);
    this.prepared = prepared;
    const { address, port } = prepared.submission;
    if (!isLoopbackIpv4(address))
      throw new SmtpRelayError(
        'E_RELAY_CONFIG',
        `the relay's submission address ${address} is not on loopback (127.0.0.0/8): the bench targets nothing else`,
      );
    const keywords = await ehloKeywords(address, port, INJECTOR_HELO);
    if (!keywords.includes('DSN')) {
      throw new SmtpRelayError(
        'E_RELAY_NO_DSN',
        `the relay at ${address}:${port} does not offer DSN (RFC 3461) in its EHLO reply (${keywords.join(' ') || 'no keywords'}): the bench learns its decisions only from the notices it asks for with NOTIFY`,
      );
    }
  }

  async inject(messages: readonly MtaMessage[]): Promise<void> {
    const prepared = this.prepared;
    if (prepared === undefined || this.stopping !== undefined)
      throw new Error('SmtpRelayMta.inject() needs a started, not stopped, relay');
    const envelopeIds: string[] = [];
    const { failures, broken } = await submitOverSmtp(prepared.submission, messages, {
      ...(this.options.connections === undefined ? {} : { connections: this.options.connections }),
      envelopeOf: (message, index) => {
        const envelopeId = this.ledger.open(message);
        envelopeIds[index] = envelopeId;
        const single = message.recipients.length === 1 ? message.recipients[0] : undefined;
        return {
          from: message.mailFrom,
          to: [...message.recipients],
          dsn: {
            ret: 'HDRS',
            envid: envelopeId,
            notify: NOTIFY_EVERYTHING,
            ...(single === undefined ? {} : { orcpt: `rfc822;${single}` }),
          },
        };
      },
      onAccepted: (_info, message, index) => {
        const envelopeId = envelopeIds[index];
        if (envelopeId !== undefined) this.emit(this.ledger.accepted(envelopeId, message, this.options.nowMs()));
        return undefined;
      },
    });
    const { address, port } = prepared.submission;
    if (broken !== undefined)
      throw new SmtpRelayError(
        'E_RELAY_INJECT',
        `cannot submit to the relay at ${address}:${port}: ${broken.message}`,
        { cause: broken },
      );
    if (failures.length > 0)
      throw new SmtpRelayError(
        'E_RELAY_INJECT',
        `the relay at ${address}:${port} refused ${failures.length} of ${messages.length} messages:\n  ${listFailures(failures)}`,
      );
  }

  onDecision(listener: (record: AccountingRecord) => void): void {
    this.listeners.push(listener);
  }

  /** How the reports that reached the return path were taken (joined, later reports, unjoined). */
  reportCounts(): LedgerTally {
    return this.ledger.counts();
  }

  stop(): Promise<void> {
    this.stopping ??= this.prepared?.stop?.() ?? Promise.resolve();
    return this.stopping;
  }

  private emit(records: readonly AccountingRecord[]): void {
    for (const record of records) for (const listener of this.listeners) listener(record);
  }
}

/** The smtp-relay adapter for `runScenarioWithMta`. */
export function smtpRelay(options: SmtpRelayOptions): SmtpRelayMta {
  return new SmtpRelayMta(options);
}
