/**
 * An engine a bench adapter started dies with the process that started it: a parent killed with
 * -9 in the middle of a run (a test that timed out, an interrupted CI job) leaves no engine
 * holding its ports and spool. The parent here is a real process running the adapter's launcher;
 * the engine's injection port is what the test watches close.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';

const LAUNCHER = new URL('../../mta-under-test/adapters/reference/engine-service-process.ts', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function listening(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('kill -9 of the parent stops the engine it started', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-parent-'));
  dirs.push(dir);
  const config = join(dir, 'engine.json');
  writeFileSync(
    config,
    JSON.stringify({
      spoolDir: join(dir, 'spool'),
      accountingDir: join(dir, 'accounting'),
      listenAddress: '127.0.0.3',
      sources: [{ name: 'a', sourceIp: '127.0.0.2', heloName: 'a.test' }],
      pools: { p: ['a'] },
      defaultPool: 'p',
      dns: { mx: {}, hosts: {} },
    }),
  );
  const script = `import { startEngineService } from ${JSON.stringify(LAUNCHER)}; const engine = await startEngineService(${JSON.stringify(config)}); console.log(engine.http); setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const http = await new Promise<string>((resolve, reject) => {
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((each) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(each.trim()));
      if (line !== undefined) resolve(line.trim());
    });
    parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before the engine was ready`)));
  });
  expect(await listening(http)).toBe(true);

  parent.kill('SIGKILL');

  // The engine stops gracefully (spool closed, transactions finished): give it time on a busy machine.
  const deadline = Date.now() + 60_000;
  while ((await listening(http)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await listening(http)).toBe(false);
}, 120_000);
