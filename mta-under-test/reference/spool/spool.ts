/**
 * The reference engine's durable spool: append-only segment files with group commit.
 * The contract is in DURABILITY.md beside this file.
 *
 * - `Spool.open` first takes the folder's lock (one process owns a spool), then reads every
 *   segment in order, stops at a torn or corrupt record (truncating a torn tail of the newest
 *   segment), and returns what is still pending.
 * - `enqueue` appends the messages and resolves after an fdatasync that covers every byte of
 *   them. Callers that arrive while a sync is running share the next one (group commit). A short
 *   or failed write, or a failed sync, rejects the whole batch and cuts the segment back to its
 *   last whole record before anything else is appended: nothing is acknowledged that is not
 *   entirely on disk.
 * - Message bodies live on disk, not in memory: the spool keeps each live message's envelope
 *   and where its record is, and `body(id)` reads the record back when an attempt needs it.
 * - `markFinal` appends a final mark without waiting; it becomes durable with the next sync.
 *   A crash before that re-delivers the recipient: at-least-once, counted on recovery.
 * - Segments rotate at `segmentBytesMax`. The oldest segments are deleted once every message
 *   in them is final and no read is under way: only a prefix, because a newer segment may hold
 *   the final marks of messages in an older one, and must outlive it.
 */
import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { frame, unframe } from './framing.ts';
import { emptyBatch, validateSpoolMessage } from './records.ts';
import type {
  Batch,
  RecordLocation,
  RecoveredMessage,
  SpooledBody,
  SpoolEnvelope,
  SpoolMessage,
  SpoolRecord,
  SpoolStats,
} from './records.ts';
import { readSpool } from './recovery.ts';
import { nextSegmentNumber, segmentName, syncDirectory } from './segment-files.ts';
import { nodeSpoolFileSystem } from './spool-files.ts';
import { writeAll } from './spool-files.ts';
import type { SegmentFile, SpoolFileSystem } from './spool-files.ts';
import { lockSpool } from './spool-lock.ts';
import type { SpoolLock } from './spool-lock.ts';

export type { RecoveredMessage, SpooledBody, SpoolEnvelope, SpoolMessage, SpoolStats } from './records.ts';

export interface SpoolOptions {
  /** @defaultValue 64 MiB */
  readonly segmentBytesMax?: number;
  /** The file-system calls that decide durability. @defaultValue node:fs */
  readonly fileSystem?: SpoolFileSystem;
}

interface Live {
  readonly envelope: SpoolEnvelope;
  /** Where its record is, once written. */
  location: RecordLocation | null;
  readonly pending: Set<string>;
}

/** Records framed between two turns of the event loop. */
const FRAME_SLICE = 500;

