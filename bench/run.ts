/**
 * `npm run bench`: the throughput figures of the walking skeleton, apart from the tests
 * (speed is measured here, never asserted by a timed test).
 *
 * - wire: the smoke scenario over real SMTP on loopback with the receivers' limits off and the
 *   clock at real speed, so the figure is what the reference engine's nodemailer client and
 *   the smtp-server listeners sustain together: accepted recipients per wall second.
 * - sim: the smoke scenario as written (limits on, retries over simulated hours) and with
 *   limits off: recipient attempts the simulator computes per wall second.
 *
 * - wire with long connections: the same, 10,000 messages per connection instead of 50.
 *
 * Each figure is the median of RUNS runs after one warm-up run. Prints JSON on stdout and
 * writes it to out/bench/bench.json.
 *
 * Both sides run in this one process, so the wire figure is a floor for a sender on its own
 * process or machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SEED, TOOL_VERSION, runScenario } from '../runner/run.ts';
import type { RunMode } from '../reports/schema.ts';
import { resolveScenario } from '../scenarios/scenario.ts';
import type { ScenarioInput } from '../scenarios/scenario.ts';
import smoke from '../scenarios/smoke.ts';

const RUNS = 5;
const REAL_SECONDS_PER_HOUR_AT_REAL_SPEED = 3_600;

interface Case {
  readonly name: string;
  readonly mode: RunMode;
  readonly scenario: ScenarioInput;
  /** Which wall-clock rate the case is about. */
  readonly figure: 'acceptedPerWallSecond' | 'attemptsPerWallSecond';
}

/**
 * The engine's own rates off too (KumoMTA's default block caps a path at 100 messages/s and 100
 * connections/min), so the figure is what the SMTP path sustains, not a configured rate.
 */
const UNLIMITED_RATES = { maxMessageRate: null, maxConnectionRate: null };

const limitsOff: ScenarioInput = {
  ...smoke,
  sender: { ...smoke.sender, shaping: { default: UNLIMITED_RATES, providers: { gmail: UNLIMITED_RATES } } },
  receivers: { limitsOff: true },
  limits: { realSecondsPerSimulatedHour: REAL_SECONDS_PER_HOUR_AT_REAL_SPEED, realDurationMaxMs: 5 * 60_000 },
};

/**
 * The same with one long connection per slot: smtp-server waits 100 ms before every greeting
 * (research/perf-baseline.md), so at Gmail's 50 messages per connection the figure above is
 * partly that wait; this one shows what the SMTP path itself sustains.
 */
const limitsOffLongConnections: ScenarioInput = {
  ...limitsOff,
  sender: { ...smoke.sender, shaping: { default: UNLIMITED_RATES, providers: { gmail: { ...UNLIMITED_RATES, maxDeliveriesPerConnection: 10_000 } } } },
};

const CASES: readonly Case[] = [
  { name: 'wire-smoke-limits-off', mode: 'wire', scenario: limitsOff, figure: 'acceptedPerWallSecond' },
  { name: 'wire-smoke-limits-off-long-connections', mode: 'wire', scenario: limitsOffLongConnections, figure: 'acceptedPerWallSecond' },
  { name: 'sim-smoke', mode: 'sim', scenario: smoke, figure: 'attemptsPerWallSecond' },
  { name: 'sim-smoke-limits-off', mode: 'sim', scenario: limitsOff, figure: 'attemptsPerWallSecond' },
];

async function measure(benchCase: Case): Promise<Record<string, unknown>> {
  const scenario = resolveScenario(benchCase.scenario);
  const samples: number[] = [];
  let lastReport;
  for (let run = 0; run <= RUNS; run++) {
    const { report, timing } = await runScenario({ scenario, seed: DEFAULT_SEED, mode: benchCase.mode });
    if (report.outcome.status !== 'passed') {
      throw new Error(`${benchCase.name}: the run did not pass (${JSON.stringify(report.outcome)}); its figures would mean nothing`);
    }
    if (run > 0) samples.push(timing[benchCase.figure]);
    lastReport = report;
    process.stderr.write(`${benchCase.name} run ${run === 0 ? 'warm-up' : run}: ${timing[benchCase.figure]} ${benchCase.figure} in ${timing.wallMs} ms\n`);
  }
  return {
    mode: benchCase.mode,
    figure: benchCase.figure,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples,
    recipients: scenario.population.recipients,
    attempts: lastReport?.figures.attempts.total,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const results: Record<string, unknown> = {};
for (const benchCase of CASES) results[benchCase.name] = await measure(benchCase);
const output = {
  tool: { name: 'mailbench', version: TOOL_VERSION },
  machine: { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown' },
  runsPerCase: RUNS,
  results,
};
const json = JSON.stringify(output, null, 2);
mkdirSync(join('out', 'bench'), { recursive: true });
writeFileSync(join('out', 'bench', 'bench.json'), `${json}\n`);
console.log(json);
