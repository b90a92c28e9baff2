/**
 * The `mailbench` command.
 *
 *   mailbench run <scenario|file.json|file.yaml> [--mode sim|wire] [--engine reference|generic|…|./my-engine.ts] [--seed S] [--out DIR]
 *   mailbench list
 *   mailbench receivers [--json]
 *   mailbench serve [scenario] [--seed S] [--out DIR] [--for DURATION]
 *   mailbench report <report.json> --html|--md [--out FILE]
 *   mailbench compare A.json B.json [--md|--html] [--out FILE] [--plans] [--fail-on-regression]
 *
 * Exit codes, for CI: 0 the run passed; 1 it finished but failed a check, or stopped at one of
 * its limits; 2 the command line, the scenario or the engine module is wrong; 3 the run failed
 * (a user's policy hook that threw, hung or returned nonsense; an MTA that would not take mail)
 * or the bench itself did.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadUplotAssets, renderHtml, renderMarkdown, renderSummary } from '../reports/index.ts';
import type { RunMode } from '../reports/index.ts';
import { expandPlan, plannedVolume, renderPlan, SCENARIO_LIBRARY } from '../scenarios/index.ts';
import {
  builtInEngine,
  checkEngineMode,
  DEFAULT_SEED,
  ENGINE_CHOICES,
  EXTERNAL_MTA_NAMES,
  listReceivers,
  renderReceivers,
  runWithEngine,
  smtpRelay,
  TOOL_VERSION,
} from '../runner/index.ts';
import type { EngineSpec, RunResult } from '../runner/index.ts';
import { relayCommand } from '../mta-under-test/index.ts';
import { isUsersToFix, MailbenchError } from '../kernel/index.ts';
import { isEngineModulePath, loadEngineModule } from '../runner/index.ts';
import { createRunProgress } from './progress.ts';
import { auditCommand } from './audit-command.ts';
import { engineCommand } from './engine-command.ts';
import { ACCOUNTING_USAGE, accountingCommand } from './accounting-command.ts';
import { classifyCommand } from './classify-command.ts';
import { BOUNCES_USAGE, bouncesCommand } from './bounces-command.ts';
import { COMPARE_USAGE, compareCommand } from './compare-command.ts';
import { REPORT_USAGE, reportCommand } from './report-command.ts';
import { helpFor } from './help.ts';
import { UsageError } from './command-io.ts';
import { prepareOutputFolder } from './output-path.ts';
import { isAddressInUse } from './listen-errors.ts';
import { serveCommand } from './serve-command.ts';
import { BENCH_USAGE, benchCommand } from './bench-command.ts';
import { parseScale, scenarioNamed } from './scenario-named.ts';

const EXIT_PASSED = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** The run could not finish: a user's policy or MTA failed it (a report would be wrong). */
const EXIT_RUN_FAILED = 3;
const EXIT_INTERNAL = 3;

const USAGE = `mailbench ${TOOL_VERSION} — a test bench for bulk-email senders

Usage:
  mailbench run <scenario|file.json|file.yaml> [--mode sim|wire] [--engine reference|generic|postfix|reference-process|smtp-relay|./my-engine.ts] [--relay-command CMD] [--seed S] [--scale F] [--out DIR] [--json]
  mailbench plan <scenario|file> [--seed S] [--scale F] [--json]   (the expanded day-by-day plan; runs nothing)
  mailbench list
  mailbench receivers [--json]
  mailbench serve [scenario] [--seed S] [--out DIR] [--for DURATION]
  mailbench engine resolve <domain> [--source NAME] [--config FILE.json] [--scenario NAME] [--json]
  mailbench engine start [--config FILE.json] [--spool DIR]   (the reference engine as a service)
  mailbench audit <list|-> [--scenario NAME] [--suppressions FILE] [--accounting FILE.jsonl] [--roles keep|drop] … (audit --help)
  ${ACCOUNTING_USAGE}   (JSONL accounting log → CSV, or counts by type)
  mailbench classify --jsonl FILE|-   (reply facts, one JSON a line → class, action, hard, rule)
  ${BOUNCES_USAGE}   (bounce emails → one JSON line per recipient: status, reply, class)
  ${REPORT_USAGE}   (a saved report as HTML or Markdown)
  ${COMPARE_USAGE}
  ${BENCH_USAGE}   (throughput, and the gate: exit 0 passed · 1 regression · 2 bad options · 3 inconclusive · 4 measurement failed)

Options:
  --mode sim|wire  sim: virtual clock, in-process SMTP (default; same seed, same report)
                   wire: real SMTP on loopback, scaled clock
  --engine E       reference: the reference engine with its judgment (default)
                   generic: the same engine believing every answer (the baseline)
                   postfix: Debian's Postfix as a private instance (wire mode; install-postfix.sh)
                   reference-process: the reference engine as its own process, over HTTP (wire mode)
                   smtp-relay: any MTA that takes SMTP and sends DSNs, started by --relay-command (wire mode)
  --engine ./my-engine.ts  your sender: a module exporting (default or \`engine\`) reference({ policy }),
                   postfix({ mainCf }), smtpRelay(...), an MtaUnderTest or a factory (README "Test your own sender")
  --relay-command CMD  smtp-relay: starts your MTA from $MAILBENCH_ENVIRONMENT and prints READY <addr>:<port>
                   (example: 'npx tsx mta-under-test/adapters/smtp-relay/examples/postfix-relay.ts')
  --seed S         seed for every random draw (default ${DEFAULT_SEED})
  --scale F        run at a fraction of the scenario's volume, 0 < F ≤ 1 (default: the scenario's own)
  --out DIR        where report.json, report.html, report.md and timing.json go (default out/<scenario>)
  --json           run: print the report JSON on stdout (people's text to stderr); plan, receivers, serve: JSON
  --for DURATION   serve: stop by itself after this long (default 1h, at most 24h; e.g. 90s, 30m)
  -h, --help       this text

Exit codes: 0 passed · 1 failed a check or stopped at a limit · 2 bad command line or scenario · 3 internal error`;

