/**
 * A private Postfix instance on disk and as processes: written into the run's work dir with
 * its own config_directory, queue_directory and data_directory, checked with `postfix -c DIR
 * check`, started and stopped with `postfix -c DIR start|stop`. The system instance (in
 * /etc/postfix) is never read, written or signalled.
 *
 * Ownership as Postfix requires it: config and queue directories owned by root and not group-
 * or world-writable; the data directory owned by the postfix user; the queue's own
 * subdirectories are created by `postfix check` (post-install create-missing). The daemons
 * drop to the postfix user, so every directory above the work dir must let it pass.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { INSTALL_SCRIPT, PostfixAdapterError } from './errors.ts';
import { postfixCommand, runCommand } from './commands.ts';
import { instanceFiles } from './instance-files.ts';
import type { InstanceLayout, InstancePlan } from './instance-plan.ts';

/** Time limits for Postfix's own commands (its start waits for the master to be ready). */
const CHECK_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 30_000;
const STOP_COMMAND_TIMEOUT_MS = 15_000;
/** How long the master may take to exit after `stop` before `abort`, and after `abort` before SIGKILL. */
const MASTER_EXIT_WAIT_MS = 10_000;
const POLL_MS = 50;

interface PostfixUser {
  readonly uid: number;
  readonly gid: number;
}

function postfixUser(): PostfixUser {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postfix:'));
  const fields = entry?.split(':');
  if (fields === undefined || fields.length < 4) {
    throw new PostfixAdapterError(
      'E_POSTFIX_NOT_INSTALLED',
      'there is no postfix user in /etc/passwd',
      `install Postfix with: bash ${INSTALL_SCRIPT}`,
    );
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** Every directory above `path` must be traversable by the postfix user (o+x, or owned by it). */
function checkTraversable(path: string, user: PostfixUser): void {
  for (let directory = dirname(path); ; directory = dirname(directory)) {
    const stat = statSync(directory);
    const passable = (stat.mode & 0o001) !== 0 || (stat.uid === user.uid && (stat.mode & 0o100) !== 0);
    if (!passable) {
      throw new PostfixAdapterError(
        'E_POSTFIX_CONFIG',
        `the postfix user cannot enter ${directory} (mode ${(stat.mode & 0o777).toString(8)})`,
        'give the work dir and its parents o+x, e.g. chmod 755',
      );
    }
    if (directory === dirname(directory)) return;
  }
}

/** Writes the instance's directories and files and runs `postfix -c DIR check`. */
export async function writeInstance(plan: InstancePlan): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new PostfixAdapterError(
      'E_POSTFIX_START',
      'a Postfix instance must be started as root (its master binds, then drops to the postfix user)',
    );
  }
  const postfix = postfixCommand('postfix');
  const user = postfixUser();
  const { layout } = plan;
  for (const directory of [layout.root, layout.configDirectory, layout.queueDirectory, dirname(layout.maillogFile)]) {
    mkdirSync(directory, { recursive: true, mode: 0o755 });
    chmodSync(directory, 0o755);
  }
  mkdirSync(layout.dataDirectory, { recursive: true, mode: 0o700 });
  chownSync(layout.dataDirectory, user.uid, user.gid);
  // The work dir is the adapter's: the postfix user gets to pass it (o+x, no listing). Its
  // parents are the bench's, so they are only checked.
  const workDir = dirname(layout.root);
  chmodSync(workDir, (statSync(workDir).mode & 0o7777) | 0o001);
  checkTraversable(layout.queueDirectory, user);
  for (const [name, content] of Object.entries(instanceFiles(plan))) {
    writeFileSync(join(layout.configDirectory, name), content, { mode: 0o644 });
  }
  const check = await runCommand(postfix, ['-c', layout.configDirectory, 'check'], CHECK_TIMEOUT_MS);
  if (check.exitCode !== 0 || /warning|fatal/i.test(check.stderr)) {
    throw new PostfixAdapterError(
      'E_POSTFIX_CONFIG',
      `postfix -c ${layout.configDirectory} check failed (exit ${check.exitCode}): ${check.stderr.trim()}`,
    );
  }
}

