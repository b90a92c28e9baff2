/**
 * `npm run bench -- --record-baseline [--rounds N]`: the stored baseline, recorded on this
 * machine: the median of each baseline figure over N rounds (5 by default, after a warm-up
 * round), stamped with the machine, written to `--baseline` (bench/baseline.json). For trend
 * lines and a gate on this machine; a pull request is better gated against its base commit.
 */
import { writeFileSync } from 'node:fs';
import { BASELINE_FIGURES, figuresFor } from './figures.ts';
import type { PhaseResults } from './figures.ts';
import type { StoredBaseline } from './gate.ts';
import { machineStamp } from './machine.ts';
import type { BenchOptions } from './options.ts';
import { runPhase, thisPhaseSource } from './phase-process.ts';
import { roundSteps } from './sampler.ts';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export async function recordBaseline(options: BenchOptions, log: (line: string) => void): Promise<StoredBaseline> {
  const figures = figuresFor(BASELINE_FIGURES, options.phases);
  const source = thisPhaseSource(process.cwd());
  const values = new Map<string, number[]>(figures.map((figure) => [figure.name, []]));
  for (let round = -options.warmupRounds; round < options.maxRounds; round++) {
    const results: PhaseResults = {};
    for (const [, phase] of roundSteps(options.phases, ['head'], round)) {
      log(`bench: ${round < 0 ? 'warm-up' : `round ${round + 1}`} ${phase} …`);
      results[phase] = (await runPhase(phase, options, source)).result;
    }
    if (round < 0) continue;
    for (const figure of figures) {
      const value = figure.read(results);
      if (value !== undefined) values.get(figure.name)?.push(value);
    }
  }
  const rounds = options.maxRounds;
  const baseline: StoredBaseline = {
    about: `Medians of ${rounds} rounds of the baseline figures (after ${options.warmupRounds} warm-up round), recorded by npm run bench -- --record-baseline on the machine below. Counts are exact for the seed. Gate with --gate on this machine only; pull requests: --against their base.`,
    machine: machineStamp(),
    figures: Object.fromEntries(
      [...values].filter(([, list]) => list.length > 0).map(([name, list]) => [name, median(list)]),
    ),
    rounds,
    recordedAt: new Date().toISOString(),
  };
  writeFileSync(options.baseline, `${JSON.stringify(baseline, null, 2)}\n`);
  return baseline;
}
