/**
 * How spool records sit in a segment file: `[u32 length][u32 crc32][payload]`, payload JSON.
 * A record whose length runs past the end of the file, or whose CRC does not match, is where
 * a crash interrupted a write (torn tail) or where the disk went bad: reading stops there.
 */
import { crc32 } from 'node:zlib';

const HEADER_BYTES = 8;

export function frame(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(body.byteLength, 0);
  header.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

export interface Unframed {
  readonly payloads: unknown[];
  /** Where each payload's record starts in the buffer, and its length with the header. */
  readonly records: { readonly offset: number; readonly bytes: number }[];
  /** Bytes of whole, intact records from the start; anything after is torn or corrupt. */
  readonly goodBytes: number;
  /** Why reading stopped before the end, if it did. */
  readonly stoppedBecause?: 'torn-tail' | 'crc-mismatch' | 'unreadable-payload';
}

export function unframe(buffer: Buffer): Unframed {
  const payloads: unknown[] = [];
  const records: { offset: number; bytes: number }[] = [];
  let offset = 0;
  while (offset < buffer.byteLength) {
    if (offset + HEADER_BYTES > buffer.byteLength)
      return { payloads, records, goodBytes: offset, stoppedBecause: 'torn-tail' };
    const length = buffer.readUInt32LE(offset);
    const expected = buffer.readUInt32LE(offset + 4);
    const end = offset + HEADER_BYTES + length;
    if (end > buffer.byteLength) return { payloads, records, goodBytes: offset, stoppedBecause: 'torn-tail' };
    const body = buffer.subarray(offset + HEADER_BYTES, end);
    if (crc32(body) !== expected) return { payloads, records, goodBytes: offset, stoppedBecause: 'crc-mismatch' };
    try {
      payloads.push(JSON.parse(body.toString('utf8')));
      records.push({ offset, bytes: end - offset });
    } catch {
      return { payloads, records, goodBytes: offset, stoppedBecause: 'unreadable-payload' };
    }
    offset = end;
  }
  return { payloads, records, goodBytes: offset };
}