/** Starts the instance's master (Postfix waits until it is initialised). */
export async function startInstance(layout: InstanceLayout): Promise<void> {
  const result = await runCommand(postfixCommand('postfix'), ['-c', layout.configDirectory, 'start'], START_TIMEOUT_MS);
  if (result.exitCode !== 0) {
    // Postfix logs why to maillog_file, not to stderr: quote its fatal lines.
    const log = existsSync(layout.maillogFile) ? readFileSync(layout.maillogFile, 'utf8') : '';
    const fatal = log
      .split('\n')
      .filter((line) => / (fatal|error|panic): /.test(line))
      .slice(-3)
      .join(' | ');
    const why = [result.stderr.trim(), fatal].filter((part) => part !== '').join(' | ') || 'no reason given';
    throw new PostfixAdapterError(
      'E_POSTFIX_START',
      `postfix -c ${layout.configDirectory} start failed (exit ${result.exitCode}): ${why}`,
      `see ${layout.maillogFile}`,
    );
  }
}

/** `postconf -c DIR -h mail_version`, e.g. `3.7.11`. */
export async function instanceVersion(layout: InstanceLayout): Promise<string> {
  const result = await runCommand(
    postfixCommand('postconf'),
    ['-c', layout.configDirectory, '-h', 'mail_version'],
    CHECK_TIMEOUT_MS,
  );
  if (result.exitCode !== 0)
    throw new PostfixAdapterError('E_POSTFIX_START', `postconf -h mail_version failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** The master's pid from the instance's own pid file, when there is one. */
function masterPid(layout: InstanceLayout): number | undefined {
  const file = join(layout.queueDirectory, 'pid', 'master.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

function isPostfixMaster(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]?.endsWith('/master') === true;
  } catch {
    return false;
  }
}

/**
 * Whether that pid is still a live Postfix master. A zombie counts as gone: where PID 1 does
 * not reap orphans (as in some containers), an exited master stays a zombie and `kill(pid, 0)`
 * still succeeds. A pid since reused by another program counts as gone too.
 */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X' && isPostfixMaster(pid);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  for (let waitedMs = 0; waitedMs < timeoutMs; waitedMs += POLL_MS) {
    if (!isRunning(pid)) return true;
    await sleep(POLL_MS);
  }
  return !isRunning(pid);
}

/**
 * Stops the instance: `postfix stop`, then `postfix abort` if the master lingers, then SIGKILL
 * to that one pid (read from the instance's own pid file, so never another Postfix). Safe
 * when nothing runs.
 */
export async function stopInstance(layout: InstanceLayout): Promise<void> {
  const pid = masterPid(layout);
  if (pid === undefined || !isRunning(pid)) return;
  const postfix = postfixCommand('postfix');
  await runCommand(postfix, ['-c', layout.configDirectory, 'stop'], STOP_COMMAND_TIMEOUT_MS).catch(() => undefined);
  if (await waitForExit(pid, MASTER_EXIT_WAIT_MS)) return;
  await runCommand(postfix, ['-c', layout.configDirectory, 'abort'], STOP_COMMAND_TIMEOUT_MS).catch(() => undefined);
  if (await waitForExit(pid, MASTER_EXIT_WAIT_MS)) return;
  // Only the process the pid file names, and only if it still is a Postfix master.
  if (isPostfixMaster(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone between the check and the signal.
    }
  }
  if (!(await waitForExit(pid, MASTER_EXIT_WAIT_MS))) {
    throw new PostfixAdapterError(
      'E_POSTFIX_STOP',
      `the Postfix master (pid ${pid}) of ${layout.configDirectory} survived stop, abort and SIGKILL`,
    );
  }
}
