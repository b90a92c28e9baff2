/**
 * One pass over the phases, one after the other, each in its own process: the figures a plain
 * `npm run bench` prints (a table, `--json`, `--md`). Not a gate: one sample of each figure.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { TOOL_VERSION } from '../runner/index.ts';
import { machineStamp } from './machine.ts';
import type { BenchOptions, Phase } from './options.ts';
import { runPhase, thisPhaseSource } from './phase-process.ts';
import { GOALS, ratiosOf, simSection } from './report.ts';
import type { BenchReport, PhaseResults } from './report.ts';

export async function measure(options: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg();
  const wallStart = performance.now();
  const results: Record<string, unknown> = {};
  const peakRssMb: Partial<Record<Phase, number>> = {};
  const source = thisPhaseSource(process.cwd());
  for (const phase of options.phases) {
    log(`bench: ${phase} …`);
    const { result, maxRssMb } = await runPhase(phase, options, source);
    results[phase] = result;
    peakRssMb[phase] = Math.round(maxRssMb);
  }
  const phaseResults = results as PhaseResults;
  const sim = simSection(phaseResults);
  const stamp = machineStamp();
  return {
    schemaVersion: 1,
    tool: { name: 'mailbench', version: TOOL_VERSION },
    startedAt,
    wallSeconds: (performance.now() - wallStart) / 1000,
    machine: {
      cpus: stamp.cpus,
      cpuModel: stamp.cpuModel,
      loadAverageStart,
      loadAverageEnd: loadavg(),
      node: stamp.node,
      postfix: phaseResults.postfix?.version ?? stamp.postfix,
    },
    options,
    ratios: ratiosOf(phaseResults),
    goals: GOALS,
    ...(phaseResults.fleet === undefined ? {} : { fleet: phaseResults.fleet }),
    ...(phaseResults.engine === undefined && phaseResults.postfix === undefined
      ? {}
      : {
          engineEndToEnd: {
            ...(phaseResults.engine === undefined ? {} : { engine: phaseResults.engine }),
            ...(phaseResults.postfix === undefined ? {} : { postfix: phaseResults.postfix }),
          },
        }),
    ...(phaseResults.injection === undefined ? {} : { injection: phaseResults.injection }),
    ...(phaseResults['injection-latency'] === undefined ? {} : { injectionLatency: phaseResults['injection-latency'] }),
    ...(sim === undefined ? {} : { sim }),
    peakRssMb,
  };
}
