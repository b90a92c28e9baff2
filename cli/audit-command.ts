/**
 * `mailbench audit <list|-> …`: audits a recipient list before a campaign and writes
 * `<out>/audit.json` (the full report) and `<out>/cleaned.txt` (the kept addresses, one per
 * line). The audit itself is the pure `auditList` (mta-under-test/reference/audit); this file
 * only reads files, builds the resolver and writes the results.
 *
 * MX answers come from the simulated world's DNS of a scenario (default fleet-tour, built
 * with the run's seed on a virtual clock at DEFAULT_EPOCH_MS), never from real DNS: the bench
 * has no network and queries nothing outside loopback.
 *
 * Exit codes: 0 the audit is done (whatever it dropped); 2 bad input (a missing or unreadable
 * file, a malformed accounting log or CSV, a bad option), with a message naming what is wrong.
 */
import { OutputPathError, prepareOutputFolder } from './output-path.ts';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AccountingLogError,
  auditList,
  DEFAULT_ROLE_POLICY,
  learnKnownUnknowns,
  readAccountingLog,
  readListText,
  renderAuditSummary,
  zoneResolver,
} from '../mta-under-test/index.ts';
import type { AccountingRecord, AuditReport, MxResolver, RolePolicy } from '../mta-under-test/index.ts';
import { buildWorld, DEFAULT_SEED } from '../runner/index.ts';
import { findScenario, resolveScenario, SCENARIO_LIBRARY } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS, MailbenchError, VirtualScheduler } from '../kernel/index.ts';

const EXIT_DONE = 0;
const EXIT_BAD_INPUT = 2;
const DEFAULT_SCENARIO = 'fleet-tour';
/** The SMTP port the sim's DNS answers route to (only whether a host resolves matters here). */
const SIM_SMTP_PORT = 25;
/** How many problems of a file the message lists before "…". */
const PROBLEMS_SHOWN = 5;

export const AUDIT_USAGE = `Usage: mailbench audit <list|-> [--scenario NAME] [--seed S] [--suppressions FILE] [--accounting FILE.jsonl] [--roles keep|drop] [--out DIR] [--json]

  <list|->             one address per line (blank lines and # comments ignored), or a CSV with an
                       email column; - reads standard input
  --scenario NAME      whose simulated DNS answers the MX checks (default ${DEFAULT_SCENARIO})
  --seed S             the world's seed (default ${DEFAULT_SEED})
  --suppressions FILE  addresses (and @domains) never to mail, one per line
  --accounting PATH    an accounting log (a JSON Lines file, or the engine's folder of them):
                       addresses it has as unknown-user, bad-domain or mailbox-disabled
                       (bounces, async bounces, suppressions) are dropped as known unknowns
  --roles keep|drop    role accounts (postmaster@, info@ …): drop or only flag (default ${DEFAULT_ROLE_POLICY})
  --out DIR            where audit.json and cleaned.txt go (default out/audit/<list-name>)
  --json               print the report as JSON instead of the summary`;

/** Bad input: printed as `mailbench audit: <message>`, exit code 2. */
/** A bad audit command line or list: exit 2. */
class AuditInputError extends MailbenchError {
  constructor(message: string) {
    super('E_AUDIT_INPUT', message);
  }
}

interface AuditArgs {
  readonly list: string;
  readonly scenario: string;
  readonly seed: string;
  readonly suppressions?: string;
  readonly accounting?: string;
  readonly roles: RolePolicy;
  readonly outDir: string;
  readonly json: boolean;
}

