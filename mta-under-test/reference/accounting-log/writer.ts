/**
 * The engine's accounting log on disk: one `AccountingRecord` per line as JSON (JSON Lines),
 * appended to files named by sequence (file-names.ts) and rotated at a size and/or a record
 * count, like KumoMTA's log segments and PowerMTA's accounting files (research/engines.md §3.8,
 * §4.5).
 *
 * **What a crash loses.** `write` only buffers; the buffer goes to the file (one `write(2)`
 * per batch) when it reaches `bufferBytesMax`, after `flushIntervalMs`, on `flush()` and on
 * `close()`. A crash loses at most the records not yet written, the unflushed tail, and may
 * leave the last line of the file being written torn, which the reader skips. The log does
 * not fsync each record: it is the engine's account of what it did, not the spool (the spool
 * fsyncs before it acknowledges a message; see spool/DURABILITY.md). A file is fsynced once,
 * when it is closed (rotation, `close()`), so a finished file survives a power loss. The
 * interval timer does not keep a process alive: call `close()` before a normal exit.
 *
 * **Back-pressure.** `write` returns false once `pendingBytesHighWater` bytes are waiting, as
 * a Node stream does; a caller that can wait awaits `drain()`. Nothing is ever dropped: a
 * caller that ignores the signal costs memory, not records.
 *
 * **Failure is loud.** If a write to disk fails, `flush()` and `close()` reject with the error
 * and every later `write` throws it: the records of the failed batch are lost, and the caller
 * is told.
 */
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AccountingRecord } from '../../accounting.ts';
import { listLogFiles, logFileName, logFileSequence } from './file-names.ts';

export interface AccountingLogOptions {
  /** The folder the files go to; created if missing. */
  readonly dir: string;
  /** Start a new file before one would grow past this many bytes (a record is never split; one larger than this gets a file alone). @defaultValue 64 MiB */
  readonly fileBytesMax?: number;
  /** Start a new file after this many records. @defaultValue unlimited */
  readonly fileRecordsMax?: number;
  /** Buffered bytes that start a write at once instead of at the interval. @defaultValue 64 KiB */
  readonly bufferBytesMax?: number;
  /** Longest a buffered record waits before it is written. @defaultValue 1,000 ms */
  readonly flushIntervalMs?: number;
  /** `write` returns false while at least this many bytes wait to be written. @defaultValue 8 MiB */
  readonly pendingBytesHighWater?: number;
}

/** The options with every default filled in. */
export type ResolvedAccountingLogOptions = {
  readonly [K in keyof Required<AccountingLogOptions>]: NonNullable<AccountingLogOptions[K]>;
};

export function resolveAccountingLogOptions(options: AccountingLogOptions): ResolvedAccountingLogOptions {
  const resolved: ResolvedAccountingLogOptions = {
    dir: options.dir,
    fileBytesMax: options.fileBytesMax ?? 64 * 1024 * 1024,
    fileRecordsMax: options.fileRecordsMax ?? Number.POSITIVE_INFINITY,
    bufferBytesMax: options.bufferBytesMax ?? 64 * 1024,
    flushIntervalMs: options.flushIntervalMs ?? 1_000,
    pendingBytesHighWater: options.pendingBytesHighWater ?? 8 * 1024 * 1024,
  };
  for (const key of [
    'fileBytesMax',
    'fileRecordsMax',
    'bufferBytesMax',
    'flushIntervalMs',
    'pendingBytesHighWater',
  ] as const) {
    if (!(resolved[key] > 0))
      throw new RangeError(`accounting log option ${key} must be more than 0 (got ${resolved[key]})`);
  }
  return resolved;
}

export interface AccountingLogStats {
  readonly recordsWritten: number;
  readonly bytesWritten: number;
  /** Files this writer created, oldest first (names only). */
  readonly files: readonly string[];
  /** Bytes accepted by `write` and not yet written to a file. */
  readonly pendingBytes: number;
}

/** Lines bound for one file: `fileIndex` counts the files of this writer, 0 for its first. */
interface Chunk {
  readonly fileIndex: number;
  readonly lines: string[];
  bytes: number;
  records: number;
}

