/**
 * Follows a growing accounting log folder (the engine service's JSON Lines, rotated): every
 * complete line is handed on once, in order; a line still being written (no newline yet) waits
 * for the next read. This is how the bench hears a reference engine that runs as its own
 * process: only through the log it writes (DESIGN rule 3).
 */
import { existsSync, openSync, closeSync, readSync, fstatSync } from 'node:fs';
import type { AccountingRecord } from '../../accounting.ts';
import { listLogFiles } from '../../reference/accounting-log/file-names.ts';

/** How often the folder is read while the engine runs (real milliseconds). */
const POLL_INTERVAL_MS = 100;

export class AccountingTail {
  private file: string | undefined;
  private offset = 0;
  private partial = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly onRecord: (record: AccountingRecord) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.read(), POLL_INTERVAL_MS);
  }

  /** Reads what is left and stops following. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.read();
  }

  /** Everything new: the rest of the current file, then each newer file from its start. */
  read(): void {
    if (!existsSync(this.dir)) return;
    const files = listLogFiles(this.dir);
    const from = this.file === undefined ? 0 : files.indexOf(this.file);
    for (const file of files.slice(Math.max(0, from))) {
      if (file !== this.file) {
        this.file = file;
        this.offset = 0;
        this.partial = '';
      }
      this.readFrom(file);
    }
  }

  private readFrom(file: string): void {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const lines = (this.partial + buffer.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.onRecord(JSON.parse(line) as AccountingRecord);
    } finally {
      closeSync(fd);
    }
  }
}
