/**
 * Everything that happened in a model-based engine run, in one order: the accounting records
 * each engine instance emitted, what the receivers saw on the wire (connections, transactions,
 * answers), what the harness did with the spool (enqueues, final marks, fsyncs), crashes,
 * restarts and operator commands. Invariants are checked over this log (engine-model-checks.ts);
 * `seq` is the position in it, so "after" and "before" are exact even within one instant.
 */
import type { AccountingRecord, PathScope } from '../../mta-under-test/accounting.ts';
import type { EpochMs } from '../../kernel/clock/clock.ts';

/** What a receiver did with one recipient of a transaction. */
export type WireAnswer = 'accept' | 'defer' | 'reject' | 'rate-limit' | 'drop' | 'closed';

export type CrashKind = 'before-fsync' | 'after-fsync' | 'in-transaction';

export type WorldEvent =
  | { readonly kind: 'record'; readonly instance: number; readonly record: AccountingRecord }
  | {
      readonly kind: 'connect';
      readonly instance: number;
      readonly connection: number;
      readonly source: string;
      readonly site: string;
      readonly atMs: EpochMs;
      readonly outcome: 'open' | 'refused' | 'unreachable';
    }
  | {
      readonly kind: 'send';
      readonly instance: number;
      readonly connection: number;
      readonly source: string;
      readonly site: string;
      readonly atMs: EpochMs;
      readonly messageId: string;
      readonly answers: readonly { readonly recipient: string; readonly answer: WireAnswer }[];
    }
  | {
      readonly kind: 'close';
      readonly instance: number;
      readonly connection: number;
      readonly atMs: EpochMs;
      readonly by: 'engine' | 'crash';
    }
  | {
      readonly kind: 'enqueue';
      readonly instance: number;
      readonly id: string;
      readonly recipients: readonly string[];
      readonly receivedAtMs: EpochMs;
    }
  | { readonly kind: 'mark'; readonly instance: number; readonly id: string; readonly recipient: string }
  /** Every mark logged before this one is durable. */
  | { readonly kind: 'sync'; readonly instance: number }
  | { readonly kind: 'crash'; readonly instance: number; readonly atMs: EpochMs; readonly crashKind: CrashKind }
  | {
      readonly kind: 'restart';
      readonly instance: number;
      readonly atMs: EpochMs;
      readonly recovered: readonly { readonly id: string; readonly pending: readonly string[] }[];
      readonly recoveredRecipients: number;
    }
  | {
      readonly kind: 'operator';
      readonly instance: number;
      readonly atMs: EpochMs;
      readonly action: 'suspend' | 'resume';
      readonly scope: PathScope;
      readonly untilMs: EpochMs | null;
      readonly ok: boolean;
    };

export type Logged<E extends WorldEvent = WorldEvent> = E & { readonly seq: number };

type Distribute<E> = E extends WorldEvent ? E : never;

export class WorldLog {
  readonly events: Logged[] = [];

  push(event: Distribute<WorldEvent>): void {
    this.events.push({ ...event, seq: this.events.length });
  }

  of<K extends WorldEvent['kind']>(kind: K): Logged<Extract<WorldEvent, { kind: K }>>[] {
    return this.events.filter((event): event is Logged<Extract<WorldEvent, { kind: K }>> => event.kind === kind);
  }
}

/** The identity of one recipient of one message, as the engine keys it. */
export function recipientKey(messageId: string, recipient: string): string {
  return `${messageId} ${recipient.toLowerCase()}`;
}
