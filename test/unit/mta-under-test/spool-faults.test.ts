/**
 * The spool against a disk that misbehaves (test/support/faulty-spool-fs.ts): short writes, a
 * disk that fills up in the middle of a record, an fdatasync that fails or never returns, and a
 * power loss that keeps only what was synced. Each test acknowledges what the spool
 * acknowledges, then reopens it and checks that every acknowledged message is there, that no
 * refused one is, and that the spool is readable (no corrupt segment). The power-loss test is
 * the one that fails when the datasync call is removed from the spool.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { Spool } from '../../../mta-under-test/reference/spool/spool.ts';
import type { SpoolMessage } from '../../../mta-under-test/reference/spool/spool.ts';
import { SpoolLockedError } from '../../../mta-under-test/reference/spool/spool-lock.ts';
import { FaultySpoolFs } from '../../support/faulty-spool-fs.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-spool-faults-'));
  dirs.push(dir);
  return dir;
}

const message = (n: number): SpoolMessage => ({
  mailFrom: 'bounces@news.example',
  recipients: [`user${n}@example.com`],
  data: `Subject: ${n}\r\n\r\n${'body '.repeat(40)}${n}\r\n`,
  receivedAtMs: n,
  meta: {},
});

/** Enqueues one message; its id when acknowledged, null when refused. */
async function offer(spool: Spool, n: number): Promise<string | null> {
  try {
    const [id] = await spool.enqueue([message(n)]);
    return id ?? null;
  } catch {
    return null;
  }
}

async function reopenAndRead(dir: string): Promise<{ ids: string[]; bodies: string[]; corrupt: readonly string[] }> {
  const spool = await Spool.open(dir);
  const recovered = spool.recoveredMessages();
  const bodies = await Promise.all(recovered.map((item) => spool.body(item.id).load()));
  const corrupt = spool.stats().corruptSegments;
  await spool.close();
  return { ids: recovered.map((item) => item.id), bodies, corrupt };
}

test('short writes: every byte is written before anything is acknowledged', async () => {
  // Arrange: the disk takes at most 7 bytes a call.
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  fs.faults.writeChunkMax = 7;
  const spool = await Spool.open(dir, { fileSystem: fs });
  // Act
  const ids = await Promise.all([1, 2, 3].map((n) => offer(spool, n)));
  await spool.close();
  // Assert
  expect(ids.every((id) => id !== null)).toBe(true);
  const after = await reopenAndRead(dir);
  expect(after.ids).toEqual(ids);
  expect(after.bodies).toEqual([1, 2, 3].map((n) => message(n).data));
  expect(after.corrupt).toEqual([]);
});

test('a disk that fills up mid-record: that batch is refused, the torn bytes are cut, and mail after space returns is kept', async () => {
  // Arrange: two messages fit; the third is cut off in the middle.
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  const spool = await Spool.open(dir, { fileSystem: fs });
  const before = [await offer(spool, 1), await offer(spool, 2)];
  fs.faults.spaceLeft = 30;
  // Act
  const whenFull = [await offer(spool, 3), await offer(spool, 4)];
  delete fs.faults.spaceLeft;
  const afterSpaceReturns = await Promise.all(Array.from({ length: 10 }, (_, n) => offer(spool, 10 + n)));
  await spool.close();
  // Assert
  expect(before.every((id) => id !== null)).toBe(true);
  expect(whenFull).toEqual([null, null]);
  expect(afterSpaceReturns.every((id) => id !== null)).toBe(true);
  expect(spool.stats().failedWrites).toBe(2);
  const after = await reopenAndRead(dir);
  expect(after.ids).toEqual([...before, ...afterSpaceReturns]);
  expect(after.corrupt).toEqual([]);
});

test('a datasync that fails with EIO refuses its batch, and the refused record is cut even when nothing follows', async () => {
  // Arrange: the whole record is written, then its sync fails; the spool closes at once.
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  const spool = await Spool.open(dir, { fileSystem: fs });
  const first = await offer(spool, 1);
  fs.faults.failNextDatasync = true;
  // Act
  const refused = await offer(spool, 2);
  await spool.close();
  // Assert: a restart must not deliver what its client was told was refused.
  expect(refused).toBeNull();
  expect((await reopenAndRead(dir)).ids).toEqual([first]);
});

