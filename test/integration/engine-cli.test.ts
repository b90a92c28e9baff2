/**
 * `mailbench engine …` as a user types it: `resolve` prints the effective shaping of a
 * destination with the layer each value came from, MX hosts from the scenario's simulated DNS;
 * a shaping file with mistakes, or an engine configuration with mistakes, exits 2 naming every
 * problem by path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mailbench-engine-cli-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failing(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [BIN, ...args]);
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
  throw new Error(`mailbench ${args.join(' ')} succeeded`);
}

test('engine resolve names the provider block, the site and the layer of every value', async () => {
  // Arrange: a source block that raises Orange's connection limit for one IP.
  const config = join(dir, 'shaping.json');
  writeFileSync(
    config,
    JSON.stringify({ sources: { mta1: { providers: { orange: { providerConnectionLimit: 4 } } } } }),
  );
  // Act
  const { stdout } = await run(process.execPath, [
    BIN,
    'engine',
    'resolve',
    'wanadoo.fr',
    '--source',
    'mta1',
    '--config',
    config,
  ]);
  // Assert
  expect(stdout).toMatch(/^site\s+\(smtp-in\|smtp-in2\)\.orange\.fr$/m);
  expect(stdout).toMatch(/^provider orange$/m);
  expect(stdout).toMatch(/^maxDeliveriesPerConnection\s+100\s+provider orange \(built-in\)$/m);
  expect(stdout).toMatch(/^providerConnectionLimit\s+4\s+source-provider mta1 × orange$/m);
  expect(stdout).toMatch(/^enableTls\s+required\s+provider orange \(built-in\)$/m);
});

test('a shaping file with mistakes exits 2 and names each by path', async () => {
  const config = join(dir, 'bad-shaping.json');
  writeFileSync(
    config,
    JSON.stringify({
      default: { maxMessageRate: '10 per minute', conectionLimit: 3 },
      sources: { mta1: { providers: { gmial: {} } } },
    }),
  );
  const { code, stderr } = await failing(['engine', 'resolve', 'gmail.com', '--config', config]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/default\.maxMessageRate: bad rate '10 per minute'/);
  expect(stderr).toMatch(/default\.conectionLimit: unknown key 'conectionLimit'/);
  expect(stderr).toMatch(/sources\.mta1\.providers\.gmial: unknown provider 'gmial'/);
});

test('engine start with a bad configuration exits 2 and names every problem', async () => {
  const config = join(dir, 'engine.json');
  writeFileSync(
    config,
    JSON.stringify({
      spoolDir: 'spool',
      accountingDir: 'acc',
      listenAddress: '10.0.0.3',
      sources: [{ name: 'a', sourceIp: '10.1.1.1', heloName: 'a.test' }],
      pools: { p: ['b'] },
      defaultPool: 'q',
      dns: { mx: {}, hosts: { 'mx.test': 'example.com:25' } },
    }),
  );
  const { code, stderr } = await failing(['engine', 'start', '--config', config]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/listenAddress: must be a 127\.0\.0\.0\/8 address/);
  expect(stderr).toMatch(/sources\[0\]\.sourceIp: must be a 127\.0\.0\.0\/8 address/);
  expect(stderr).toMatch(/pools\[0\]\.members\[0\]\.source: unknown source 'b'/);
  expect(stderr).toMatch(/defaultPool: unknown pool 'q'/);
  expect(stderr).toMatch(/dns\.hosts\["mx\.test"\]: must be "127\.x\.y\.z:port" on loopback/);
});
