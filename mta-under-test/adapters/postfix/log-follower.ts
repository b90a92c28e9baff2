/**
 * Follows a growing log file (Postfix's maillog_file) and hands over each complete line, in
 * order, once. Polls rather than watches: fs.watch misses appends on some filesystems, and a
 * 50 ms poll costs nothing next to a delivery. A file that does not exist yet is waited for;
 * a file that shrinks (rotated, truncated) is read again from its start.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 64 * 1024;

export class LogFollower {
  private handle: FileHandle | undefined;
  private offset = 0;
  private partial = '';
  /** Keeps a UTF-8 sequence cut by a chunk boundary for the next chunk. */
  private decoder = new StringDecoder('utf8');
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private isStopped = false;

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
    /** @defaultValue 50 ms */
    private readonly pollMs = 50,
  ) {}

  start(): void {
    this.schedule();
  }

  /** Reads what is left and stops; safe twice. */
  async stop(): Promise<void> {
    if (this.isStopped) return;
    this.isStopped = true;
    clearTimeout(this.timer);
    await this.reading;
    await this.readAvailable();
    await this.handle?.close();
    this.handle = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.reading = this.readAvailable().finally(() => {
        if (!this.isStopped) this.schedule();
      });
    }, this.pollMs);
  }

  private async readAvailable(): Promise<void> {
    if (this.handle === undefined) {
      try {
        this.handle = await open(this.path, 'r');
      } catch {
        return; // Not written yet.
      }
    }
    const { size } = await this.handle.stat();
    if (size < this.offset) {
      this.offset = 0;
      this.partial = '';
      this.decoder = new StringDecoder('utf8');
    }
    const buffer = Buffer.alloc(CHUNK_BYTES);
    while (this.offset < size) {
      const { bytesRead } = await this.handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - this.offset), this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      this.emit(this.decoder.write(buffer.subarray(0, bytesRead)));
    }
  }

  private emit(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') continue;
      try {
        this.onLine(line);
      } catch (error) {
        // A listener's bug must be seen, not swallowed by the poll loop.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
