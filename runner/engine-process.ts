/**
 * The reference engine as a child process (`mailbench engine start`) in front of a simulated
 * fleet on loopback: the bench's own world (receivers, DNS, truth) in this process, the
 * engine in another, talking only SMTP and HTTP — DESIGN rule 3's black box. Used by the
 * kill -9 test and the end-to-end benchmark.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveScenario } from '../scenarios/index.ts';
import type { ScenarioInput } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS, RealScheduler } from '../kernel/index.ts';
import { createBenchCa, startFleetListeners } from '../sim/index.ts';
import type { FleetListeners } from '../sim/index.ts';
import { buildWorld } from './world.ts';
import type { World } from './world.ts';

const BIN = new URL('../bin/mailbench.js', import.meta.url).pathname;
const READY_TIMEOUT_MS = 30_000;

export interface EngineProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly http: string;
  readonly admin: string;
  readonly recovered: { readonly messages: number; readonly recipients: number; readonly suppressions: number };
  /** The engine's inbound listener (DSNs and complaints), `address:port`. */
  readonly inbound: string;
  /** Everything the child wrote to stderr, for failure messages. */
  stderr(): string;
}

export interface EngineBench {
  readonly world: World;
  readonly listeners: FleetListeners;
  readonly dir: string;
  readonly configPath: string;
  start(): Promise<EngineProcess>;
  close(): Promise<void>;
}

/** A world for `scenario` on loopback and an engine configuration that reaches it. */
/** More of the engine's configuration: VERP, where reports to the envelope sender's domain go. */
export interface EngineBenchExtras {
  readonly verp?: { readonly prefix: string; readonly domain: string };
  /** Extra MX entries (domain → MX hosts) and hosts (host → "address:port"), e.g. the sender domain's inbox. */
  readonly dns?: {
    readonly mx: Readonly<Record<string, readonly string[]>>;
    readonly hosts: Readonly<Record<string, string>>;
  };
  /** The engine's pushback budget (service-config.ts `admission`). */
  readonly admission?: Readonly<Record<string, number>>;
}

export async function engineBench(
  input: ScenarioInput,
  shaping: Record<string, unknown>,
  extras: EngineBenchExtras = {},
): Promise<EngineBench> {
  const scenario = resolveScenario(input);
  const world = buildWorld(scenario, '1', new RealScheduler({ startMs: DEFAULT_EPOCH_MS }));
  const ca = await createBenchCa(new Date());
  const listeners = await startFleetListeners(world.fleet, { ca });
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-engine-'));
  writeFileSync(join(dir, 'ca.pem'), ca.certificate);
  writeFileSync(join(dir, 'dkim.pem'), world.sender.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const mx: Record<string, string[]> = {};
  for (const domain of new Set(
    world.population.recipients.map((recipient) => recipient.slice(recipient.indexOf('@') + 1)),
  )) {
    const answer = world.dns.mx(domain);
    if (answer.kind === 'records') mx[domain] = answer.records.map((record) => record.exchange);
  }
  const hosts = Object.fromEntries(
    [...listeners.routes].map(([host, route]) => [host, `${route.address}:${route.port}`]),
  );
  const config = {
    spoolDir: 'spool',
    accountingDir: 'accounting',
    listenAddress: '127.0.0.3',
    sources: scenario.sender.sources,
    pools: Object.fromEntries(
      Object.entries(scenario.sender.pools).map(([name, members]) => [name, members.map((member) => member.source)]),
    ),
    defaultPool: scenario.sender.defaultPool,
    shaping,
    dns: { mx: { ...mx, ...extras.dns?.mx }, hosts: { ...hosts, ...extras.dns?.hosts } },
    ...(extras.verp === undefined ? {} : { verp: extras.verp }),
    ...(extras.admission === undefined ? {} : { admission: extras.admission }),
    dkim: [{ domain: world.sender.dkim.domain, selector: world.sender.dkim.selector, keyFile: 'dkim.pem' }],
    caFile: 'ca.pem',
  };
  const configPath = join(dir, 'engine.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return {
    world,
    listeners,
    dir,
    configPath,
    start: () => startEngineProcess(configPath),
    close: async () => {
      await listeners.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns `mailbench engine start` and waits for its `ready` line. */
export function startEngineProcess(configPath: string): Promise<EngineProcess> {
  const child = spawn(process.execPath, [BIN, 'engine', 'start', '--config', configPath, '--seed', 'engine-process'], {
    stdio: 'pipe',
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the engine did not get ready within ${READY_TIMEOUT_MS} ms; stderr:\n${stderr}`));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the engine exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const lines = stdout.split('\n');
      if (!lines.includes('ready')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const info = JSON.parse(lines[0] ?? '{}') as {
        http: string;
        admin: string;
        inbound: string;
        recovered: { messages: number; recipients: number; suppressions: number };
      };
      resolve({
        child,
        http: info.http,
        admin: info.admin,
        inbound: info.inbound,
        recovered: info.recovered,
        stderr: () => stderr,
      });
    });
  });
}

/** POSTs one templated batch; resolves with the accepted ids, rejects on anything but 202. */
export async function injectBatch(
  engine: EngineProcess,
  from: string,
  recipients: readonly string[],
): Promise<readonly string[]> {
  const response = await fetch(`http://${engine.http}/v1/messages/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      from: 'bounces@news.mailbench.test',
      content: { from: `News <${from}>`, subject: 'Hello {{n}}', text: 'Hello {{n}}, this is a mailbench message.' },
      recipients: recipients.map((to, index) => ({ to, vars: { n: String(index) } })),
    }),
  });
  const body = (await response.json()) as { ids?: string[]; error?: string };
  if (response.status !== 202 || body.ids === undefined)
    throw new Error(`injection answered ${response.status}: ${JSON.stringify(body)}`);
  return body.ids;
}

/** Resolves when the child has exited (after a kill or SIGTERM). */
export function exited(engine: EngineProcess): Promise<void> {
  if (engine.child.exitCode !== null || engine.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => engine.child.once('exit', () => resolve()));
}