async function main(argv: readonly string[]): Promise<number> {
  // Every command answers --help with its own usage, before it reads its arguments.
  // The bench answers --help itself, with every option it has.
  if (argv[0] === 'bench') return benchCommand(argv.slice(1));
  const help = helpFor(argv, USAGE);
  if (help !== undefined) {
    console.log(help);
    return EXIT_PASSED;
  }
  // audit has options of its own, so it reads its arguments itself (before the strict parse below).
  if (argv[0] === 'audit') return auditCommand(argv.slice(1));
  if (argv[0] === 'engine') return engineCommand(argv.slice(1));
  if (argv[0] === 'accounting') return accountingCommand(argv.slice(1));
  if (argv[0] === 'report') return reportCommand(argv.slice(1));
  if (argv[0] === 'compare') return compareCommand(argv.slice(1));
  if (argv[0] === 'bounces') return bouncesCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr });
  if (argv[0] === 'classify')
    return classifyCommand(argv.slice(1), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      mode: { type: 'string', default: 'sim' },
      engine: { type: 'string', default: 'reference' },
      'relay-command': { type: 'string' },
      seed: { type: 'string', default: DEFAULT_SEED },
      scale: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      for: { type: 'string', default: '1h' },
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
      for (const [name, scenario] of Object.entries(SCENARIO_LIBRARY))
        console.log(`${name.padEnd(12)} ${scenario.story ?? ''}`);
      return EXIT_PASSED;
    case 'receivers':
      console.log(values.json ? JSON.stringify(listReceivers(), null, 2) : renderReceivers(listReceivers()));
      return EXIT_PASSED;
    case 'run':
      return runCommand(rest, values);
    case 'plan':
      return planCommand(rest, values);
    case 'serve':
      return serveCommand(rest, values);
    default:
      throw new UsageError(`unknown command "${command}" (expected run, plan, list, receivers or serve)`);
  }
}

interface RunOptions {
  readonly mode: string;
  readonly engine: string;
  readonly 'relay-command'?: string | undefined;
  readonly seed: string;
  readonly scale?: string | undefined;
  readonly out?: string | undefined;
  readonly json: boolean;
}

