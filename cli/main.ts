/**
 * The `mailbench` command.
 *
 *   mailbench run <scenario> [--mode sim|wire] [--seed S] [--out DIR]
 *   mailbench list
 *   mailbench receivers [--json]
 *
 * Exit codes, for CI: 0 the run passed; 1 it finished but failed a check, or stopped at one of
 * its limits; 2 the command line or the scenario is wrong; 3 the bench itself failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSummary } from '../reports/summary.ts';
import { SCENARIO_LIBRARY, findScenario } from '../scenarios/library.ts';
import { ScenarioError, resolveScenario } from '../scenarios/scenario.ts';
import { listReceivers, renderReceivers } from '../runner/receiver-listing.ts';
import { DEFAULT_SEED, TOOL_VERSION, runScenario } from '../runner/run.ts';
import type { RunMode } from '../reports/schema.ts';

const EXIT_PASSED = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3;

const USAGE = `mailbench ${TOOL_VERSION} — a test bench for bulk-email senders

Usage:
  mailbench run <scenario> [--mode sim|wire] [--seed S] [--out DIR]
  mailbench list
  mailbench receivers [--json]

Options:
  --mode sim|wire  sim: virtual clock, in-process SMTP (default; same seed, same report)
                   wire: real SMTP on loopback, scaled clock
  --seed S         seed for every random draw (default ${DEFAULT_SEED})
  --out DIR        where report.json and timing.json go (default out/<scenario>)
  --json           receivers: print JSON instead of text
  -h, --help       this text

Exit codes: 0 passed · 1 failed a check or stopped at a limit · 2 bad command line or scenario · 3 internal error`;

/** A mistake on the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      mode: { type: 'string', default: 'sim' },
      seed: { type: 'string', default: DEFAULT_SEED },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return values.help ? EXIT_PASSED : EXIT_USAGE;
  }
  switch (command) {
    case 'list':
      for (const [name, scenario] of Object.entries(SCENARIO_LIBRARY)) console.log(`${name.padEnd(12)} ${scenario.story ?? ''}`);
      return EXIT_PASSED;
    case 'receivers':
      console.log(values.json ? JSON.stringify(listReceivers(), null, 2) : renderReceivers(listReceivers()));
      return EXIT_PASSED;
    case 'run':
      return runCommand(rest, values);
    default:
      throw new UsageError(`unknown command "${command}" (expected run, list or receivers)`);
  }
}

async function runCommand(args: readonly string[], options: { mode: string; seed: string; out?: string | undefined }): Promise<number> {
  if (args.length !== 1) throw new UsageError(`run takes exactly one scenario name (got ${args.length}: ${args.join(' ')})`);
  const name = args[0] as string;
  const input = findScenario(name);
  if (input === undefined) {
    throw new UsageError(`unknown scenario "${name}"; built-in scenarios: ${Object.keys(SCENARIO_LIBRARY).join(', ')}`);
  }
  const mode = parseMode(options.mode);
  if (options.seed.trim() === '') throw new UsageError('--seed must not be empty');
  const scenario = resolveScenario(input);
  const outDir = resolve(options.out ?? join('out', scenario.name));
  console.log(`mailbench: running ${scenario.name} in ${mode} mode with seed ${options.seed} …`);
  const { report, timing } = await runScenario({
    scenario,
    seed: options.seed,
    mode,
    onProgress: (progress) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${progress.final} / ${progress.injected} final`);
    },
  });
  if (process.stderr.isTTY && mode === 'wire') process.stderr.write('\n');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'timing.json'), `${JSON.stringify(timing, null, 2)}\n`);
  console.log(renderSummary(report, timing));
  console.log(`\nreport: ${join(outDir, 'report.json')}`);
  return report.outcome.status === 'passed' ? EXIT_PASSED : EXIT_FAILED;
}

function parseMode(mode: string): RunMode {
  if (mode === 'sim' || mode === 'wire') return mode;
  throw new UsageError(`--mode must be sim or wire (got "${mode}")`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`mailbench: ${error.message}\n\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
  } else if (error instanceof ScenarioError) {
    console.error(`mailbench: ${error.message}`);
    process.exitCode = EXIT_USAGE;
  } else {
    console.error('mailbench: internal error:', error);
    process.exitCode = EXIT_INTERNAL;
  }
}