export class AccountingLogWriter {
  private queue: Chunk[] = [];
  /** Where the next record goes: the file index and what that file holds or will hold. */
  private planned = { fileIndex: 0, bytes: 0, records: 0 };
  private pendingBytes = 0;
  private handle: FileHandle | null = null;
  private handleIndex = -1;
  private readonly files: string[] = [];
  private recordsWritten = 0;
  private bytesWritten = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private drainWaiters: (() => void)[] = [];
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly options: ResolvedAccountingLogOptions,
    /** The sequence of this writer's first file: one past the highest already in the folder. */
    private readonly firstSequence: number,
  ) {}

  /** Opens a writer on `options.dir`; its first file comes after every file already there. */
  static open(options: AccountingLogOptions): AccountingLogWriter {
    const resolved = resolveAccountingLogOptions(options);
    mkdirSync(resolved.dir, { recursive: true });
    const highest = listLogFiles(resolved.dir).reduce(
      (max, path) => Math.max(max, logFileSequence(basename(path)) ?? 0),
      0,
    );
    return new AccountingLogWriter(resolved, highest + 1);
  }

  /**
   * Buffers one record. Returns false when the caller should slow down (await `drain()`);
   * the record is taken either way. Throws if the writer is closed or a disk write failed.
   */
  write(record: AccountingRecord): boolean {
    if (this.failure !== null) throw this.failure;
    if (this.closed) throw new Error(`the accounting log in ${this.options.dir} is closed`);
    const line = `${JSON.stringify(record)}\n`;
    const bytes = Buffer.byteLength(line);
    const planned = this.planned;
    if (
      planned.records > 0 &&
      (planned.bytes + bytes > this.options.fileBytesMax || planned.records >= this.options.fileRecordsMax)
    ) {
      this.planned = { fileIndex: planned.fileIndex + 1, bytes: 0, records: 0 };
    }
    this.planned.bytes += bytes;
    this.planned.records += 1;
    let chunk = this.queue.at(-1);
    if (chunk?.fileIndex !== this.planned.fileIndex) {
      chunk = { fileIndex: this.planned.fileIndex, lines: [], bytes: 0, records: 0 };
      this.queue.push(chunk);
    }
    chunk.lines.push(line);
    chunk.bytes += bytes;
    chunk.records += 1;
    this.pendingBytes += bytes;
    if (this.pendingBytes >= this.options.bufferBytesMax) this.kick();
    else this.timer ??= setTimeout(() => this.onTimer(), this.options.flushIntervalMs).unref();
    return this.pendingBytes < this.options.pendingBytesHighWater;
  }

  /** Resolves once fewer than `pendingBytesHighWater` bytes wait (at once if they already do). */
  drain(): Promise<void> {
    if (this.pendingBytes < this.options.pendingBytesHighWater || this.failure !== null) return Promise.resolve();
    this.kick();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Writes every buffered record to its file (no fsync); rejects if a write failed. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.flushing !== null) {
      this.kick();
      await this.flushing;
    }
    if (this.failure !== null) throw this.failure;
  }

  /** Flushes, fsyncs and closes the current file; later writes throw. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      clearTimeout(this.timer);
      await this.closeHandle();
    }
  }

  stats(): AccountingLogStats {
    return {
      recordsWritten: this.recordsWritten,
      bytesWritten: this.bytesWritten,
      files: [...this.files],
      pendingBytes: this.pendingBytes,
    };
  }

  private onTimer(): void {
    this.timer = undefined;
    this.kick();
  }

  private kick(): void {
    if (this.failure !== null) return;
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = null;
    });
  }

  /** Writes queued chunks, in order, until none is left. */
  private async flushLoop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      for (let chunk = this.queue.shift(); chunk !== undefined; chunk = this.queue.shift()) {
        const handle = await this.handleFor(chunk.fileIndex);
        await handle.write(chunk.lines.join(''));
        this.pendingBytes -= chunk.bytes;
        this.bytesWritten += chunk.bytes;
        this.recordsWritten += chunk.records;
        this.wakeDrainWaiters();
      }
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      this.failure = new Error(
        `the accounting log could not write to ${this.files.at(-1) ?? this.options.dir}: ${cause.message}`,
        { cause },
      );
      this.queue = [];
      this.pendingBytes = 0;
      this.wakeDrainWaiters();
    }
  }

  private wakeDrainWaiters(): void {
    if (this.pendingBytes >= this.options.pendingBytesHighWater && this.failure === null) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /** The open file for `fileIndex`, rotating (fsync and close the old one, create the new one) when it changes. */
  private async handleFor(fileIndex: number): Promise<FileHandle> {
    if (this.handle !== null && this.handleIndex === fileIndex) return this.handle;
    await this.closeHandle();
    const name = logFileName(this.firstSequence + fileIndex);
    // 'wx': never append to a file this writer did not create (another writer's, or a torn one).
    this.handle = await open(join(this.options.dir, name), 'wx');
    this.handleIndex = fileIndex;
    this.files.push(name);
    return this.handle;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    this.handle = null;
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}
