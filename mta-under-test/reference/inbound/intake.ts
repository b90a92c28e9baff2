/**
 * The engine's report intake: reads a report, joins it to the message it is about, emits the
 * records and keeps count of everything, joined or not. The counts are what a run report
 * shows next to the records, so a report that could not be joined is visible, never lost.
 *
 * Wire it to the listener: `startInboundListener({ …, onReport: (d) => { intake.take(d.report) } })`.
 */
import type { AsyncBounceRecord, FeedbackRecord } from '../../accounting.ts';
import type { Clock } from '../../../kernel/index.ts';
import type { VerpConfig } from '../verp.ts';
import { joinReport } from './join.ts';
import type { JoinOutcome, MessageLookup, Unjoined } from './join.ts';
import type { BounceFormat, InboundReport } from './report.ts';

export interface ReportIntakeOptions {
  readonly lookup: MessageLookup;
  readonly clock: Clock;
  readonly verp?: VerpConfig;
  readonly onRecord: (record: AsyncBounceRecord | FeedbackRecord) => void;
}

export interface IntakeCounts {
  readonly dsn: number;
  readonly arf: number;
  readonly unreadable: number;
  /** Records emitted (async bounces and complaints). */
  readonly records: number;
  /** Reports or DSN recipients that could not be joined (unreadable ones included). */
  readonly unjoined: number;
  /** DSN recipient blocks that reported no failure (delayed, delivered, relayed). */
  readonly notFailures: number;
  /** DSNs by the format they were written in (report.ts `BounceFormat`), only formats seen. */
  readonly dsnFormats: Readonly<Partial<Record<BounceFormat, number>>>;
}

export class ReportIntake {
  private readonly counts = { dsn: 0, arf: 0, unreadable: 0, records: 0, unjoined: 0, notFailures: 0 };
  private readonly unjoinedKept: Unjoined[] = [];
  private readonly formats = new Map<BounceFormat, number>();

  constructor(private readonly options: ReportIntakeOptions) {}

  /** Joins one report, emits its records, counts it; returns what came of it. */
  take(report: InboundReport): JoinOutcome {
    this.counts[report.kind]++;
    if (report.kind === 'dsn') this.formats.set(report.format, (this.formats.get(report.format) ?? 0) + 1);
    const outcome = joinReport(report, this.options.lookup, {
      atMs: this.options.clock.now(),
      ...(this.options.verp === undefined ? {} : { verp: this.options.verp }),
    });
    for (const record of outcome.records) this.options.onRecord(record);
    this.counts.records += outcome.records.length;
    this.counts.unjoined += outcome.unjoined.length;
    this.counts.notFailures += outcome.notFailures.length;
    this.unjoinedKept.push(...outcome.unjoined);
    return outcome;
  }

  tally(): IntakeCounts {
    return { ...this.counts, dsnFormats: Object.fromEntries([...this.formats].sort(([a], [b]) => a.localeCompare(b))) };
  }

  /** Every report or recipient that could not be joined so far, with why. */
  unjoined(): readonly Unjoined[] {
    return this.unjoinedKept;
  }
}
