/**
 * What the sender's own accounting log says about addresses: those it was told do not exist.
 * A Bounce or AsyncBounce (a DSN after acceptance) classed unknown-user, bad-domain or
 * mailbox-disabled, or a Suppression added for one of those classes, makes the address a
 * known unknown: mailing it again only raises the unknown-user rate that receivers score
 * reputation on (TAXONOMY: the right action is suppress).
 *
 * The log is read in order, and later evidence wins: a Suppression lifted for the address
 * (the engine decided the bounce was bogus, a disguised policy block) or a later Delivery to
 * it (the mailbox exists after all) forgets it. A suppression's `untilMs` expiry is not
 * applied: expiry is when the engine may try again, not evidence that the address exists.
 * A record without the fields read here (a string recipient, class and rule) teaches nothing.
 *
 * Reading the log from disk (a file or a folder of rotated files, torn tails) is the
 * accounting-log module's job (`reference/accounting-log`); this takes the records.
 */
import type { AccountingRecord } from '../../accounting.ts';
import { parseEntry } from './checks/syntax.ts';
import { lookupKey } from './normalise.ts';

/** The classes that mean the address (or its domain) cannot receive mail. */
export const UNKNOWN_CLASSES = ['unknown-user', 'bad-domain', 'mailbox-disabled'] as const;
export type UnknownClass = (typeof UNKNOWN_CLASSES)[number];

/** Why an address is held unknown: the class and the record that taught it. */
export interface KnownUnknown {
  readonly class: UnknownClass;
  /** The record type that taught it. */
  readonly learnedFrom: 'Bounce' | 'AsyncBounce' | 'Suppression';
  readonly atMs: number;
  /** The engine rule that classified it, e.g. `generic.enhanced.5.1.1`. */
  readonly rule: string;
}

/** Known unknowns by lookup key (the normalised address, lower-cased). */
export type KnownUnknowns = ReadonlyMap<string, KnownUnknown>;

/** Replays the log in order and returns the addresses it leaves known as unknown. */
export function learnKnownUnknowns(records: Iterable<AccountingRecord>): KnownUnknowns {
  const known = new Map<string, KnownUnknown>();
  for (const record of records) {
    if (!hasNeededFields(record)) continue;
    if (record.type === 'Bounce' || record.type === 'AsyncBounce') {
      if (isUnknownClass(record.class))
        known.set(keyOf(record.recipient), {
          class: record.class,
          learnedFrom: record.type,
          atMs: record.atMs,
          rule: record.rule,
        });
    } else if (record.type === 'Suppression') {
      if (record.change === 'lift') known.delete(keyOf(record.recipient));
      else if (isUnknownClass(record.class))
        known.set(keyOf(record.recipient), {
          class: record.class,
          learnedFrom: 'Suppression',
          atMs: record.atMs,
          rule: record.rule,
        });
    } else if (record.type === 'Delivery') {
      known.delete(keyOf(record.recipient));
    }
  }
  return known;
}

/** Whether a class means the address cannot receive mail (and so is worth remembering). */
export function isUnknownClass(value: string): value is UnknownClass {
  return (UNKNOWN_CLASSES as readonly string[]).includes(value);
}

/** Records come from files: check what the types promise before reading it. */
function hasNeededFields(record: AccountingRecord): boolean {
  const fields = record as unknown as Record<string, unknown>;
  if (typeof fields['recipient'] !== 'string') return false;
  return record.type === 'Delivery' || (typeof fields['class'] === 'string' && typeof fields['rule'] === 'string');
}

/** The same key the audit looks addresses up by, however the log spelt the recipient. */
function keyOf(recipient: string): string {
  const parsed = parseEntry(recipient);
  return lookupKey(parsed.kind === 'address' ? parsed.address : recipient.trim());
}
