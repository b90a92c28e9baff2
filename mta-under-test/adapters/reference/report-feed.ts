/**
 * The reference engine's report intake fed by the mail that reaches its return path: each
 * message is read as a report (DSN or ARF), joined to the engine's message (VERP, the
 * correlation header, the Message-ID) and handed to the engine, which puts the AsyncBounce or
 * Feedback record on its record and acts on it (a complaint suppresses).
 *
 * What it subscribes to is the caller's: an adapter's `environment.onReturnMail`, or the
 * bench's return-path inbox (`inbox.forwardTo`) when the runner drives the engine itself.
 * Once stopped, mail that still arrives is left to whoever else reads the return path.
 */
import type { Clock } from '../../../kernel/index.ts';
import type { ReferenceEngine } from '../../reference/core/engine.ts';
import { ReportIntake } from '../../reference/inbound/intake.ts';
import type { IntakeCounts } from '../../reference/inbound/intake.ts';
import { readInboundReport } from '../../reference/inbound/read-report.ts';
import type { VerpConfig } from '../../reference/verp.ts';
import type { ReturnMailListener } from '../mta-under-test.ts';

export interface ReportFeedOptions {
  readonly engine: Pick<ReferenceEngine, 'knownMessage' | 'takeInbound'>;
  /** The engine's clock: the records' `atMs`. */
  readonly clock: Clock;
  /** Subscribes the feed to the return mail. */
  readonly subscribe: (listener: ReturnMailListener) => void;
  /** The engine's VERP scheme, when it sends with one. */
  readonly verp?: VerpConfig;
}

export interface ReportFeed {
  /** Stops taking reports (the end of a run). */
  stop(): void;
  /** What the intake has read and joined so far. */
  tally(): IntakeCounts;
}

export function feedReportIntake(options: ReportFeedOptions): ReportFeed {
  const { engine } = options;
  let open = true;
  const intake = new ReportIntake({
    lookup: { byMessageId: (id) => engine.knownMessage(id) },
    clock: options.clock,
    ...(options.verp === undefined ? {} : { verp: options.verp }),
    onRecord: (record) => engine.takeInbound(record),
  });
  options.subscribe(async (raw, envelopeRecipient) => {
    if (!open) return;
    const report = await readInboundReport(raw, envelopeRecipient === undefined ? {} : { envelopeRecipient });
    // The run may have ended while the report was read.
    if (open) intake.take(report);
  });
  return {
    stop: () => {
      open = false;
    },
    tally: () => intake.tally(),
  };
}
