/**
 * One phase in a child process of its own (phase.ts), run from a given tree: its peak memory
 * is its own, no phase warms or slows another's heap, and an A/B gate runs each commit's own
 * code by running that commit's phase.ts from its worktree. The protocol is stable across
 * commits: `node --import tsx phase.ts <phase> <options JSON>` prints one last line,
 * `{ "result": …, "maxRssMb": … }`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, Phase } from './options.ts';
import { finished } from './processes.ts';

/**
 * tsx as this bench resolves it: a tree of a user's (an engine module and nothing else) may
 * have no node_modules of its own for `--import tsx` to find from its folder.
 */
const TSX_LOADER = import.meta.resolve('tsx');

/** A phase that takes longer is stuck; it is killed with everything it started (the engine, Postfix's tools). */
const PHASE_TIMEOUT_MS = 240_000;

export interface PhaseRun {
  readonly result: unknown;
  readonly maxRssMb: number;
}

export interface PhaseSource {
  /** The folder the phase runs in (a tree's project folder). */
  readonly cwd: string;
  /** The phase.ts it runs. */
  readonly entry: string;
}

/** A tree's own bench: what changes between mailbench's commits is its own code. */
export function ownPhaseSource(projectDir: string): PhaseSource {
  return { cwd: projectDir, entry: join(projectDir, 'bench', 'phase.ts') };
}

const THIS_PHASE_ENTRY = fileURLToPath(new URL('./phase.ts', import.meta.url));

/** This bench's phases, run from `cwd`: a plain run, and a user's engine from either tree. */
export function thisPhaseSource(cwd: string): PhaseSource {
  return { cwd, entry: THIS_PHASE_ENTRY };
}

export async function runPhase(phase: Phase, options: BenchOptions, source: PhaseSource): Promise<PhaseRun> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, source.entry, phase, JSON.stringify(options)], {
    cwd: source.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { stdout } = await finished(child, `bench phase ${phase} (${source.cwd})`, PHASE_TIMEOUT_MS);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as PhaseRun;
  } catch {
    throw new Error(`bench phase ${phase} (${source.cwd}) printed no result: ${JSON.stringify(last.slice(-300))}`);
  }
}
