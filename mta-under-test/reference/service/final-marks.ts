/**
 * Final marks that wait for the DSN about the same recipient. The engine records a bounce or an
 * expiry and, in the same turn, tells the DSN writer; the DSN must be in the spool before the
 * original recipient is marked final there, or a crash between the two would lose the DSN (the
 * original would not be tried again, and no DSN would exist). So a final mark is made at the end
 * of the turn: at once when no DSN was asked for, after it was spooled when one was, and not at
 * all when the DSN could not be spooled (the recipient is then tried again after a restart: at
 * least once, never lost).
 */
export interface MarksFinal {
  markFinal(id: string, recipient?: string): void;
}

const keyOf = (messageId: string, recipient: string | undefined): string => `${messageId}\n${recipient ?? ''}`;

export class FinalMarks {
  private readonly dsnWork = new Map<string, Promise<boolean>>();
  private readonly waiting = new Set<Promise<void>>();

  constructor(private readonly spool: MarksFinal) {}

  /** A final record: marked at the end of this turn, once the DSN told in the same turn (if any) is spooled. */
  final(messageId: string, recipient: string | undefined): void {
    queueMicrotask(() => {
      const key = keyOf(messageId, recipient);
      const dsn = this.dsnWork.get(key);
      if (dsn === undefined) return this.spool.markFinal(messageId, recipient);
      this.dsnWork.delete(key);
      const marked = dsn.then((spooled) => {
        if (spooled) this.spool.markFinal(messageId, recipient);
      });
      this.waiting.add(marked);
      void marked.finally(() => this.waiting.delete(marked));
    });
  }

  /** The DSN being written about a recipient whose final record came (or comes) in the same turn. */
  dsn(messageId: string, recipient: string, work: Promise<boolean>): void {
    this.dsnWork.set(keyOf(messageId, recipient), work);
  }

  /** Resolves once every mark waiting for a DSN is made (or dropped): before the spool closes. */
  async settled(): Promise<void> {
    await Promise.resolve();
    await Promise.allSettled([...this.waiting]);
  }
}
