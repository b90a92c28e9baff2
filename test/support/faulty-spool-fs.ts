/**
 * A spool file system that fails the way disks fail, on top of the real one: writes that take
 * fewer bytes than asked, a disk that fills up mid-record (ENOSPC), an fdatasync that fails
 * (EIO) or never returns. It also knows what a power loss would keep: each file's length at
 * its last successful datasync. `powerLoss()` cuts every file back to that, which is what makes
 * a test fail when the spool acknowledges before it syncs (kill -9 keeps the page cache, so only
 * this can tell).
 */
import { truncateSync } from 'node:fs';
import { nodeSpoolFileSystem } from '../../mta-under-test/reference/spool/spool-files.ts';
import type { SegmentFile, SpoolFileSystem } from '../../mta-under-test/reference/spool/spool-files.ts';

export interface Faults {
  /** Each write call takes at most this many bytes. */
  writeChunkMax?: number;
  /** Bytes the disk can still take; past it a write is short and the next one fails with ENOSPC. */
  spaceLeft?: number;
  /** The next datasync fails with EIO. */
  failNextDatasync?: boolean;
  /** Datasyncs never return until `releaseHungSyncs()`. */
  hangDatasync?: boolean;
}

function errno(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

export class FaultySpoolFs implements SpoolFileSystem {
  readonly faults: Faults = {};
  /** Each file's length at its last successful datasync. */
  readonly durable = new Map<string, number>();
  datasyncs = 0;
  private hung: (() => void)[] = [];

  async openSegment(path: string): Promise<{ readonly file: SegmentFile; readonly bytes: number }> {
    const opened = await nodeSpoolFileSystem.openSegment(path);
    if (!this.durable.has(path)) this.durable.set(path, opened.bytes);
    let length = opened.bytes;
    const file: SegmentFile = {
      write: async (buffer, position) => {
        let take = Math.min(buffer.byteLength, this.faults.writeChunkMax ?? Infinity);
        if (this.faults.spaceLeft !== undefined) {
          if (this.faults.spaceLeft <= 0) throw errno('ENOSPC', 'no space left on device');
          take = Math.min(take, this.faults.spaceLeft);
          this.faults.spaceLeft -= take;
        }
        const wrote = await opened.file.write(buffer.subarray(0, take), position);
        length = Math.max(length, position + wrote);
        return wrote;
      },
      datasync: async () => {
        if (this.faults.hangDatasync === true) await new Promise<void>((resolve) => this.hung.push(resolve));
        if (this.faults.failNextDatasync === true) {
          this.faults.failNextDatasync = false;
          throw errno('EIO', 'i/o error');
        }
        await opened.file.datasync();
        this.datasyncs++;
        this.durable.set(path, length);
      },
      truncate: async (bytes) => {
        await opened.file.truncate(bytes);
        length = bytes;
        this.durable.set(path, Math.min(this.durable.get(path) ?? 0, bytes));
      },
      close: () => opened.file.close(),
    };
    return { file, bytes: opened.bytes };
  }

  readAt(path: string, position: number, length: number): Promise<Buffer> {
    return nodeSpoolFileSystem.readAt(path, position, length);
  }

  releaseHungSyncs(): void {
    this.faults.hangDatasync = false;
    for (const resolve of this.hung.splice(0)) resolve();
  }

  /** What the disk keeps after the power goes: every file cut back to its last synced length. */
  powerLoss(): void {
    for (const [path, bytes] of this.durable) {
      try {
        truncateSync(path, bytes);
      } catch {
        // Deleted since (reclaimed): nothing to lose.
      }
    }
  }
}