/** Runs `mailbench audit` with the arguments after `audit`; resolves to the exit code. */
export async function auditCommand(argv: readonly string[]): Promise<number> {
  try {
    const args = parseAuditArgs(argv);
    if (args === 'help') {
      console.log(AUDIT_USAGE);
      return EXIT_DONE;
    }
    // The output folder is checked before the audit runs: a bad --out is found out first.
    prepareOutputFolder(args.outDir);
    const report = await runAudit(args);
    writeOutputs(args.outDir, report);
    console.log(
      args.json
        ? JSON.stringify(report, null, 2)
        : `${renderAuditSummary(report)}\n\nreport: ${join(args.outDir, 'audit.json')}\ncleaned list: ${join(args.outDir, 'cleaned.txt')}`,
    );
    return EXIT_DONE;
  } catch (error) {
    if (error instanceof AuditInputError || isParseArgsError(error)) {
      console.error(`mailbench audit: ${(error as Error).message}\n\n${AUDIT_USAGE}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof OutputPathError) {
      console.error(`mailbench audit: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

function parseAuditArgs(argv: readonly string[]): AuditArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      scenario: { type: 'string', default: DEFAULT_SCENARIO },
      seed: { type: 'string', default: DEFAULT_SEED },
      suppressions: { type: 'string' },
      accounting: { type: 'string' },
      roles: { type: 'string', default: DEFAULT_ROLE_POLICY },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1)
    throw new AuditInputError(
      `audit takes exactly one list file or - (got ${positionals.length}${positionals.length > 0 ? `: ${positionals.join(' ')}` : ''})`,
    );
  const list = positionals[0] as string;
  if (values.roles !== 'keep' && values.roles !== 'drop')
    throw new AuditInputError(`--roles must be keep or drop (got "${values.roles}")`);
  if (values.seed.trim() === '') throw new AuditInputError('--seed must not be empty');
  const listName = list === '-' ? 'stdin' : basename(list, extname(list));
  return {
    list,
    scenario: values.scenario,
    seed: values.seed,
    ...(values.suppressions === undefined ? {} : { suppressions: values.suppressions }),
    ...(values.accounting === undefined ? {} : { accounting: values.accounting }),
    roles: values.roles,
    outDir: resolve(values.out ?? join('out', 'audit', listName)),
    json: values.json,
  };
}

/** Reads the inputs in the order the command line names them, then audits. */
async function runAudit(args: AuditArgs): Promise<AuditReport> {
  const listText = args.list === '-' ? readInput(0, 'standard input') : readInput(args.list, 'list');
  const list = readListText(listText);
  if (list.problems.length > 0) throw new AuditInputError(`list ${args.list}: ${summariseProblems(list.problems)}`);
  const suppressions =
    args.suppressions === undefined ? [] : readInput(args.suppressions, '--suppressions').split(/\r?\n/);
  const accounting = args.accounting === undefined ? [] : await accountingRecords(args.accounting);
  const resolver = simulatedResolver(args.scenario, args.seed);
  return auditList(list.entries, {
    resolver,
    suppressions,
    knownUnknowns: learnKnownUnknowns(accounting),
    roles: args.roles,
    source: {
      list: args.list === '-' ? '-' : resolve(args.list),
      format: list.format,
      scenario: args.scenario,
      seed: args.seed,
      ...(args.suppressions === undefined ? {} : { suppressions: resolve(args.suppressions) }),
      ...(args.accounting === undefined ? {} : { accounting: resolve(args.accounting) }),
    },
  });
}

/**
 * The records of the accounting log at `path`: a `.jsonl` file or the engine's folder of rotated
 * files. A torn last line (the engine stopped mid-write) is skipped with a note; any other bad
 * line is bad input, named by file and line.
 */
async function accountingRecords(path: string): Promise<AccountingRecord[]> {
  try {
    statSync(path);
  } catch (error) {
    throw new AuditInputError(`--accounting file ${path} ${fileProblem(error)}`);
  }
  const records: AccountingRecord[] = [];
  try {
    const onTornTail = (tail: { file: string; line: number }): void =>
      console.error(`mailbench audit: note: ${tail.file} line ${tail.line} is torn (cut mid-write) and was skipped`);
    for await (const record of readAccountingLog(path, { onTornTail })) records.push(record);
  } catch (error) {
    if (error instanceof AccountingLogError) throw new AuditInputError(`--accounting ${error.message}`);
    throw error;
  }
  return records;
}

/** The scenario's simulated DNS as an MxResolver: MX from the zone, a host routes if it has an A record. */
function simulatedResolver(name: string, seed: string): MxResolver {
  const input = findScenario(name);
  if (input === undefined)
    throw new AuditInputError(
      `unknown scenario "${name}" for --scenario; built-in scenarios: ${Object.keys(SCENARIO_LIBRARY).join(', ')}`,
    );
  const world = buildWorld(resolveScenario(input), seed, new VirtualScheduler(DEFAULT_EPOCH_MS));
  return zoneResolver(world.dns, (host) => {
    const answer = world.dns.a(host);
    const address = answer.kind === 'records' ? answer.records[0] : undefined;
    return address === undefined ? undefined : { address, port: SIM_SMTP_PORT };
  });
}

function writeOutputs(outDir: string, report: AuditReport): void {
  writeFileSync(join(outDir, 'audit.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'cleaned.txt'), report.cleaned.map((address) => `${address}\n`).join(''));
}

/** Reads a file (or fd 0) as UTF-8; a missing or unreadable one is bad input named by its role. */
function readInput(path: string | 0, role: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AuditInputError(
      path === 0 ? `${role} ${fileProblem(error)}` : `${role} file ${path} ${fileProblem(error)}`,
    );
  }
}

/** Why a file could not be read, in words. */
function fileProblem(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'cannot be read (permission denied)';
  return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
}

function summariseProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
  return problems.length > PROBLEMS_SHOWN ? `${shown}; … (${problems.length} problems)` : shown;
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
