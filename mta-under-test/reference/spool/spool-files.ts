/**
 * The spool's seam to the file system: the few calls whose failure decides what is durable
 * (positional writes, fdatasync, truncation, reads of a record). Production uses node:fs; tests
 * give a file system that writes short, runs out of space, fails with EIO or never returns from
 * a datasync, so the spool's promise ("acknowledged means durable", DURABILITY.md) is proven
 * against the failures a real disk has, not only against kill -9 (which keeps the page cache).
 */
import { open } from 'node:fs/promises';

/** One segment file open for appending at explicit positions. */
export interface SegmentFile {
  /** Writes `buffer` at byte `position`; resolves with how many bytes the call wrote (may be fewer). */
  write(buffer: Buffer, position: number): Promise<number>;
  /** Makes every byte written so far durable (fdatasync). */
  datasync(): Promise<void>;
  /** Cuts the file back to `bytes` (a torn or unacknowledged tail). */
  truncate(bytes: number): Promise<void>;
  close(): Promise<void>;
}

export interface SpoolFileSystem {
  /** Opens (creating if needed) a segment for writing; the file's current length is where appends start. */
  openSegment(path: string): Promise<{ readonly file: SegmentFile; readonly bytes: number }>;
  /** Reads `length` bytes at `position` of the file at `path`. */
  readAt(path: string, position: number, length: number): Promise<Buffer>;
}

export const nodeSpoolFileSystem: SpoolFileSystem = {
  async openSegment(path) {
    // 'a+' would ignore positions on Linux (O_APPEND); 'r+' after creating keeps them.
    await (await open(path, 'a')).close();
    const handle = await open(path, 'r+');
    let size: number;
    try {
      ({ size } = await handle.stat());
    } catch (error) {
      await handle.close();
      throw error;
    }
    return {
      bytes: size,
      file: {
        write: async (buffer, position) => (await handle.write(buffer, 0, buffer.byteLength, position)).bytesWritten,
        datasync: () => handle.datasync(),
        truncate: (bytes) => handle.truncate(bytes),
        close: () => handle.close(),
      },
    };
  },
  async readAt(path, position, length) {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(buffer, read, length - read, position + read);
        if (bytesRead === 0)
          throw new Error(`${path}: the record at byte ${position} ends early (${read} of ${length} bytes)`);
        read += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  },
};

/**
 * Writes every byte of `buffers`, one after the other from `position`, looping over short
 * writes (a write may take part of a buffer); a write that takes nothing is a full disk.
 */
export async function writeAll(file: SegmentFile, buffers: readonly Buffer[], position: number): Promise<void> {
  let at = position;
  for (const buffer of buffers) {
    for (let written = 0; written < buffer.byteLength;) {
      const wrote = await file.write(buffer.subarray(written), at);
      if (!(wrote > 0))
        throw Object.assign(new Error(`the disk took none of ${buffer.byteLength - written} bytes (full?)`), {
          code: 'ENOSPC',
        });
      written += wrote;
      at += wrote;
    }
  }
}