export class Spool {
  private readonly live = new Map<string, Live>();
  private readonly liveBySegment = new Map<number, number>();
  /** Reads under way per segment: a segment being read is not deleted. */
  private readonly readers = new Map<number, number>();
  private readonly recovered: RecoveredMessage[] = [];
  private readonly corrupt: string[] = [];
  /** Segment numbers on disk, oldest first. */
  private readonly segments: number[] = [];
  private file: SegmentFile | null = null;
  private segment = 0;
  /** Bytes of whole, synced records in the current segment: where the next write goes. */
  private segmentBytes = 0;
  /** A failed write left bytes past `segmentBytes` that could not be cut yet. */
  private tailDirty = false;
  /** The first segment number of this process: with the sequence, it makes ids unique across restarts. */
  private boot = 0;
  private sequence = 0;
  private pending: Batch = emptyBatch();
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private liveBytes = 0;
  private fsyncs = 0;
  private failedWrites = 0;
  private recoveredRecipients = 0;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytesMax: number,
    private readonly fs: SpoolFileSystem,
    private readonly lock: SpoolLock,
  ) {}

  /** Opens the spool in `dir`; throws SpoolLockedError, before reading anything, if another process holds it. */
  static async open(dir: string, options: SpoolOptions = {}): Promise<Spool> {
    mkdirSync(dir, { recursive: true });
    const lock = lockSpool(dir);
    let spool: Spool | undefined;
    try {
      spool = new Spool(
        dir,
        options.segmentBytesMax ?? 64 * 1024 * 1024,
        options.fileSystem ?? nodeSpoolFileSystem,
        lock,
      );
      spool.recover();
      await spool.startSegment();
      spool.boot = spool.segment;
      spool.reclaim();
      return spool;
    } catch (error) {
      await spool?.file?.close().catch(() => undefined);
      lock.release();
      throw error;
    }
  }

  /** Messages and recipients that were pending when the spool was opened. */
  recoveredMessages(): readonly RecoveredMessage[] {
    return this.recovered;
  }

  stats(): SpoolStats {
    return {
      segments: this.segments.length,
      liveMessages: this.live.size,
      liveBytes: this.liveBytes,
      fsyncs: this.fsyncs,
      failedWrites: this.failedWrites,
      recoveredRecipients: this.recoveredRecipients,
      corruptSegments: this.corrupt,
    };
  }

  /** Appends the messages; resolves with their ids once a sync covers every byte of them, rejects if any write or sync failed. */
  async enqueue(messages: readonly SpoolMessage[]): Promise<string[]> {
    if (this.closed) throw new Error('the spool is closed');
    messages.forEach((message, index) => validateSpoolMessage(message, index));
    // Framed a slice at a time (a turn of the event loop between slices), then handed to the
    // next write all together: a large batch stalls no other client, and is written whole.
    const entries: { id: string; buffer: Buffer; envelope: SpoolEnvelope }[] = [];
    for (const [index, message] of messages.entries()) {
      if (index > 0 && index % FRAME_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const id = `${this.boot.toString(36)}.${(++this.sequence).toString(36)}`;
      const { mailFrom, recipients, receivedAtMs, meta } = message;
      entries.push({
        id,
        buffer: frame({ t: 'E', id, m: message } satisfies SpoolRecord),
        envelope: { mailFrom, recipients, receivedAtMs, meta },
      });
    }
    if (this.closed) throw new Error('the spool is closed');
    for (const { id, buffer, envelope } of entries) {
      this.pending.entries.push({ id, buffer });
      this.live.set(id, { envelope, location: null, pending: new Set(envelope.recipients) });
    }
    await this.sync();
    return entries.map((entry) => entry.id);
  }

  /** The body of a live (or just retired) message, read from its segment when `load` is called. */
  body(id: string): SpooledBody {
    const location = this.live.get(id)?.location;
    if (location === undefined || location === null) throw new Error(`the spool has no written message ${id}`);
    return { bytes: location.bytes, load: () => this.readBody(id, location) };
  }

  /** Marks one recipient (or, without one, the whole message) final; durable with the next sync. */
  markFinal(id: string, recipient?: string): void {
    const live = this.live.get(id);
    if (live === undefined || this.closed) return;
    this.pending.finals.push(
      frame((recipient === undefined ? { t: 'F', id } : { t: 'F', id, r: recipient }) satisfies SpoolRecord),
    );
    if (recipient === undefined) live.pending.clear();
    else live.pending.delete(recipient);
    if (live.pending.size === 0) this.retire(id, live);
  }

  /** Makes every mark so far durable. */
  async sync(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.sync();
    } finally {
      this.closed = true;
      await this.file?.close().catch(() => undefined);
      this.file = null;
      this.lock.release();
    }
  }

  /**
   * What a crash does to this spool, for tests that kill an engine in-process: what was not
   * yet written is gone, the file closes as the kernel would close it, the lock is free.
   */
  abandon(): void {
    this.closed = true;
    this.pending = emptyBatch();
    void this.file?.close().catch(() => undefined);
    this.file = null;
    this.lock.release();
  }

  /** Writes and syncs what is pending, again and again while more arrives (group commit). */
  private async flushLoop(): Promise<void> {
    // Yield first: with nothing to write the loop would otherwise finish (and clear
    // `flushing`) inside sync()'s `??=`, which then stores the finished loop, and no later
    // sync() would ever start one again (every enqueue after it hung).
    await Promise.resolve();
    try {
      while (this.waiters.length > 0) {
        const batch = this.pending;
        const waiters = this.waiters;
        this.pending = emptyBatch();
        this.waiters = [];
        try {
          await this.writeBatch(batch);
          for (const waiter of waiters) waiter.resolve();
        } catch (error) {
          this.failedWrites++;
          this.forget(batch);
          for (const waiter of waiters) waiter.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Every byte of the batch written at the end of the last whole record, then synced; on any failure the tail is cut back. */
  private async writeBatch(batch: Batch): Promise<void> {
    // Written record by record, not concatenated: a batch of 10 MB messages costs no second copy.
    const buffers = [...batch.entries.map((entry) => entry.buffer), ...batch.finals];
    const bytes = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
    const file = this.file;
    if (file === null) {
      if (bytes === 0) return;
      throw new Error('the spool is closed');
    }
    const start = this.segmentBytes;
    if (this.tailDirty) {
      // A cut that failed before is done before anything else (a close with nothing to write too).
      await file.truncate(start);
      await file.datasync();
      this.tailDirty = false;
    }
    if (bytes === 0) return;
    try {
      await writeAll(file, buffers, start);
      await file.datasync();
    } catch (error) {
      // Cut back to the last whole record, so nothing is appended behind a torn one. If even
      // that fails, the next write truncates first (and fails cleanly if it still cannot).
      this.tailDirty = true;
      await file.truncate(start).then(
        () => (this.tailDirty = false),
        () => undefined,
      );
      throw error;
    }
    this.fsyncs++;
    this.segmentBytes = start + bytes;
    this.place(batch, start);
    this.release(batch.retired);
    this.reclaim();
    // The batch is durable whatever happens next: a rotation that fails (no file, no inode) is
    // retried after the next write, and the current segment grows past its size meanwhile.
    if (this.segmentBytes >= this.segmentBytesMax) await this.rotate().catch(() => undefined);
  }

  /** The batch's new messages now have a place on disk. */
  private place(batch: Batch, start: number): void {
    let offset = start;
    for (const entry of batch.entries) {
      const live = this.live.get(entry.id);
      if (live !== undefined) {
        live.location = { segment: this.segment, offset, bytes: entry.buffer.byteLength };
        this.liveBytes += entry.buffer.byteLength;
        this.liveBySegment.set(this.segment, (this.liveBySegment.get(this.segment) ?? 0) + 1);
      }
      offset += entry.buffer.byteLength;
    }
  }

  /** A batch that failed: its messages were never acknowledged (forgotten); its final marks go again with the next write. */
  private forget(batch: Batch): void {
    for (const entry of batch.entries) this.live.delete(entry.id);
    this.pending.finals.unshift(...batch.finals);
    this.pending.retired.unshift(...batch.retired);
  }

  private async readBody(id: string, location: RecordLocation): Promise<string> {
    this.readers.set(location.segment, (this.readers.get(location.segment) ?? 0) + 1);
    try {
      const read = unframe(
        await this.fs.readAt(join(this.dir, segmentName(location.segment)), location.offset, location.bytes),
      );
      const record = read.payloads[0] as SpoolRecord | undefined;
      if (record?.t !== 'E' || record.id !== id)
        throw new Error(
          `the spool's record of ${id} in ${segmentName(location.segment)} is unreadable (${read.stoppedBecause ?? 'another record'})`,
        );
      return record.m.data;
    } finally {
      const left = (this.readers.get(location.segment) ?? 1) - 1;
      if (left > 0) this.readers.set(location.segment, left);
      else this.readers.delete(location.segment);
    }
  }

  private async rotate(): Promise<void> {
    const previous = this.file;
    await this.startSegment();
    await previous?.close().catch(() => undefined);
    this.reclaim();
  }

  private retire(id: string, live: Live): void {
    this.live.delete(id);
    if (live.location === null) return;
    this.liveBytes -= live.location.bytes;
    // The segment keeps counting it until the batch carrying the final mark is durable: until
    // then a crash must find the message in its segment and deliver it again (a write already
    // under way does not carry the mark, so its reclaim must not delete the segment).
    this.pending.retired.push(live.location.segment);
  }

  /** The batch's final marks are durable: their messages no longer hold their segments. */
  private release(retired: readonly number[]): void {
    for (const segment of retired) {
      const left = (this.liveBySegment.get(segment) ?? 1) - 1;
      if (left > 0) this.liveBySegment.set(segment, left);
      else this.liveBySegment.delete(segment);
    }
  }

  /** Deletes the oldest segments while nothing in them is live or being read (never the one being written, never a damaged one). */
  private reclaim(): void {
    for (let oldest = this.segments[0]; oldest !== undefined; oldest = this.segments[0]) {
      if (
        oldest === this.segment ||
        this.liveBySegment.has(oldest) ||
        this.readers.has(oldest) ||
        this.corrupt.some((entry) => entry.startsWith(segmentName(oldest)))
      )
        return;
      this.segments.shift();
      try {
        unlinkSync(join(this.dir, segmentName(oldest)));
      } catch {
        // Already gone: nothing to reclaim.
      }
    }
  }

  private async startSegment(): Promise<void> {
    const number = nextSegmentNumber(this.dir);
    const opened = await this.fs.openSegment(join(this.dir, segmentName(number)));
    try {
      syncDirectory(this.dir);
    } catch (error) {
      await opened.file.close().catch(() => undefined);
      throw error;
    }
    this.segment = number;
    this.segments.push(number);
    this.segmentBytes = opened.bytes;
    this.file = opened.file;
  }

  /** Takes over what the folder holds: pending messages are live again, and counted as recovered. */
  private recover(): void {
    const contents = readSpool(this.dir);
    this.segments.push(...contents.segments);
    this.corrupt.push(...contents.corrupt);
    for (const { id, envelope, location, pending } of contents.pending) {
      this.live.set(id, { envelope, location, pending: new Set(pending) });
      this.liveBytes += location.bytes;
      this.liveBySegment.set(location.segment, (this.liveBySegment.get(location.segment) ?? 0) + 1);
      this.recovered.push({ ...envelope, id, pending, bytes: location.bytes });
      this.recoveredRecipients += pending.length;
    }
  }
}