test('a datasync that fails with EIO refuses its batch; the spool goes on and stays readable', async () => {
  // Arrange
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  const spool = await Spool.open(dir, { fileSystem: fs });
  const first = await offer(spool, 1);
  fs.faults.failNextDatasync = true;
  // Act
  const refused = await offer(spool, 2);
  const later = await offer(spool, 3);
  await spool.close();
  // Assert
  expect(first).not.toBeNull();
  expect(refused).toBeNull();
  expect(later).not.toBeNull();
  const after = await reopenAndRead(dir);
  expect(after.ids).toEqual([first, later]);
  expect(after.corrupt).toEqual([]);
});

test('final marks of a failed write are written with the next one', async () => {
  // Arrange
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  const spool = await Spool.open(dir, { fileSystem: fs });
  const [done, open] = [await offer(spool, 1), await offer(spool, 2)];
  spool.markFinal(done as string);
  fs.faults.failNextDatasync = true;
  // Act: the sync carrying the mark fails; the next one succeeds.
  await expect(spool.sync()).rejects.toThrow(/EIO/);
  await spool.sync();
  await spool.close();
  // Assert
  expect((await reopenAndRead(dir)).ids).toEqual([open]);
});

test('a datasync that never returns: nothing is acknowledged until it does', async () => {
  // Arrange
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  const spool = await Spool.open(dir, { fileSystem: fs });
  fs.faults.hangDatasync = true;
  // Act
  let acknowledged = false;
  const pending = spool.enqueue([message(1)]).then((ids) => {
    acknowledged = true;
    return ids;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const whileHung = acknowledged;
  fs.releaseHungSyncs();
  const ids = await pending;
  await spool.close();
  // Assert
  expect(whileHung).toBe(false);
  expect(ids).toHaveLength(1);
});

test('a segment is not reclaimed by a write that does not carry the final mark that emptied it', async () => {
  // Arrange: A alone in an older segment; a write of B is under way (its sync hangs).
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  const spool = await Spool.open(dir, { fileSystem: fs, segmentBytesMax: 100 });
  const a = await offer(spool, 1);
  fs.faults.hangDatasync = true;
  const b = offer(spool, 2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Act: A's final mark goes into the next write; B's write finishes; the process dies.
  spool.markFinal(a as string);
  fs.releaseHungSyncs();
  await b;
  spool.abandon();
  // Assert: A's mark never became durable, so A must come back (at least once).
  expect((await reopenAndRead(dir)).ids).toContain(a);
});

test('a power loss keeps every acknowledged message: acknowledged means synced (fails if the datasync is removed)', async () => {
  // Arrange
  const dir = freshDir();
  const fs = new FaultySpoolFs();
  const spool = await Spool.open(dir, { fileSystem: fs });
  const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => offer(spool, n)));
  // Act: the power goes before the process can close anything; only synced bytes survive.
  spool.abandon();
  fs.powerLoss();
  // Assert
  expect(fs.datasyncs).toBeGreaterThan(0);
  const after = await reopenAndRead(dir);
  expect(after.ids).toEqual(ids);
  expect(after.corrupt).toEqual([]);
});

test('a lock left by a dead process is taken over; one written on another host is not', async () => {
  // Arrange: a pid that cannot run (above Linux's pid_max), on this host, then on another.
  const dir = freshDir();
  writeFileSync(join(dir, 'lock'), `4194999\n${hostname()}\n`);
  // Act
  const taken = await Spool.open(dir);
  await taken.close();
  writeFileSync(join(dir, 'lock'), '4194999\nother-host\n');
  const refused = Spool.open(dir);
  // Assert
  await expect(refused).rejects.toThrow(/in use by process 4194999 on other-host/);
});

test('one process owns a spool: a second open is refused, naming the holder, before anything is read', async () => {
  // Arrange
  const dir = freshDir();
  const first = await Spool.open(dir);
  const [id] = await first.enqueue([message(1)]);
  // Act
  const second = Spool.open(dir);
  // Assert
  await expect(second).rejects.toThrow(SpoolLockedError);
  await expect(second).rejects.toThrow(new RegExp(`in use by process ${process.pid}`));
  first.markFinal(id as string);
  await first.close();
  const reopened = await Spool.open(dir);
  expect(reopened.recoveredMessages()).toEqual([]);
  await reopened.close();
});
