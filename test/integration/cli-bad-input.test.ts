/**
 * The CLI checks before it works, through the package's bin as a user runs it: an output
 * folder that cannot be written (under a file, on /proc, an existing file, a read-only sysfs
 * folder) is exit 2 with one line naming the path and the reason, before anything runs or
 * listens; a taken port is one line, exit 2; every command and subcommand answers --help with
 * its own usage and exit 0; `engine start --spool DIR` runs with no configuration file and
 * refuses a header From that would smuggle in another header.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mailbench-cli-bad-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function mailbench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}

const existingFile = join(dir, 'a-file');
writeFileSync(existingFile, 'not a folder');

test.each([
  ['a path under a file', '/dev/null/x', /--out \/dev\/null\/x: cannot create the folder \(ENOTDIR/],
  ['a pseudo file system', '/proc/x', /--out \/proc\/x: cannot create the folder \(ENOENT/],
  ['an existing file', existingFile, /: is a file, not a folder/],
  ['a read-only folder', '/sys/x', /--out \/sys\/x: cannot create the folder \(EPERM/],
])('run and serve with --out on %s exit 2 with one line, before they run or listen', async (_what, out, reason) => {
  // Act
  const run = await mailbench(['run', 'smoke', '--out', out]);
  const serve = await mailbench(['serve', '--out', out, '--for', '1h']);
  // Assert
  for (const result of [run, serve]) {
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(reason);
    expect(result.stdout).not.toMatch(/running|ready/);
  }
});

test('report, compare, audit and accounting check their --out before they work', async () => {
  // Arrange: inputs that would be read fine, and outputs that cannot be written.
  const list = join(dir, 'list.txt');
  writeFileSync(list, 'a@gmail.com\n');
  const log = join(dir, 'accounting.jsonl');
  writeFileSync(
    log,
    `${JSON.stringify({ type: 'Reception', atMs: 0, messageId: 'm1', recipient: 'a@gmail.com', mailFrom: 'b@news.test', queue: 'gmail.com' })}\n`,
  );
  // Act
  const results = await Promise.all([
    mailbench(['report', 'nosuch.json', '--md', '--out', '/dev/null/x/report.md']),
    mailbench(['compare', 'a.json', 'b.json', '--out', '/proc/x/compare.md']),
    mailbench(['audit', list, '--out', existingFile]),
    mailbench(['accounting', log, '--csv', '--out', '/sys/x/accounting.csv']),
  ]);
  // Assert
  expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2]);
  expect(results[0]?.stderr).toMatch(
    /--out \/dev\/null\/x\/report\.md: cannot create its folder \/dev\/null\/x \(ENOTDIR/,
  );
  expect(results[1]?.stderr).toMatch(/--out \/proc\/x\/compare\.md: cannot create its folder \/proc\/x \(ENOENT/);
  expect(results[2]?.stderr).toMatch(/: is a file, not a folder/);
  expect(results[3]?.stderr).toMatch(/--out \/sys\/x\/accounting\.csv: cannot create its folder \/sys\/x \(EPERM/);
});

test('every command and subcommand answers --help with its own usage, exit 0', async () => {
  const commands = [
    ['run'],
    ['plan'],
    ['serve'],
    ['list'],
    ['receivers'],
    ['report'],
    ['compare'],
    ['classify'],
    ['accounting'],
    ['audit'],
    ['engine'],
    ['engine', 'start'],
    ['engine', 'resolve'],
  ];
  for (const command of commands) {
    // Act
    const result = await mailbench([...command, '--help']);
    // Assert
    expect(result.code, command.join(' ')).toBe(0);
    expect(result.stdout, command.join(' ')).toMatch(new RegExp(`^Usage: mailbench ${command.join(' ')}\\b`));
  }
});

test('engine start on a taken port is one line and exit 2, and the spool is free again', async () => {
  // Arrange: something else listens on the port the configuration names.
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.3', resolve));
  const port = (squatter.address() as AddressInfo).port;
  const config = join(dir, 'taken.json');
  writeFileSync(
    config,
    JSON.stringify({
      spoolDir: 'taken-spool',
      accountingDir: 'taken-accounting',
      ports: { http: port },
      sources: [{ name: 'a', sourceIp: '127.0.0.2', heloName: 'a.test' }],
      pools: { p: ['a'] },
      defaultPool: 'p',
      dns: { mx: {}, hosts: {} },
    }),
  );
  // Act
  const taken = await mailbench(['engine', 'start', '--config', config]);
  squatter.close();
  // Assert
  expect(taken.code).toBe(2);
  expect(taken.stderr.trim().split('\n')).toHaveLength(1);
  expect(taken.stderr).toMatch(new RegExp(`127\\.0\\.0\\.3:${port} is already in use \\(EADDRINUSE\\)`));
  expect(existsSync(join(dir, 'taken-spool', 'lock'))).toBe(false);
  const noConfig = await mailbench(['engine', 'start']);
  expect(noConfig.code).toBe(2);
  expect(noConfig.stderr).toMatch(/give --config FILE\.json, or --spool DIR/);
});

test('engine start --spool DIR runs without a configuration file; a From with a line break is a 400', async () => {
  // Arrange
  const child = spawn(process.execPath, [BIN, 'engine', 'start', '--spool', join(dir, 'spool')], { stdio: 'pipe' });
  const ready = await new Promise<{ http: string }>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.split('\n').includes('ready')) resolve(JSON.parse(stdout.split('\n')[0] ?? '{}') as { http: string });
    });
    child.once('exit', (code) => reject(new Error(`engine start exited ${code}`)));
  });
  // Act
  const inject = (from: string) =>
    fetch(`http://${ready.http}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: 'n@news.test',
        to: 'v@example.test',
        content: { from, subject: 'hi', text: 'hello' },
      }),
    });
  const smuggled = await inject('News <n@x.test>\r\nBcc: v@evil.test');
  const plain = await inject('News <n@x.test>');
  const smuggledBody = (await smuggled.json()) as { problems?: { path: string; message: string }[] };
  child.kill('SIGTERM');
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Assert
  expect(smuggled.status).toBe(400);
  expect(smuggledBody.problems).toEqual([
    { path: 'content.from', message: 'must be one line: a CR or LF would start another header' },
  ]);
  expect(plain.status).toBe(202);
  expect(exitCode).toBe(0);
});
