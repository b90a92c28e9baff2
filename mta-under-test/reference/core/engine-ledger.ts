/**
 * The engine's books: every accounting record goes out through here, counted by type, and the
 * recipients still open are tracked so that each gets exactly one final record (the engine's
 * central invariant: a second one is a bug, and `assert` says so).
 */
import type { AccountingRecord, FinalRecord } from '../../accounting.ts';
import { assert } from '../../../kernel/index.ts';

export class EngineLedger {
  /** Recipients not yet final, by `messageId recipient`. */
  private readonly open = new Set<string>();
  private readonly recordCounts: Record<string, number> = {};
  private readonly classCounts: Record<string, number> = {};
  private injected = 0;
  private final = 0;

  constructor(private readonly onRecord: (record: AccountingRecord) => void) {}

  /** A recipient taken in: open until its final record. */
  opened(messageId: string, recipient: string): void {
    this.injected++;
    this.open.add(recipientKey(messageId, recipient));
  }

  emit(record: AccountingRecord): void {
    this.recordCounts[record.type] = (this.recordCounts[record.type] ?? 0) + 1;
    this.onRecord(record);
  }

  emitFinal(record: FinalRecord): void {
    assert(
      this.open.delete(recipientKey(record.messageId, record.recipient)),
      `a second final record for ${record.recipient} of ${record.messageId}`,
    );
    this.final++;
    this.emit(record);
  }

  /** A verdict the policy gave, for the metrics. */
  judged(verdictClass: string): void {
    this.classCounts[verdictClass] = (this.classCounts[verdictClass] ?? 0) + 1;
  }

  get recipientsInjected(): number {
    return this.injected;
  }

  get recipientsFinal(): number {
    return this.final;
  }

  get recipientsOpen(): number {
    return this.open.size;
  }

  records(): Record<string, number> {
    return { ...this.recordCounts };
  }

  classes(): Record<string, number> {
    return { ...this.classCounts };
  }
}

function recipientKey(messageId: string, recipient: string): string {
  return `${messageId} ${recipient.toLowerCase()}`;
}
