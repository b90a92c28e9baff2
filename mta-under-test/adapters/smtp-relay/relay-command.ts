/**
 * An MTA started by a command of the user's own (`mailbench run … --engine smtp-relay
 * --relay-command CMD`): the bench cannot know how to configure an MTA it knows nothing
 * about, so a script does, from the run's environment. The contract:
 *
 * - the command runs under `sh -c`, in its own process group, with `MAILBENCH_RELAY_DIR` (the
 *   adapter's work dir), `MAILBENCH_ENVIRONMENT` (environment.json there: routes, egress,
 *   return path) and `MAILBENCH_TRANSPORT` (the routes as a transport_maps table);
 * - once the MTA takes mail it prints one line `READY <address>:<port> [version]` on stdout;
 * - it keeps running until the bench sends SIGTERM to its group, and then stops the MTA.
 *
 * examples/postfix-relay.ts is such a command, for a private Postfix instance.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MtaEnvironment } from '../mta-under-test.ts';
import { ENVIRONMENT_FILE, TRANSPORT_FILE } from './relay-files.ts';
import type { PreparedRelay } from './smtp-relay-mta.ts';
import { SmtpRelayError } from './smtp-relay-mta.ts';

export interface RelayCommandOptions {
  /** How long the command may take to print READY. @defaultValue 60 s */
  readonly readyTimeoutMs?: number;
  /** How long it may take to exit after SIGTERM before it is killed. @defaultValue 15 s */
  readonly stopTimeoutMs?: number;
}

const READY_LINE = /^READY (\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})(?: (.+))?$/;
const STDERR_KEPT = 2_000;
const GROUP_POLL_MS = 100;

/** A `prepare` for smtpRelay that starts the MTA with `command` and waits for its READY line. */
export function relayCommand(
  command: string,
  options: RelayCommandOptions = {},
): (environment: MtaEnvironment) => Promise<PreparedRelay> {
  return (environment) => {
    const child = spawn('sh', ['-c', command], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MAILBENCH_RELAY_DIR: environment.workDir,
        MAILBENCH_ENVIRONMENT: join(environment.workDir, ENVIRONMENT_FILE),
        MAILBENCH_TRANSPORT: join(environment.workDir, TRANSPORT_FILE),
      },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT)));
    const stop = (): Promise<void> => stopGroup(child, options.stopTimeoutMs ?? 15_000);
    const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    return new Promise<PreparedRelay>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        void stop().finally(() =>
          reject(
            new SmtpRelayError(
              'E_RELAY_CONFIG',
              `the relay command ${JSON.stringify(command)} ${why}${stderr === '' ? '' : `; its stderr ends:\n${stderr.trimEnd()}`}`,
            ),
          ),
        );
      };
      const timer = setTimeout(
        () => fail(`printed no "READY <address>:<port>" line within ${readyTimeoutMs} ms`),
        readyTimeoutMs,
      );
      child.once('error', (error) => fail(`could not be started: ${error.message}`));
      child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before printing READY`));
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        const ready = READY_LINE.exec(line.trim());
        if (ready === null) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        lines.removeAllListeners('line');
        // Whatever the command prints later is drained, so it never blocks on a full pipe.
        lines.on('line', () => undefined);
        resolve({
          submission: { address: ready[1] as string, port: Number(ready[2]) },
          ...(ready[3] === undefined ? {} : { version: ready[3] }),
          stop,
        });
      });
    });
  };
}

/**
 * SIGTERM to the command's process group, then waits for the whole group to be gone (the
 * shell exits at once; the MTA it started may take seconds to stop), SIGKILL if it outlives
 * the timeout.
 */
async function stopGroup(child: ChildProcess, timeoutMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = performance.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (performance.now() > deadline) {
      signalGroup(pid, 'SIGKILL');
      return;
    }
    await sleep(GROUP_POLL_MS);
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
