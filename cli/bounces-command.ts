/**
 * `mailbench bounces <file.eml|dir>… [--jsonl]`: reads bounce emails the way the reference
 * engine's return-path intake reads them, and prints one JSON line per recipient: what the
 * bounce says (`recipient`, `dsnAction`, `status`, the quoted remote reply `code`, `enhanced`,
 * `text`, `reportingMta`, the `format` it was written in, the `writer` whose template it is, the
 * `smtpCommand` the reply answered) and what the engine's classifier
 * makes of it (`class`, `action`, `hard`, `rule`). It is what a user runs to ask "what does this
 * bounce mean?", and how the reader is measured on a corpus of real bounces.
 *
 * A file that cannot be read prints `{"file", "unreadable": "<why>"}`; a complaint (ARF) prints
 * its recipient and feedback type. A folder is read whole (every file in it and below, in name
 * order). A summary by format goes to stderr, so stdout stays one JSON object a line.
 * Exit 0 every file handled (read or reported unreadable) · 2 bad command line or a path that
 * does not exist (nothing is printed then).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { blockFacts, classifyBlock, readInboundReport } from '../mta-under-test/index.ts';
import type { InboundReport } from '../mta-under-test/index.ts';
import { domainOf } from '../kernel/index.ts';

const EXIT_OK = 0;
const EXIT_USAGE = 2;

export const BOUNCES_USAGE = 'mailbench bounces <file.eml|dir>… [--jsonl]';

/** One line of output. */
export type BounceLine = Readonly<Record<string, string | number | boolean | null>>;

/** The lines one bounce email gives: a line per recipient, or one saying why it is unreadable. */
export function bounceLines(file: string, report: InboundReport): BounceLine[] {
  if (report.kind === 'unreadable') return [{ file, unreadable: report.reason }];
  if (report.kind === 'arf') {
    const recipients = report.originalRcptTo.length > 0 ? report.originalRcptTo : [report.original?.to ?? null];
    return recipients.map((recipient, index) => ({
      file,
      index: index + 1,
      recipient,
      feedbackType: report.feedbackType,
      reportingMta: report.reportingMta ?? null,
    }));
  }
  return report.recipients.map((block, index) => {
    const facts = blockFacts(block);
    const domain = domainOf(block.finalRecipient);
    const mxHost = block.remoteMta ?? report.reportingMta;
    const verdict = classifyBlock(block, { domain, ...(mxHost === undefined ? {} : { mxHost }) });
    return {
      file,
      index: index + 1,
      recipient: block.finalRecipient,
      dsnAction: block.action,
      status: block.status,
      code: facts.code,
      enhanced: facts.enhanced,
      text: facts.text,
      reportingMta: report.reportingMta ?? null,
      format: report.format,
      writer: report.writer ?? null,
      smtpCommand: block.smtpCommand ?? null,
      class: verdict.class,
      // A delay or a relay notice is not a failure: nothing to suppress yet, whatever it says.
      action: block.action === 'failed' ? verdict.action : 'retry',
      hard: block.action === 'failed' && verdict.hard,
      rule: verdict.rule,
    };
  });
}

/** Every file a path names: the file itself, or a folder's files (dot files left out), sorted. */
function filesOf(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .flatMap((name) => filesOf(join(path, name)));
}

export async function bouncesCommand(
  argv: readonly string[],
  streams: { readonly stdout: Writable; readonly stderr: Writable },
): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { jsonl: { type: 'boolean' } },
    }));
  } catch (error) {
    streams.stderr.write(`${error instanceof Error ? error.message : String(error)}\nUsage: ${BOUNCES_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (positionals.length === 0) {
    streams.stderr.write(`name at least one bounce email or folder\nUsage: ${BOUNCES_USAGE}\n`);
    return EXIT_USAGE;
  }
  const missing = positionals.filter((path) => !exists(path));
  if (missing.length > 0) {
    streams.stderr.write(`${missing.map((path) => `${path}: no such file or folder`).join('\n')}\n`);
    return EXIT_USAGE;
  }
  const counts = new Map<string, number>();
  let files = 0;
  // A reader that stops early (`| head`) closes the pipe: stop reading, quietly.
  let readerGone = false;
  streams.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  for (const path of positionals.flatMap(filesOf)) {
    if (readerGone) return EXIT_OK;
    files += 1;
    let report: InboundReport;
    try {
      report = await readInboundReport(readFileSync(path));
    } catch (error) {
      report = {
        kind: 'unreadable',
        reason: `cannot read the file: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const kind = report.kind === 'dsn' ? report.format : report.kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    for (const line of bounceLines(basename(path), report)) streams.stdout.write(`${JSON.stringify(line)}\n`);
  }
  const byFormat = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  streams.stderr.write(`${files} files: ${byFormat}\n`);
  return EXIT_OK;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
