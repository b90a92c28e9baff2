/**
 * One process owns a spool. A second engine started on the same folder used to recover and
 * delete segments before it bound its ports, and deleted the running engine's live segment:
 * acknowledged mail was gone after the next restart. The owner now holds `dir/lock`, created
 * with O_EXCL and holding its pid, for its whole life; anyone else is refused before it reads
 * or deletes anything.
 *
 * A lock left by a process that died (kill -9, power loss) is stale: its pid no longer runs on
 * this host, and the next owner takes it over. A lock written on another host (a shared volume)
 * is never taken for stale: its pid cannot be checked from here. Within one process, a second open of a folder already open
 * is refused as well (tests reopen spools in-process after abandoning the first).
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { MailbenchError } from '../../../kernel/index.ts';

/** Why a spool could not be opened: another live process (or this one) holds it. */
export class SpoolLockedError extends MailbenchError {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
    readonly holderHost: string = hostname(),
  ) {
    super(
      'E_SPOOL_LOCKED',
      `the spool ${dir} is in use by process ${holderPid}${holderHost === hostname() ? '' : ` on ${holderHost}`} (${join(dir, 'lock')}); stop that engine first, or give this one another --spool folder`,
      { context: { dir, holderPid, holderHost } },
    );
    this.name = 'SpoolLockedError';
  }
}

const heldHere = new Set<string>();
/** Makes this process's temporary lock names unique. */
let attempts = 0;

export interface SpoolLock {
  release(): void;
}

/** Takes the spool's lock, or throws SpoolLockedError naming the process that holds it. */
export function lockSpool(dir: string): SpoolLock {
  const key = resolve(dir);
  if (heldHere.has(key)) throw new SpoolLockedError(dir, process.pid);
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path)) return heldLock(key, path);
    const holder = holderOf(path);
    if (holder === null) continue; // Released between our try and our read: try again.
    if (!isStale(holder)) throw new SpoolLockedError(dir, holder.pid, holder.host);
    takeOverStale(path, holder);
  }
  throw new Error(`could not take the spool lock ${path}: it kept changing hands`);
}

/**
 * Creates the lock whole or not at all: the content is written to a file of our own and
 * hard-linked into place (link fails if the lock exists), so no other process ever reads an
 * empty lock and takes it for a dead one.
 */
function tryCreate(path: string): boolean {
  const temporary = `${path}.${process.pid}.${++attempts}`;
  const fd = openSync(temporary, 'wx');
  try {
    writeSync(fd, `${process.pid}\n${hostname()}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function heldLock(key: string, path: string): SpoolLock {
  heldHere.add(key);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      heldHere.delete(key);
      try {
        if (holderOf(path)?.pid === process.pid) unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}

/**
 * Moves a dead holder's lock aside and deletes it, unless what was moved turns out to be a
 * live lock (another process took over the stale one first): that one is put back.
 */
function takeOverStale(path: string, stale: Holder): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // Another process moved it first.
  }
  const moved = holderOf(aside);
  if (moved !== null && (moved.pid !== stale.pid || moved.host !== stale.host)) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process holds the lock now; the loop will find it.
    }
  }
  unlinkSync(aside);
}

interface Holder {
  readonly pid: number;
  readonly host: string;
}

function holderOf(path: string): Holder | null {
  try {
    const [pidLine, host] = readFileSync(path, 'utf8').split('\n');
    const pid = Number.parseInt(pidLine ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? { pid, host: host ?? '' } : null;
  } catch {
    return null;
  }
}

/** A holder on this host whose process is gone. A holder on another host (a shared volume) is never taken for dead. */
function isStale(holder: Holder): boolean {
  if (holder.host !== hostname()) return false;
  // Our own pid, yet not held here: left by an earlier process that had the same pid.
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}