async function runCommand(args: readonly string[], options: RunOptions): Promise<number> {
  if (args.length !== 1)
    throw new UsageError(`run takes exactly one scenario name (got ${args.length}: ${args.join(' ')})`);
  const scenario = scenarioNamed(args[0] as string, parseScale(options.scale));
  const mode = parseMode(options.mode);
  const engine = await engineOf(options.engine, options['relay-command']);
  checkEngineMode(engine, mode);
  if (options.seed.trim() === '') throw new UsageError('--seed must not be empty');
  const outDir = resolve(options.out ?? join('out', scenario.name));
  // Checked before the run: a report that cannot be written is found out now, not at the end.
  prepareOutputFolder(outDir);
  // With --json, stdout carries the report alone; everything for people goes to stderr.
  const say = (text: string): void => {
    if (options.json) console.error(text);
    else console.log(text);
  };
  say(
    `mailbench: running ${scenario.name} in ${mode} mode with seed ${options.seed}${scenario.scale === 1 ? '' : ` at scale ${scenario.scale}`} …`,
  );
  const plan = expandPlan(scenario);
  const progress = createRunProgress({
    stream: process.stderr,
    enabled: !options.json && process.stderr.isTTY === true,
    total: plannedVolume(plan, scenario.population.recipients),
  });
  let result: RunResult;
  try {
    const onProgress = (state: { injected: number; final: number; clockMs: number }): void => progress.update(state);
    result = await runWithEngine({ engine, scenario, seed: options.seed, mode, onProgress });
  } finally {
    progress.stop();
  }
  const { report, timing } = result;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'timing.json'), `${JSON.stringify(timing, null, 2)}\n`);
  // The HTML and Markdown renderings of the same saved report, for a browser and a CI summary.
  writeFileSync(join(outDir, 'report.html'), renderHtml(report, loadUplotAssets()));
  writeFileSync(join(outDir, 'report.md'), renderMarkdown(report));
  if (options.json) console.log(JSON.stringify(report));
  else console.log(renderSummary(report, timing));
  say(`\nreport: ${join(outDir, 'report.json')} (and report.html, report.md)`);
  return report.outcome.status === 'passed' ? EXIT_PASSED : EXIT_FAILED;
}

/** Prints what a run will do, day by day, and the seed that replays it; runs nothing. */
function planCommand(
  args: readonly string[],
  options: { seed: string; scale?: string | undefined; json: boolean },
): number {
  if (args.length !== 1)
    throw new UsageError(`plan takes exactly one scenario name (got ${args.length}: ${args.join(' ')})`);
  const scenario = scenarioNamed(args[0] as string, parseScale(options.scale));
  const plan = expandPlan(scenario);
  if (options.json)
    console.log(
      JSON.stringify(
        {
          scenario: scenario.name,
          seed: options.seed,
          scale: scenario.scale,
          recipients: scenario.population.recipients,
          ...plan,
        },
        null,
        2,
      ),
    );
  else console.log(renderPlan(scenario, plan, options.seed));
  return EXIT_PASSED;
}

/**
 * `--engine`: a built-in word, `smtp-relay` with `--relay-command`, or a module of the user's
 * that exports an engine (runner/engine-module.ts).
 */
async function engineOf(name: string, relayCommandLine: string | undefined): Promise<EngineSpec> {
  if (name === 'smtp-relay') {
    if (relayCommandLine === undefined || relayCommandLine.trim() === '')
      throw new UsageError(
        '--engine smtp-relay needs --relay-command CMD: the command that starts your MTA and prints READY <address>:<port>',
      );
    return smtpRelay({ prepare: relayCommand(relayCommandLine) });
  }
  if (relayCommandLine !== undefined) throw new UsageError('--relay-command is for --engine smtp-relay only');
  if (isEngineModulePath(name)) return loadEngineModule(name);
  const builtIn = builtInEngine(name);
  if (builtIn === undefined)
    throw new UsageError(
      `--engine must be one of ${[...ENGINE_CHOICES, ...EXTERNAL_MTA_NAMES, 'smtp-relay'].join(', ')} or a module path such as ./my-engine.ts (got "${name}")`,
    );
  return builtIn;
}

function parseMode(mode: string): RunMode {
  if (mode === 'sim' || mode === 'wire') return mode;
  throw new UsageError(`--mode must be sim or wire (got "${mode}")`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (
    error instanceof UsageError ||
    (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    console.error(`mailbench: ${error.message}\n\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
  } else if (isUsersToFix(error)) {
    // A bad scenario, an unusable --out, a taken spool, a missing Postfix: one line, the hint.
    console.error(`mailbench: ${error.message}${error.hint === undefined ? '' : `\n  (${error.hint})`}`);
    process.exitCode = EXIT_USAGE;
  } else if (isAddressInUse(error)) {
    console.error(
      `mailbench: ${error.address ?? 'an address'}:${error.port ?? '?'} is already in use (EADDRINUSE): another process listens there`,
    );
    process.exitCode = EXIT_USAGE;
  } else if (error instanceof MailbenchError) {
    // The run failed (a policy hook, an MTA): one line naming what failed, the hint if any.
    console.error(`mailbench: ${error.message}${error.hint === undefined ? '' : `\n  (${error.hint})`}`);
    process.exitCode = EXIT_RUN_FAILED;
  } else {
    console.error('mailbench: internal error:', error);
    process.exitCode = EXIT_INTERNAL;
  }
}
