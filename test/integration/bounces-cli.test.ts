/**
 * `mailbench bounces` through the package's bin, as a user runs it: a folder of real bounce
 * emails and single files in, one JSON line per recipient out (with the fields the command
 * promises), an unreadable file reported with why, exit 0; a path that does not exist is a usage
 * error (exit 2) that prints nothing on stdout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const EMAILS = new URL('../fixtures/corpora/sisimai-dev-eml/', import.meta.url).pathname;
const FIELDS = [
  'file',
  'index',
  'recipient',
  'dsnAction',
  'status',
  'code',
  'enhanced',
  'text',
  'reportingMta',
  'format',
  'writer',
  'smtpCommand',
  'class',
  'action',
  'hard',
  'rule',
];

/** The folders a test made, removed when the file is done (nothing left in the temp dir). */
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function bounces(...args: string[]) {
  return runCli(['bounces', ...args]);
}

test('files and a folder: a line per recipient, an unreadable file with why, exit 0', async () => {
  // Arrange: two real bounces and a message that is no bounce.
  const folder = mkdtempSync(join(tmpdir(), 'mailbench-bounces-'));
  folders.push(folder);
  writeFileSync(
    join(folder, 'reply.eml'),
    'From: Person <person@example.org>\r\nTo: bounces@news.example\r\nSubject: Re: offers\r\n\r\nPlease take me off your list.\r\n',
  );
  // Act
  const { code, stdout, stderr } = await bounces(
    join(EMAILS, 'lhost-qmail-02.eml'),
    join(EMAILS, 'lhost-exim-03.eml'),
    folder,
    '--jsonl',
  );
  // Assert
  expect(code).toBe(0);
  const lines = stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.slice(0, 3).map((line) => Object.keys(line))).toEqual([FIELDS, FIELDS, FIELDS]);
  expect(
    lines
      .slice(0, 3)
      .map((line) => [line.file, line.index, line.recipient, line.code, line.enhanced, line.class, line.hard]),
  ).toEqual([
    ['lhost-qmail-02.eml', 1, 'userunknown@example.jp', 550, '5.1.1', 'unknown-user', true],
    ['lhost-qmail-02.eml', 2, 'filtered@example.jp', 550, '5.2.1', 'unknown-user', true],
    ['lhost-exim-03.eml', 1, 'kijitora@example.or.jp', 554, '5.7.0', 'policy-block', false],
  ]);
  expect(lines[3]).toEqual({ file: 'reply.eml', unreadable: expect.stringContaining('not a bounce') as string });
  expect(stderr).toBe('3 files: prose 2, unreadable 1\n');
});

test('the whole corpus folder reads with every file handled', async () => {
  // Act
  const { code, stdout, stderr } = await bounces(EMAILS);
  // Assert
  expect(code).toBe(0);
  const lines = stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(new Set(lines.map((line) => line.file)).size).toBe(284);
  expect(lines.filter((line) => 'unreadable' in line).length).toBeLessThanOrEqual(5);
  expect(stderr).toMatch(/^284 files: /);
});

test('a path that does not exist is a usage error, and nothing is printed on stdout', async () => {
  // Act
  const { code, stdout, stderr } = await bounces(join(EMAILS, 'lhost-qmail-02.eml'), '/nonexistent/bounce.eml');
  // Assert
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toContain('/nonexistent/bounce.eml: no such file or folder');
});
