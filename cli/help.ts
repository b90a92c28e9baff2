/**
 * `mailbench <command> --help` (or `-h`) for every command and subcommand: its own usage and
 * options, exit 0. Looked up before a command parses its arguments, so help is never refused
 * for an argument the command would find wrong.
 */
import { DEFAULT_SEED } from '../runner/index.ts';
import { ACCOUNTING_USAGE } from './accounting-command.ts';
import { AUDIT_USAGE } from './audit-command.ts';
import { COMPARE_USAGE } from './compare-command.ts';
import { REPORT_USAGE } from './report-command.ts';

const RUN_HELP = `Usage: mailbench run <scenario|file.json|file.yaml> [options]

Runs a scenario against a sender engine and writes report.json, report.html, report.md and
timing.json. Exit 0 when it passed its checks, 1 when it failed one (each miss is named).

  --mode sim|wire      sim: virtual clock, in-process SMTP (default; same seed, same report)
                       wire: real SMTP on loopback, scaled clock
  --engine E           reference (default) · generic (believes every answer) · postfix ·
                       reference-process · smtp-relay (the last three need --mode wire)
  --relay-command CMD  smtp-relay: starts your MTA and prints READY <address>:<port>
  --seed S             seed for every random draw (default ${DEFAULT_SEED})
  --scale F            a fraction of the scenario's volume, 0 < F <= 1
  --out DIR            where the report files go (default out/<scenario>); checked before the run
  --json               print the report JSON on stdout (people's text goes to stderr)`;

const PLAN_HELP = `Usage: mailbench plan <scenario|file> [--seed S] [--scale F] [--json]

Prints the expanded day-by-day plan (campaigns, ramps, spikes, incidents) and the seed that
replays it. Runs nothing.`;

const SERVE_HELP = `Usage: mailbench serve [scenario] [--seed S] [--out DIR] [--for DURATION] [--json]

Serves a scenario's receivers (default fleet-tour) on loopback for an outside MTA, writes the
transport map, DNS records, CA, recipients and the truth log to --out (default
out/serve/<scenario>), then prints 'ready'. Stops on Ctrl-C, SIGTERM or after --for (default 1h,
at most 24h). Exit 2 when it cannot start (the output folder, a taken address), with what it
opened closed again.`;

const LIST_HELP = `Usage: mailbench list

The built-in scenarios, one a line, with their stories.`;

const RECEIVERS_HELP = `Usage: mailbench receivers [--json]

Every modelled receiver: its domains, MX hosts, limits and the sources of its numbers.`;

const CLASSIFY_HELP = `Usage: mailbench classify --jsonl FILE|-

Reads reply facts, one JSON object a line ({"code", "enhanced", "text"} and optional provider,
mx, domain, stage), and prints one verdict a line: {"class", "action", "hard", "rule"}.
Exit 0 every line classified · 2 bad command line, unreadable file or invalid input.`;

const BOUNCES_HELP = `Usage: mailbench bounces <file.eml|dir>… [--jsonl]

Reads bounce emails (RFC 3464 DSNs however they are wrapped, and the prose notices of qmail,
Exim, Exchange, Domino, Yahoo, Gmail and others) and prints one JSON line per recipient:
{"file", "index", "recipient", "dsnAction", "status", "code", "enhanced", "text",
"reportingMta", "format", "writer", "smtpCommand", "class", "action", "hard", "rule"}. A complaint
(ARF) prints its recipient and feedbackType. A file that cannot be read prints
{"file", "unreadable": "<why>"}. A folder is read whole. A count by format goes to stderr.
Exit 0 every file handled (read or reported unreadable) · 2 bad command line or missing path.`;

export const ENGINE_START_HELP = `Usage: mailbench engine start [--config FILE.json] [--spool DIR] [--seed S]

Runs the reference engine as a service until SIGINT or SIGTERM: durable spool, HTTP and SMTP
injection, admin API, inbound DSN/ARF listener, accounting log. Prints one JSON line with its
addresses, then 'ready'.

  --config FILE.json  listeners, sources, pools, shaping, DNS, DKIM, admission budget
                      (example: mta-under-test/reference/service/engine.example.json)
  --spool DIR         the spool folder; without --config, the engine starts with defaults
                      (one source on 127.0.0.1, no DNS, accounting log in DIR-accounting)
  --seed S            seed of the engine's chance (retry jitter, message ids)

On SIGTERM it stops taking mail, lets transactions under way finish, makes every final mark
durable and exits. Exit 2 for a bad configuration, a spool another engine holds, or a taken port.`;

export const ENGINE_RESOLVE_HELP = `Usage: mailbench engine resolve <domain> [--source NAME] [--config FILE.json] [--scenario NAME] [--json]

The effective shaping for a destination and source, and the layer each value came from; MX
hosts come from the scenario's simulated DNS (default fleet-tour).`;

const ENGINE_HELP = `Usage: mailbench engine <start|resolve> …

${ENGINE_START_HELP}

${ENGINE_RESOLVE_HELP}`;

const COMMAND_HELP: Readonly<Record<string, string>> = {
  run: RUN_HELP,
  plan: PLAN_HELP,
  serve: SERVE_HELP,
  list: LIST_HELP,
  receivers: RECEIVERS_HELP,
  classify: CLASSIFY_HELP,
  bounces: BOUNCES_HELP,
  report: `Usage: ${REPORT_USAGE}\n\nRenders a saved report again as the self-contained HTML page or the Markdown summary.`,
  compare: `Usage: ${COMPARE_USAGE}\n\nCompares two saved reports (plan A vs plan B with --plans, or a run against a baseline).`,
  accounting: `Usage: ${ACCOUNTING_USAGE}\n\nAn accounting log as CSV, or counts by record type.`,
  audit: AUDIT_USAGE,
};

function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--help' || arg === '-h');
}

/**
 * The help text the command line asks for, or undefined when it asks for none. An unknown
 * command gets the global usage (`fallback`).
 */
export function helpFor(argv: readonly string[], fallback: string): string | undefined {
  if (!asksForHelp(argv)) return undefined;
  const [command, subcommand] = argv;
  if (command === 'engine')
    return subcommand === 'start' ? ENGINE_START_HELP : subcommand === 'resolve' ? ENGINE_RESOLVE_HELP : ENGINE_HELP;
  return (command === undefined ? undefined : COMMAND_HELP[command]) ?? fallback;
}
