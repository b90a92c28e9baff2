/**
 * Following a growing log: a file that appears later, lines split across writes, each line
 * once and in order, a truncated file read again from its start, and what is left read at stop.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { LogFollower } from '../../../../../mta-under-test/adapters/postfix/log-follower.ts';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function logPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'mailbench-follow-'));
  directories.push(directory);
  return join(directory, 'maillog');
}

/** Polls until `lines` has `count` entries; bounded. */
async function until(lines: string[], count: number): Promise<void> {
  for (let waitedMs = 0; lines.length < count && waitedMs < 5_000; waitedMs += 10) await sleep(10);
}

test('waits for the file, joins split lines, and hands each line over once, in order', async () => {
  // Arrange
  const path = logPath();
  const lines: string[] = [];
  const follower = new LogFollower(path, (line) => lines.push(line), 10);
  // Act
  follower.start();
  await sleep(30);
  writeFileSync(path, 'one\ntw');
  await until(lines, 1);
  appendFileSync(path, 'o\nthree é\n');
  await until(lines, 3);
  await follower.stop();
  // Assert
  expect(lines).toEqual(['one', 'two', 'three é']);
});

test('a truncated file is read again from its start', async () => {
  // Arrange
  const path = logPath();
  const lines: string[] = [];
  writeFileSync(path, 'old line one\nold line two\n');
  const follower = new LogFollower(path, (line) => lines.push(line), 10);
  follower.start();
  await until(lines, 2);
  // Act
  writeFileSync(path, 'new\n');
  await until(lines, 3);
  await follower.stop();
  // Assert
  expect(lines).toEqual(['old line one', 'old line two', 'new']);
});

test('stop reads what was written just before it, and is safe twice', async () => {
  // Arrange
  const path = logPath();
  const lines: string[] = [];
  const follower = new LogFollower(path, (line) => lines.push(line), 10_000);
  follower.start();
  writeFileSync(path, 'last words\n');
  // Act
  await follower.stop();
  await follower.stop();
  // Assert
  expect(lines).toEqual(['last words']);
});
