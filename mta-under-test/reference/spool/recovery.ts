/**
 * What a spool folder holds when it is opened: every segment read in order, one at a time,
 * keeping each message's envelope and where its record is, never its body. Reading a segment
 * stops at a torn or corrupt record: a torn tail of the newest segment is an interrupted append
 * and is cut off (it was never acknowledged); anything else is damage, kept for a person and
 * named. A message is pending for the recipients with no final mark.
 */
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { unframe } from './framing.ts';
import type { RecordLocation, SpoolEnvelope, SpoolRecord } from './records.ts';
import { segmentsIn } from './segment-files.ts';

export interface PendingMessage {
  readonly id: string;
  readonly envelope: SpoolEnvelope;
  readonly location: RecordLocation;
  /** Recipients with no final mark, in the message's order. */
  readonly pending: readonly string[];
}

export interface SpoolContents {
  /** Segment numbers on disk, oldest first. */
  readonly segments: number[];
  readonly pending: PendingMessage[];
  /** `segment-…log: <why> after <n> bytes` for each segment where reading stopped at damage. */
  readonly corrupt: string[];
}

export function readSpool(dir: string): SpoolContents {
  const files = segmentsIn(dir);
  const finals = new Map<string, Set<string> | 'all'>();
  const found: { id: string; envelope: SpoolEnvelope; location: RecordLocation }[] = [];
  const corrupt: string[] = [];
  files.forEach(({ name, number: segment }, index) => {
    const path = join(dir, name);
    const read = unframe(readFileSync(path));
    if (read.stoppedBecause !== undefined) {
      if (read.stoppedBecause === 'torn-tail' && index === files.length - 1) truncateSync(path, read.goodBytes);
      else corrupt.push(`${name}: ${read.stoppedBecause} after ${read.goodBytes} bytes`);
    }
    (read.payloads as SpoolRecord[]).forEach((payload, at) => {
      if (payload.t === 'E') {
        const { mailFrom, recipients, receivedAtMs, meta } = payload.m;
        const place = read.records[at] as { offset: number; bytes: number };
        found.push({
          id: payload.id,
          envelope: { mailFrom, recipients, receivedAtMs, meta },
          location: { segment, ...place },
        });
      } else if (payload.r === undefined) finals.set(payload.id, 'all');
      else {
        const marks = finals.get(payload.id);
        if (marks !== 'all') finals.set(payload.id, (marks ?? new Set()).add(payload.r));
      }
    });
  });
  const pending: PendingMessage[] = [];
  for (const { id, envelope, location } of found) {
    const marks = finals.get(id);
    if (marks === 'all') continue;
    const open = envelope.recipients.filter((recipient) => marks === undefined || !marks.has(recipient));
    if (open.length > 0) pending.push({ id, envelope, location, pending: open });
  }
  return { segments: files.map((file) => file.number), pending, corrupt };
}
