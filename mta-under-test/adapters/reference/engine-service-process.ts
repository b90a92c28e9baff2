/**
 * `mailbench engine start --config FILE` as a child process: spawned, ready once it printed
 * its listeners and `ready`, stopped with SIGTERM (the service closes its spool and log).
 */
import { spawn } from 'node:child_process';

const BIN = new URL('../../../bin/mailbench.js', import.meta.url).pathname;
const READY_TIMEOUT_MS = 30_000;

export interface EngineServiceProcess {
  /** The injection API, `address:port`. */
  readonly http: string;
  /** The inbound listener for DSNs and complaints about the engine's mail, `address:port`. */
  readonly inbound: string;
  /** The admin API (queues, suspend, resume, metrics), `address:port`. */
  readonly admin: string;
  stop(): Promise<void>;
}

export function startEngineService(configPath: string): Promise<EngineServiceProcess> {
  // Its stdin is a pipe from this process: when this process ends, however it ends, the engine stops
  // too (MAILBENCH_STOP_WITH_PARENT, cli/engine-service-command.ts).
  const child = spawn(process.execPath, [BIN, 'engine', 'start', '--config', configPath, '--seed', 'mta-adapter'], {
    stdio: 'pipe',
    env: { ...process.env, MAILBENCH_STOP_WITH_PARENT: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the reference engine did not get ready within ${READY_TIMEOUT_MS} ms; stderr:\n${stderr}`));
    }, READY_TIMEOUT_MS);
    const early = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(new Error(`the reference engine exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    };
    child.once('exit', early);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const lines = stdout.split('\n');
      if (!lines.includes('ready')) return;
      clearTimeout(timer);
      child.off('exit', early);
      const info = JSON.parse(lines[0] ?? '{}') as { http: string; inbound: string; admin: string };
      resolve({ http: info.http, inbound: info.inbound, admin: info.admin, stop });
    });
  });
}
