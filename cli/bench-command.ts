/**
 * `mailbench bench …`: the benchmarks and their gate (bench/run.ts) from an installed package,
 * so a team gates its own MTA's throughput against its previous commit:
 * `npx mailbench bench --engine ./my-engine.ts --against origin/main`. The bench runs in a
 * process of its own from the caller's folder (its trees and its `--out` are the caller's), and
 * its exit code is the command's (bench/run.ts lists them).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BENCH_USAGE =
  'mailbench bench [--against GIT-REF | --gate | --calibrate | --record-baseline] [--engine NAME|./my-engine.ts] [--only PHASES] [--json] [--md FILE]';

const BENCH_ENTRY = fileURLToPath(new URL('../bench/run.ts', import.meta.url));

export function benchCommand(args: readonly string[]): Promise<number> {
  // tsx as this package resolves it: the caller's folder may have none of its own.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), BENCH_ENTRY, ...args], {
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 4 : 128 + 4)));
  });
}
