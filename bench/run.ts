/**
 * `npm run bench`: the benchmark suite of issue 7, apart from the tests (speed is measured
 * here, never asserted by a timed test). Every gated figure is a ratio against a reference
 * measured in the same run on the same machine, so it holds on a noisy shared machine:
 *
 * - fleet: Postfix's smtp-source loading the simulated fleet ÷ loading Postfix's smtp-sink;
 * - engine and postfix: the reference engine delivering N messages into the fleet ÷ Postfix
 *   relaying the same N into the same fleet, both with durable enqueue;
 * - injection: the HTTP injection API under autocannon, durably accepted messages/s;
 * - injection-latency: the p99 latency of one-message requests while 10,000-message batches
 *   are being accepted (the whole engine service), and alone for reference;
 * - sim and warmup: simulated deliveries per wall second, and warmup-30d's wall time at a
 *   reduced scale (with a labelled full-scale projection).
 *
 * Each phase runs in a child process (bench/phase.ts), one after the other, for honest peak
 * memory and no shared heap. Prints a table (or `--json`), writes the JSON to `--out`,
 * `--md [FILE]` writes the Markdown summary, `--gate` compares the ratios with the baseline
 * and exits 1 naming each that fell more than 10 % below it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TOOL_VERSION } from '../runner/index.ts';
import { gateRatios, parseBaseline } from './gate.ts';
import type { GateResult } from './gate.ts';
import { USAGE, parseBenchArgs } from './options.ts';
import type { BenchOptions, Phase } from './options.ts';
import { finished } from './processes.ts';
import { renderMarkdown, renderTable } from './render.ts';
import { GOALS, ratiosOf, simSection } from './report.ts';
import type { BenchReport, PhaseResults } from './report.ts';

/** A phase that takes longer is stuck; it is killed with everything it started (the engine, Postfix's tools). */
const PHASE_TIMEOUT_MS = 240_000;
const PHASE_ENTRY = new URL('./phase.ts', import.meta.url).pathname;

async function runPhase(phase: Phase, options: BenchOptions): Promise<{ result: unknown; maxRssMb: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', PHASE_ENTRY, phase, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { stdout } = await finished(child, `bench phase ${phase}`, PHASE_TIMEOUT_MS);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as { result: unknown; maxRssMb: number };
}

function postfixVersion(): string {
  try {
    return execFileSync('/usr/sbin/postconf', ['-d', '-h', 'mail_version'], {
      encoding: 'utf8',
      timeout: 10_000,
    }).trim();
  } catch {
    return 'not installed';
  }
}

async function measure(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg();
  const wallStart = performance.now();
  const results: Record<string, unknown> = {};
  const peakRssMb: Partial<Record<Phase, number>> = {};
  for (const phase of options.phases) {
    process.stderr.write(`bench: ${phase} …\n`);
    const { result, maxRssMb } = await runPhase(phase, options);
    results[phase] = result;
    peakRssMb[phase] = Math.round(maxRssMb);
  }
  const phaseResults = results as PhaseResults;
  const sim = simSection(phaseResults);
  return {
    schemaVersion: 1,
    tool: { name: 'mailbench', version: TOOL_VERSION },
    startedAt,
    wallSeconds: (performance.now() - wallStart) / 1000,
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAverageStart,
      loadAverageEnd: loadavg(),
      node: process.version,
      postfix: phaseResults.postfix?.version ?? postfixVersion(),
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

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const parsed = parseBenchArgs(process.argv.slice(2));
if ('issues' in parsed) {
  process.stderr.write(`${parsed.issues.join('\n')}\n${USAGE}\n`);
  process.exit(2);
}
const { options } = parsed;
// Read the baseline first: a bad baseline file should fail before minutes of measuring.
const baseline = options.gate ? parseBaseline(readFileSync(options.baseline, 'utf8'), options.baseline) : undefined;
const report = await measure(options);
const json = `${JSON.stringify(report, null, 2)}\n`;
write(options.out, json);
const gate: GateResult | undefined = baseline === undefined ? undefined : gateRatios(baseline, report.ratios);
process.stdout.write(options.json ? json : renderTable(report));
if (options.markdown !== undefined) {
  const markdown = renderMarkdown(report, gate);
  if (options.markdown === '-') process.stdout.write(`\n${markdown}`);
  else write(options.markdown, markdown);
}
if (gate !== undefined) {
  if (gate.passed)
    process.stderr.write(
      `bench gate: passed (${gate.verdicts.map((verdict) => verdict.name).join(', ')} within ${gate.tolerance * 100} % of ${options.baseline})\n`,
    );
  else process.stderr.write(`bench gate: FAILED against ${options.baseline}\n  ${gate.failures.join('\n  ')}\n`);
  process.exitCode = gate.passed ? 0 : 1;
}
