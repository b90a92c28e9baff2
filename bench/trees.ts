/**
 * The two trees an A/B gate measures: this one (the head, as it is on disk, uncommitted
 * changes included) and another commit checked out beside it in a git worktree, so both run on
 * the same machine in the same minutes and no stored baseline is needed. The worktree shares
 * this tree's node_modules when the lockfiles are the same (nothing to install, and the same
 * dependencies on both sides); otherwise it installs its own from its lockfile (`npm ci`). A
 * project with no node_modules (an engine module alone) needs neither.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BenchInputError } from './options.ts';

const run = promisify(execFile);
const GIT_TIMEOUT_MS = 60_000;
const INSTALL_TIMEOUT_MS = 600_000;

export interface Tree {
  /** Where the project (its package.json) is: the phases run from here. */
  readonly projectDir: string;
  /** What the report calls it: `working tree` or the ref and its commit. */
  readonly label: string;
  readonly commit: string | undefined;
  /** How its dependencies came: shared with the head, or installed from its own lockfile. */
  readonly dependencies: 'own' | 'shared with the head' | 'installed from its lockfile' | 'none';
  readonly remove: () => Promise<void>;
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', [...args], { cwd, timeout: GIT_TIMEOUT_MS, encoding: 'utf8' });
  return stdout.trim();
}

const pendingRemovals = new Set<() => Promise<void>>();

/** Removes every worktree this process made and has not removed yet (an interrupted run). */
export async function removeWorktrees(): Promise<void> {
  await Promise.all([...pendingRemovals].map((remove) => remove()));
}

export async function headTree(projectDir: string): Promise<Tree> {
  const commit = await git(projectDir, ['rev-parse', 'HEAD']).catch(() => undefined);
  const dirty = commit === undefined ? '' : await git(projectDir, ['status', '--porcelain']).catch(() => '');
  return {
    projectDir,
    label:
      commit === undefined
        ? 'this folder'
        : `working tree at ${commit.slice(0, 10)}${dirty === '' ? '' : ' with changes'}`,
    commit,
    dependencies: 'own',
    remove: () => Promise.resolve(),
  };
}

/** Checks `ref` out in a fresh worktree beside the head; throws naming what is wrong (not a repository, no such ref). */
export async function worktreeAt(ref: string, head: string, log: (line: string) => void): Promise<Tree> {
  const repoRoot = await git(head, ['rev-parse', '--show-toplevel']).catch((error: unknown) => {
    throw new BenchInputError(
      `--against ${ref}: ${head} is not in a git repository (${(error as Error).message.split('\n')[0]})`,
    );
  });
  const commit = await git(head, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new BenchInputError(
      `--against ${ref}: no such commit in ${repoRoot} (a branch, a tag or a commit is expected)`,
    );
  });
  const dir = mkdtempSync(join(tmpdir(), 'mailbench-against-'));
  // Removed however the run ends: at the end, on an error, or when it is interrupted (run.ts).
  const remove = async (): Promise<void> => {
    pendingRemovals.delete(remove);
    await git(repoRoot, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await git(repoRoot, ['worktree', 'prune']).catch(() => undefined);
  };
  pendingRemovals.add(remove);
  await git(repoRoot, ['worktree', 'add', '--detach', dir, commit]);
  try {
    const projectDir = resolve(dir, relative(repoRoot, head));
    if (!existsSync(join(projectDir, 'package.json')))
      throw new BenchInputError(
        `--against ${ref}: the commit has no ${join(relative(repoRoot, head), 'package.json')}`,
      );
    const dependencies = await provideDependencies(projectDir, head, log);
    return { projectDir, label: `${ref} (${commit.slice(0, 10)})`, commit, dependencies, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

function lockfile(projectDir: string): string | undefined {
  const path = join(projectDir, 'package-lock.json');
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

async function provideDependencies(
  projectDir: string,
  head: string,
  log: (line: string) => void,
): Promise<Tree['dependencies']> {
  if (!existsSync(join(head, 'node_modules'))) return 'none';
  if (lockfile(head) === lockfile(projectDir)) {
    symlinkSync(join(head, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
    return 'shared with the head';
  }
  log(`bench: the other commit's lockfile differs: npm ci in ${projectDir} …`);
  await run('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: projectDir,
    timeout: INSTALL_TIMEOUT_MS,
  });
  return 'installed from its lockfile';
}
