/**
 * The spool's promise under kill -9: a child process enqueues and prints every id whose
 * enqueue resolved; it is killed with SIGKILL mid-stream; reopening the spool recovers every
 * printed id (acknowledged means durable), and nothing corrupt is reported.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { Spool } from '../../mta-under-test/reference/spool/spool.ts';

const dir = mkdtempSync(join(tmpdir(), 'mailbench-spool-crash-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('every id acknowledged before kill -9 is recovered', async () => {
  // Arrange
  const writer = spawn(process.execPath, [
    '--import',
    'tsx',
    new URL('./fixtures/spool-writer.mts', import.meta.url).pathname,
    dir,
  ]);
  const acknowledged: string[] = [];
  let partial = '';
  // Act: kill it once a few hundred messages are acknowledged.
  await new Promise<void>((resolve, reject) => {
    writer.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      acknowledged.push(...lines);
      if (acknowledged.length >= 500 && writer.exitCode === null) writer.kill('SIGKILL');
    });
    writer.once('exit', (_code, signal) =>
      signal === 'SIGKILL'
        ? resolve()
        : reject(new Error(`the writer ended by itself (${_code}) before it was killed`)),
    );
  });
  const spool = await Spool.open(dir);
  // Assert
  const recovered = new Set(spool.recoveredMessages().map((message) => message.id));
  expect(acknowledged.length).toBeGreaterThanOrEqual(500);
  expect(acknowledged.filter((id) => !recovered.has(id))).toEqual([]);
  expect(spool.stats().corruptSegments).toEqual([]);
  await spool.close();
});
