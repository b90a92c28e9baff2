/**
 * Child processes the bench runs and waits for: Postfix's C test tools (smtp-source,
 * smtp-sink) and the bench's own phases. Each run is bounded by a time limit, and a failure
 * names the command and what it wrote to stderr, so a broken figure is never silently zero.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export interface Finished {
  readonly stdout: string;
  readonly stderr: string;
}

/** Debian keeps Postfix's test tools in /usr/sbin; a non-login PATH may lack it. */
export function postfixTool(name: 'smtp-source' | 'smtp-sink'): string {
  for (const directory of [
    '/usr/sbin',
    '/usr/lib/postfix/sbin',
    '/usr/local/sbin',
    ...(process.env.PATH ?? '').split(':'),
  ]) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  throw new Error(
    `${name} was not found (Postfix's test tools); install Postfix with: bash mta-under-test/adapters/postfix/install-postfix.sh`,
  );
}

/** Runs a command to its end; rejects on a non-zero exit or after `timeoutMs`, naming both. */
export function runToEnd(command: string, args: readonly string[], timeoutMs: number): Promise<Finished> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return finished(child, `${command} ${args.join(' ')}`, timeoutMs);
}

/** Children still running, so an interrupted bench stops them too (detached, they would outlive it). */
const running = new Set<ChildProcess>();

/** Kills every child still running, each with what it started. */
export function killRunning(): void {
  for (const child of running) killTree(child);
}

/** `child` spawned with `detached: true` is killed with its whole process group (what it started, too). */
export function finished(child: ChildProcess, label: string, timeoutMs: number): Promise<Finished> {
  running.add(child);
  child.once('close', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killTree(child);
      reject(new Error(`${label} did not finish within ${timeoutMs} ms; stderr: ${stderr.trim()}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${label} exited with ${code ?? signal}; stderr: ${stderr.trim().slice(-2_000)}`));
    });
  });
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    // A detached child leads its own process group: kill the group, or only the child.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
