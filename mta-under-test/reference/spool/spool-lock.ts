/**
 * One process owns a spool. A second engine started on the same folder used to recover and
 * delete segments before it bound its ports, and deleted the running engine's live segment:
 * acknowledged mail was gone after the next restart. The owner now holds `dir/lock`, created
 * with O_EXCL and holding its pid, for its whole life; anyone else is refused before it reads
 * or deletes anything.
 *
 * A lock left by a process that died (kill -9, power loss) is stale: its pid no longer runs,
 * and the next owner takes it over. Within one process, a second open of a folder already open
 * is refused as well (tests reopen spools in-process after abandoning the first).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** Why a spool could not be opened: another live process (or this one) holds it. */
export class SpoolLockedError extends Error {
  readonly code = 'E_SPOOL_LOCKED';

  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(`the spool ${dir} is in use by process ${holderPid} (${join(dir, 'lock')}); stop that engine first, or give this one another --spool folder`);
    this.name = 'SpoolLockedError';
  }
}

const heldHere = new Set<string>();

export interface SpoolLock {
  release(): void;
}

/** Takes the spool's lock, or throws SpoolLockedError naming the process that holds it. */
export function lockSpool(dir: string): SpoolLock {
  const key = resolve(dir);
  if (heldHere.has(key)) throw new SpoolLockedError(dir, process.pid);
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(path);
      if (holder !== null && isRunning(holder)) throw new SpoolLockedError(dir, holder);
      // Stale (its process is gone) or half-written by a process that died while taking it.
      try {
        unlinkSync(path);
      } catch {
        // Another process removed it first; try again.
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n${hostname()}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    heldHere.add(key);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        heldHere.delete(key);
        try {
          if (holderOf(path) === process.pid) unlinkSync(path);
        } catch {
          // Already gone.
        }
      },
    };
  }
  throw new Error(`could not take the spool lock ${path}: it kept changing hands`);
}

function holderOf(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  // Our own pid, yet not held here: left by an earlier process that had the same pid.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
