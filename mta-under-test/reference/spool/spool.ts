/**
 * The reference engine's durable spool: append-only segment files with group commit.
 * The contract is in DURABILITY.md beside this file.
 *
 * - `enqueue` appends the messages and resolves after an fsync that covers them. Callers
 *   that arrive while an fsync is running share the next one (group commit), so durability
 *   costs one fsync per batch of concurrent requests, not one per message.
 * - `markFinal` appends a final mark without waiting; it becomes durable with the next fsync.
 *   A crash before that re-delivers the recipient: at-least-once, counted on recovery.
 * - Segments rotate at `segmentBytesMax`. The oldest segments are deleted once every message
 *   in them is final: only a prefix, because a newer segment may hold the final marks of
 *   messages in an older one, and must outlive it.
 * - `Spool.open` reads every segment in order, stops at a torn or corrupt record (truncating a
 *   torn tail of the newest segment), and returns what is still pending.
 */
import { mkdirSync, readFileSync, readdirSync, truncateSync, writeFileSync, unlinkSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { frame, unframe } from './framing.ts';

export interface SpoolMessage {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** RFC 5322, CRLF line ends. */
  readonly data: string;
  /** When the engine received it (epoch ms, the engine's clock). */
  readonly receivedAtMs: number;
  /** What the engine attaches: tenant, campaign, pool. */
  readonly meta: Readonly<Record<string, string>>;
}

export interface RecoveredMessage extends SpoolMessage {
  readonly id: string;
  /** Recipients with no durable final mark: they will be delivered (again). */
  readonly pending: readonly string[];
}

export interface SpoolStats {
  readonly segments: number;
  readonly liveMessages: number;
  readonly fsyncs: number;
  /** Recipients recovered at open that may already have been delivered (at-least-once). */
  readonly recoveredRecipients: number;
  /** Segments where reading stopped at a corrupt record (not a torn tail). */
  readonly corruptSegments: readonly string[];
}

export interface SpoolOptions {
  /** @defaultValue 64 MiB */
  readonly segmentBytesMax?: number;
}

type SpoolRecord =
  | { readonly t: 'E'; readonly id: string; readonly m: SpoolMessage }
  | { readonly t: 'F'; readonly id: string; readonly r?: string };

interface Live {
  readonly message: SpoolMessage;
  /** The segment its record was written to (known once it is written). */
  segment: number;
  readonly pending: Set<string>;
}

/** Records waiting for the next write, and the messages among them. */
interface Batch {
  readonly buffers: Buffer[];
  readonly ids: string[];
}

const SEGMENT = /^segment-(\d{8})\.log$/;
const segmentName = (number: number): string => `segment-${String(number).padStart(8, '0')}.log`;

export class Spool {
  private readonly live = new Map<string, Live>();
  private readonly liveBySegment = new Map<number, number>();
  private readonly recovered: RecoveredMessage[] = [];
  private readonly corrupt: string[] = [];
  /** Segment numbers on disk, oldest first. */
  private readonly segments: number[] = [];
  private handle: FileHandle | null = null;
  private segment = 0;
  private segmentBytes = 0;
  /** The first segment number of this process: with the sequence, it makes ids unique across restarts. */
  private boot = 0;
  private sequence = 0;
  private pending: Batch = { buffers: [], ids: [] };
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private fsyncs = 0;
  private recoveredRecipients = 0;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytesMax: number,
  ) {}

  static async open(dir: string, options: SpoolOptions = {}): Promise<Spool> {
    mkdirSync(dir, { recursive: true });
    const spool = new Spool(dir, options.segmentBytesMax ?? 64 * 1024 * 1024);
    spool.recover();
    await spool.startSegment();
    spool.boot = spool.segment;
    spool.reclaim();
    return spool;
  }

  /** Messages and recipients that were pending when the spool was opened. */
  recoveredMessages(): readonly RecoveredMessage[] {
    return this.recovered;
  }

  stats(): SpoolStats {
    return { segments: this.segments.length, liveMessages: this.live.size, fsyncs: this.fsyncs, recoveredRecipients: this.recoveredRecipients, corruptSegments: this.corrupt };
  }

  /** Appends the messages; resolves with their ids once an fsync covers them. */
  async enqueue(messages: readonly SpoolMessage[]): Promise<string[]> {
    if (this.closed) throw new Error('the spool is closed');
    messages.forEach((message, index) => validate(message, index));
    const ids = messages.map((message) => {
      const id = `${this.boot.toString(36)}.${(++this.sequence).toString(36)}`;
      this.append({ t: 'E', id, m: message });
      this.pending.ids.push(id);
      this.live.set(id, { message, segment: 0, pending: new Set(message.recipients) });
      return id;
    });
    await this.sync();
    return ids;
  }

  /** Marks one recipient (or, without one, the whole message) final; durable with the next fsync. */
  markFinal(id: string, recipient?: string): void {
    const live = this.live.get(id);
    if (live === undefined || this.closed) return;
    this.append(recipient === undefined ? { t: 'F', id } : { t: 'F', id, r: recipient });
    if (recipient === undefined) live.pending.clear();
    else live.pending.delete(recipient);
    if (live.pending.size === 0) this.retire(id, live.segment);
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
    await this.sync();
    this.closed = true;
    await this.handle?.close();
    this.handle = null;
  }

  private append(record: SpoolRecord): void {
    this.pending.buffers.push(frame(record));
  }

  /** Writes and fsyncs what is pending, again and again while more arrives (group commit). */
  private async flushLoop(): Promise<void> {
    // Yield first: with nothing to write the loop would otherwise finish (and clear
    // `flushing`) inside sync()'s `??=`, which then stores the finished loop, and no later
    // sync() would ever start one again (every enqueue after it hung).
    await Promise.resolve();
    try {
      while (this.waiters.length > 0) {
        const batch = this.pending;
        const waiters = this.waiters;
        this.pending = { buffers: [], ids: [] };
        this.waiters = [];
        try {
          const chunk = Buffer.concat(batch.buffers);
          if (chunk.byteLength > 0) {
            const handle = this.handle;
            if (handle === null) throw new Error('the spool is closed');
            await handle.write(chunk);
            this.segmentBytes += chunk.byteLength;
            await handle.datasync();
            this.fsyncs++;
            this.placeIn(this.segment, batch.ids);
            this.reclaim();
          }
          if (this.segmentBytes >= this.segmentBytesMax) await this.rotate();
          for (const waiter of waiters) waiter.resolve();
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Messages just written to `segment` (still live: a final mark may already have retired one). */
  private placeIn(segment: number, ids: readonly string[]): void {
    for (const id of ids) {
      const live = this.live.get(id);
      if (live === undefined) continue;
      live.segment = segment;
      this.liveBySegment.set(segment, (this.liveBySegment.get(segment) ?? 0) + 1);
    }
  }

  private async rotate(): Promise<void> {
    await this.handle?.close();
    await this.startSegment();
    this.reclaim();
  }

  private retire(id: string, segment: number): void {
    this.live.delete(id);
    const left = (this.liveBySegment.get(segment) ?? 1) - 1;
    if (left > 0) this.liveBySegment.set(segment, left);
    else this.liveBySegment.delete(segment);
    // Not reclaimed yet: the final mark that retired it is durable only after the next fsync,
    // and until then a crash must find the message in its segment and deliver it again
    // (DURABILITY.md §2). flushLoop reclaims after each fsync.
  }

  /** Deletes the oldest segments while nothing in them is live (never the one being written, never a damaged one). */
  private reclaim(): void {
    for (let oldest = this.segments[0]; oldest !== undefined; oldest = this.segments[0]) {
      if (oldest === this.segment || this.liveBySegment.has(oldest) || this.corrupt.some((entry) => entry.startsWith(segmentName(oldest)))) return;
      this.segments.shift();
      try {
        unlinkSync(join(this.dir, segmentName(oldest)));
      } catch {
        // Already gone: nothing to reclaim.
      }
    }
  }

  private async startSegment(): Promise<void> {
    this.segment = this.nextSegmentNumber();
    this.segments.push(this.segment);
    this.segmentBytes = 0;
    this.handle = await open(join(this.dir, segmentName(this.segment)), 'a');
    syncDirectory(this.dir);
  }

  /** Segment numbers never repeat, even when every segment has been deleted: a counter file keeps the last. */
  private nextSegmentNumber(): number {
    const counterPath = join(this.dir, 'last-segment');
    let last = 0;
    try {
      last = Number(readFileSync(counterPath, 'utf8')) || 0;
    } catch {
      // A new spool.
    }
    for (const name of readdirSync(this.dir)) last = Math.max(last, Number(SEGMENT.exec(name)?.[1] ?? 0));
    const next = last + 1;
    writeFileSync(counterPath, String(next));
    const fd = openSync(counterPath, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    return next;
  }

  private recover(): void {
    const names = readdirSync(this.dir).filter((name) => SEGMENT.test(name)).sort();
    const finals = new Map<string, Set<string> | 'all'>();
    const found: { id: string; segment: number; message: SpoolMessage }[] = [];
    names.forEach((name, index) => {
      const path = join(this.dir, name);
      const read = unframe(readFileSync(path));
      if (read.stoppedBecause !== undefined) {
        // A torn tail of the newest segment is an interrupted append: cut it off. Anything
        // else is damage: keep the file for a person to look at, and say so.
        if (read.stoppedBecause === 'torn-tail' && index === names.length - 1) truncateSync(path, read.goodBytes);
        else this.corrupt.push(`${name}: ${read.stoppedBecause} after ${read.goodBytes} bytes`);
      }
      const segment = Number(SEGMENT.exec(name)?.[1]);
      this.segments.push(segment);
      for (const payload of read.payloads as SpoolRecord[]) {
        if (payload.t === 'E') found.push({ id: payload.id, segment, message: payload.m });
        else if (payload.r === undefined) finals.set(payload.id, 'all');
        else {
          const marks = finals.get(payload.id);
          if (marks !== 'all') finals.set(payload.id, (marks ?? new Set()).add(payload.r));
        }
      }
    });
    for (const { id, segment, message } of found) {
      const marks = finals.get(id);
      if (marks === 'all') continue;
      const pending = message.recipients.filter((recipient) => marks === undefined || !marks.has(recipient));
      if (pending.length === 0) continue;
      this.live.set(id, { message, segment, pending: new Set(pending) });
      this.liveBySegment.set(segment, (this.liveBySegment.get(segment) ?? 0) + 1);
      this.recovered.push({ ...message, id, pending });
      this.recoveredRecipients += pending.length;
    }
  }
}

function validate(message: SpoolMessage, index: number): void {
  const where = `messages[${index}]`;
  if (typeof message.mailFrom !== 'string') throw new TypeError(`${where}.mailFrom must be a string`);
  if (!Array.isArray(message.recipients) || message.recipients.length === 0) throw new TypeError(`${where}.recipients must be a non-empty list`);
  if (message.recipients.some((recipient) => typeof recipient !== 'string')) throw new TypeError(`${where}.recipients must be strings`);
  if (typeof message.data !== 'string' || message.data.length === 0) throw new TypeError(`${where}.data must be a non-empty string`);
  if (!Number.isFinite(message.receivedAtMs)) throw new TypeError(`${where}.receivedAtMs must be a number`);
}

/** A new file's name is durable only once its directory is fsynced. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
