/**
 * The durable spool on a real file system: what is acknowledged comes back after a reopen,
 * minus what was marked final; a torn tail is cut and earlier records survive; concurrent
 * enqueues share fsyncs; spent segments are deleted. Properties: any sequence of enqueues,
 * finals and reopens recovers exactly the pending recipients.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import { testSeed } from '../../support/test-seed.ts';
import { Spool } from '../../../mta-under-test/reference/spool/spool.ts';
import type { SpoolMessage } from '../../../mta-under-test/reference/spool/spool.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-spool-'));
  dirs.push(dir);
  return dir;
}

const message = (n: number, recipients = [`user${n}@example.com`]): SpoolMessage => ({
  mailFrom: 'bounces@news.example',
  recipients,
  data: `Subject: ${n}\r\n\r\nbody ${n}\r\n`,
  receivedAtMs: 1_000 + n,
  meta: { tenant: 'acme' },
});
const segmentsIn = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('segment-'));

test('acknowledged messages come back after a reopen, minus the recipients marked final', async () => {
  // Arrange
  const dir = freshDir();
  const spool = await Spool.open(dir);
  const [first, second] = await spool.enqueue([message(1, ['a@example.com', 'b@example.com']), message(2)]);
  spool.markFinal(first as string, 'a@example.com');
  spool.markFinal(second as string);
  await spool.close();
  // Act
  const reopened = await Spool.open(dir);
  // Assert
  const { data, ...envelope } = message(1, ['a@example.com', 'b@example.com']);
  expect(reopened.recoveredMessages()).toEqual([
    { ...envelope, id: first, pending: ['b@example.com'], bytes: expect.any(Number) as number },
  ]);
  expect(await reopened.body(first as string).load()).toBe(data);
  expect(reopened.stats().recoveredRecipients).toBe(1);
  await reopened.close();
});

test('a torn record at the end of the newest segment is cut off; the records before it survive', async () => {
  // Arrange
  const dir = freshDir();
  const spool = await Spool.open(dir);
  await spool.enqueue([message(1)]);
  await spool.close();
  const newest = segmentsIn(dir).sort().at(-1) as string;
  appendFileSync(join(dir, newest), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 123]));
  // Act
  const reopened = await Spool.open(dir);
  // Assert
  expect(
    await Promise.all(reopened.recoveredMessages().map((recovered) => reopened.body(recovered.id).load())),
  ).toEqual([message(1).data]);
  expect(reopened.stats().corruptSegments).toEqual([]);
  await reopened.close();
});

test('a corrupt record in an older segment stops reading there, and the segment is named', async () => {
  // Arrange: two segments, the first damaged after its first record.
  const dir = freshDir();
  const spool = await Spool.open(dir);
  await spool.enqueue([message(1)]);
  await spool.enqueue([message(2)]);
  await spool.close();
  const later = await Spool.open(dir);
  await later.enqueue([message(3)]);
  await later.close();
  const oldest = segmentsIn(dir).sort()[0] as string;
  appendFileSync(join(dir, oldest), Buffer.alloc(0));
  const bytes = readdirSync(dir).length;
  expect(bytes).toBeGreaterThan(0);
  const path = join(dir, oldest);
  const original = (await import('node:fs')).readFileSync(path);
  const damaged = Buffer.from(original);
  damaged[original.byteLength - 3] = (damaged[original.byteLength - 3] as number) ^ 0xff;
  writeFileSync(path, damaged);
  // Act
  const reopened = await Spool.open(dir);
  // Assert
  expect(
    await Promise.all(reopened.recoveredMessages().map((recovered) => reopened.body(recovered.id).load())),
  ).toEqual([message(1).data, message(3).data]);
  expect(reopened.stats().corruptSegments).toEqual([
    expect.stringMatching(new RegExp(`^${oldest}: crc-mismatch`)) as unknown,
  ]);
  await reopened.close();
});

test('concurrent enqueues share fsyncs (group commit)', async () => {
  // Arrange
  const spool = await Spool.open(freshDir());
  // Act: 200 callers at once.
  await Promise.all(Array.from({ length: 200 }, (_, n) => spool.enqueue([message(n)])));
  // Assert: the first call gets its own fsync, everyone who arrived meanwhile shares the next.
  expect(spool.stats().fsyncs).toBeLessThanOrEqual(3);
  await spool.close();
});

test('segments rotate, and a segment whose messages are all final is deleted', async () => {
  // Arrange: tiny segments, so each enqueue fills one.
  const dir = freshDir();
  const spool = await Spool.open(dir, { segmentBytesMax: 100 });
  const ids = [
    ...(await spool.enqueue([message(1)])),
    ...(await spool.enqueue([message(2)])),
    ...(await spool.enqueue([message(3)])),
  ];
  const before = segmentsIn(dir).length;
  // Act
  for (const id of ids.slice(0, 2)) spool.markFinal(id);
  await spool.sync();
  // Assert
  expect(before).toBe(4);
  expect(segmentsIn(dir).length).toBe(2);
  await spool.close();
  const reopened = await Spool.open(dir, { segmentBytesMax: 100 });
  expect(reopened.recoveredMessages().map((recovered) => recovered.id)).toEqual([ids[2]]);
  await reopened.close();
});

test('bad input is refused with the field named', async () => {
  // Arrange
  const spool = await Spool.open(freshDir());
  // Act and assert
  await expect(spool.enqueue([{ ...message(1), recipients: [] }])).rejects.toThrow(
    /messages\[0\]\.recipients must be a non-empty list/,
  );
  await expect(spool.enqueue([message(1), { ...message(2), data: '' }])).rejects.toThrow(
    /messages\[1\]\.data must be a non-empty string/,
  );
  await spool.close();
});

test('property: any sequence of enqueues, finals and reopens recovers exactly the pending recipients', async () => {
  type Step =
    { kind: 'enqueue'; recipients: number } | { kind: 'final'; pick: number; whole: boolean } | { kind: 'reopen' };
  const step = fc.oneof(
    fc.record({ kind: fc.constant('enqueue' as const), recipients: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('final' as const), pick: fc.nat(), whole: fc.boolean() }),
    fc.record({ kind: fc.constant('reopen' as const) }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps: Step[]) => {
      const dir = freshDir();
      let spool = await Spool.open(dir, { segmentBytesMax: 300 });
      const expected = new Map<string, Set<string>>();
      let n = 0;
      for (const current of steps) {
        if (current.kind === 'enqueue') {
          n++;
          const recipients = Array.from({ length: current.recipients }, (_, index) => `r${index}@m${n}.example`);
          const [id] = await spool.enqueue([message(n, recipients)]);
          expected.set(id as string, new Set(recipients));
        } else if (current.kind === 'final' && expected.size > 0) {
          const [id, pending] = [...expected.entries()][current.pick % expected.size] as [string, Set<string>];
          const recipient = [...pending][0] as string;
          spool.markFinal(id, current.whole ? undefined : recipient);
          if (current.whole) pending.clear();
          else pending.delete(recipient);
          if (pending.size === 0) expected.delete(id);
        } else if (current.kind === 'reopen') {
          await spool.close();
          spool = await Spool.open(dir, { segmentBytesMax: 300 });
        }
      }
      await spool.close();
      const reopened = await Spool.open(dir, { segmentBytesMax: 300 });
      const recovered = new Map(reopened.recoveredMessages().map((item) => [item.id, new Set(item.pending)]));
      await reopened.close();
      expect(recovered).toEqual(expected);
    }),
    { seed: testSeed(), numRuns: 40 },
  );
});

test('a segment is not reclaimed on a final mark that is not yet durable: a crash before the fsync delivers again', async () => {
  // Arrange: the message's segment is an older one once the spool has been reopened.
  const dir = freshDir();
  const first = await Spool.open(dir);
  const [id] = await first.enqueue([message(1)]);
  await first.close();
  const second = await Spool.open(dir);
  const segmentsBefore = segmentsIn(dir);
  // Act: the final mark is appended, not fsynced; the process "crashes" (the spool is dropped unclosed).
  second.markFinal(id as string);
  const segmentsAfterMark = segmentsIn(dir);
  second.abandon();
  const afterCrash = await Spool.open(dir);
  // Assert
  expect(segmentsAfterMark).toEqual(segmentsBefore);
  expect(afterCrash.recoveredMessages().map((recovered) => recovered.id)).toEqual([id]);
  await afterCrash.close();
});

test('a sync with nothing to write does not stop later enqueues from being made durable', async () => {
  // Arrange: a sync when nothing is pending used to leave a finished flush loop behind as if it ran.
  const dir = freshDir();
  const spool = await Spool.open(dir);
  await spool.sync();
  // Act: an enqueue afterwards must reach its fsync (it hung forever before the fix).
  const ids = await Promise.race([
    spool.enqueue([message(1)]),
    new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000)),
  ]);
  // Assert
  expect(ids).not.toBe('hung');
  await spool.close();
  const reopened = await Spool.open(dir);
  expect(reopened.recoveredMessages()).toHaveLength(1);
  await reopened.close();
});
