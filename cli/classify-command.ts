/**
 * `mailbench classify --jsonl FILE` (`-` for stdin): the reference engine's bounce classifier
 * over a file of answers, one JSON object a line in, one verdict a line out, in order.
 *
 * Input line: `{"code": 550 | null, "enhanced": "5.1.1" | null, "text": "..."}` with optional
 * `provider`, `mx` (the MX host that answered), `domain` and `stage`
 * (`connect | helo | mail | rcpt | data`). Other keys (an `id`, a corpus label) are ignored, so
 * a labelled corpus can be piped as it is. Blank lines are skipped.
 *
 * Output line: exactly `{"class": "...", "action": "...", "hard": true | false, "rule": "..."}`.
 *
 * Bad input (DESIGN rule 7, STYLE §2.5): every line is checked before anything is written; if
 * any line is wrong, each problem goes to stderr as `line N: field: problem`, nothing goes to
 * stdout, and the exit code is 2. A half-classified file would be easy to take for a whole one.
 * Exit codes: 0 every line classified; 2 bad command line, unreadable file or invalid input.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { classifyFacts } from '../mta-under-test/index.ts';
import type { ReplyFacts } from '../mta-under-test/index.ts';
import type { SmtpStage } from '../kernel/index.ts';

const EXIT_OK = 0;
const EXIT_INVALID = 2;

const STAGES: readonly SmtpStage[] = ['connect', 'helo', 'mail', 'rcpt', 'data'];
const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3}$/;

/** The streams the command reads and writes (the process's own, or a test's). */
export interface CommandStreams {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

type Parsed = { readonly facts: ReplyFacts } | { readonly problems: readonly string[] };

function optionalString(record: Record<string, unknown>, key: string, problems: string[]): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') problems.push(`${key}: must be a string (got ${JSON.stringify(value)})`);
  return typeof value === 'string' ? value : undefined;
}

function readCode(record: Record<string, unknown>, problems: string[]): number | null {
  const value = record.code;
  if (value === null) return null;
  if (value === undefined) problems.push('code: missing (a reply code 200-599, or null when there was no reply)');
  else if (typeof value !== 'number' || !Number.isInteger(value) || value < 200 || value > 599)
    problems.push(`code: must be an integer 200-599 or null (got ${JSON.stringify(value)})`);
  return typeof value === 'number' ? value : null;
}

function readEnhanced(record: Record<string, unknown>, problems: string[]): string | null {
  const value = record.enhanced;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !ENHANCED.test(value))
    problems.push(`enhanced: must be an enhanced status code such as "5.1.1", or null (got ${JSON.stringify(value)})`);
  return typeof value === 'string' ? value : null;
}

function readStage(record: Record<string, unknown>, problems: string[]): SmtpStage | undefined {
  const value = record.stage;
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) return value as SmtpStage;
  problems.push(`stage: must be one of ${STAGES.join(', ')} (got ${JSON.stringify(value)})`);
  return undefined;
}

/** One input line → the facts, or every problem with it. */
export function parseLine(line: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problems: [`not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problems: ['must be a JSON object'] };
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const code = readCode(record, problems);
  const enhanced = readEnhanced(record, problems);
  if (typeof record.text !== 'string')
    problems.push(`text: must be a string (got ${JSON.stringify(record.text) ?? 'nothing'})`);
  const provider = optionalString(record, 'provider', problems);
  const mx = optionalString(record, 'mx', problems);
  const domain = optionalString(record, 'domain', problems);
  const stage = readStage(record, problems);
  if (problems.length > 0) return { problems };
  const facts: ReplyFacts = {
    code,
    enhanced,
    text: record.text as string,
    ...(provider === undefined ? {} : { provider }),
    ...(mx === undefined ? {} : { mx }),
    ...(domain === undefined ? {} : { domain }),
    ...(stage === undefined ? {} : { stage }),
  };
  return { facts };
}

/** The verdict as the command prints it: exactly these four keys, in this order. */
export function formatVerdict(facts: ReplyFacts): string {
  const verdict = classifyFacts(facts);
  return JSON.stringify({ class: verdict.class, action: verdict.action, hard: verdict.hard, rule: verdict.rule });
}

async function readLines(file: string, stdin: Readable): Promise<string[]> {
  if (file !== '-') return (await readFile(file, 'utf8')).split(/\r?\n/);
  const lines: string[] = [];
  for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) lines.push(line);
  return lines;
}

function parseOptions(args: readonly string[]): string {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: { jsonl: { type: 'string' } },
  });
  if (values.jsonl === undefined || values.jsonl === '')
    throw new Error('classify needs --jsonl FILE (or --jsonl - for stdin)');
  return values.jsonl;
}

/** Runs the command; resolves to its exit code. */
export async function classifyCommand(args: readonly string[], streams: CommandStreams): Promise<number> {
  let file: string;
  let lines: string[];
  try {
    file = parseOptions(args);
    lines = await readLines(file, streams.stdin);
  } catch (error) {
    streams.stderr.write(`mailbench classify: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_INVALID;
  }
  const outputs: string[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseLine(line);
    if ('facts' in parsed) outputs.push(formatVerdict(parsed.facts));
    else for (const problem of parsed.problems) problems.push(`line ${index + 1}: ${problem}`);
  });
  if (problems.length > 0) {
    streams.stderr.write(
      `mailbench classify: ${file === '-' ? 'stdin' : file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was classified\n${problems.join('\n')}\n`,
    );
    return EXIT_INVALID;
  }
  if (outputs.length > 0) streams.stdout.write(`${outputs.join('\n')}\n`);
  return EXIT_OK;
}
