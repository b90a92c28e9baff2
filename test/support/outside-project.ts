/**
 * A fresh folder outside the repository that installed mailbench as a user would: from the
 * tarball `npm pack` makes, with vitest beside it, and the worked examples (examples/) copied
 * in. What runs there sees the package only through its published surface (package.json
 * `exports`, `bin`, `files`), never the repository's sources.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPOSITORY = new URL('../..', import.meta.url).pathname;

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (no shell), output kept; never rejects on a non-zero exit. */
export function runCommand(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function mustRun(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  const result = await runCommand(command, args, cwd);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The names of the worked examples (examples/<name>/package.json). */
export function exampleNames(): string[] {
  return readdirSync(join(REPOSITORY, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
    .map((entry) => entry.name)
    .sort();
}

/**
 * Packs the repository, installs the tarball, vitest and TypeScript into a fresh folder (from
 * npm's cache when it has them) and copies the examples in. Returns the folder.
 */
export async function installOutsideProject(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'mailbench-outside-'));
  const packed = await mustRun('npm', ['pack', '--json', '--pack-destination', folder], REPOSITORY);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  writeFileSync(
    join(folder, 'package.json'),
    `${JSON.stringify({ name: 'outside-project', private: true, type: 'module' }, null, 2)}\n`,
  );
  await mustRun(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(folder, filename),
      ...['vitest', 'typescript', '@types/node'].map((name) => `${name}@${manifest.devDependencies[name] ?? 'latest'}`),
    ],
    folder,
  );
  for (const name of exampleNames())
    cpSync(join(REPOSITORY, 'examples', name), join(folder, name), {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
  // One TypeScript project over every example, with the options the examples' own tsconfig.json
  // give (they are alike): one `tsc` instead of one per example.
  const exampleConfig = JSON.parse(
    readFileSync(join(REPOSITORY, 'examples', exampleNames()[0] ?? '', 'tsconfig.json'), 'utf8'),
  ) as { compilerOptions: unknown };
  writeFileSync(
    join(folder, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: exampleConfig.compilerOptions, include: ['*/*.ts', '*/test/**/*.ts'] }, null, 2)}\n`,
  );
  return folder;
}
