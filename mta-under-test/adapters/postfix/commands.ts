/**
 * Running Postfix's own commands (`postfix -c DIR check|start|stop|abort`, `postconf`) with a
 * time limit each. A command is done when it exits, not when its pipes close: `postfix start`
 * leaves a daemonised master behind, which must not keep the call waiting.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { INSTALL_SCRIPT, PostfixAdapterError } from './errors.ts';

export interface CommandResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Debian puts Postfix's commands in /usr/sbin, which a non-login PATH may lack. */
function searchPath(): string[] {
  return ['/usr/sbin', '/usr/local/sbin', ...(process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '')];
}

/** The absolute path of a Postfix command; E_POSTFIX_NOT_INSTALLED naming the install script when absent. */
export function postfixCommand(name: 'postfix' | 'postconf'): string {
  for (const directory of searchPath()) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  throw new PostfixAdapterError(
    'E_POSTFIX_NOT_INSTALLED',
    `Postfix's ${name} command was not found in /usr/sbin or PATH`,
    `install it with: bash ${INSTALL_SCRIPT}`,
  );
}

/** Runs a command; resolves with its output when it exits, kills it and rejects after `timeoutMs`. */
export function runCommand(command: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new PostfixAdapterError(
          'E_POSTFIX_TIMEOUT',
          `${command} ${args.join(' ')} did not finish within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      // Stop reading: a daemon the command left behind may hold the pipes open.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ exitCode, stdout, stderr });
    });
  });
}
