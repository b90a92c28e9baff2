/**
 * `npm run side-by-side`: the same scenarios, the same seed, in wire mode, against every
 * sender the bench can drive from outside, and one report comparing them (issue 7):
 *
 * - `reference`: the reference engine (in this process, real SMTP on loopback);
 * - `postfix`: a private Postfix instance, known by its log;
 * - `smtp-relay`: the same Postfix known only by SMTP and the DSNs it sends (what the bench
 *   learns of an MTA it knows nothing about).
 *
 * For each run: delivered, bounced, expired, still in flight, the classification figures
 * (macro-F1, action accuracy, valid addresses wrongly suppressed, disguised recall), and
 * throughput (delivered per wall second; run-clock hours to finish). Writes every report.json
 * and `side-by-side.md` / `side-by-side.json` under `--out` (default out/side-by-side).
 *
 *   npm run side-by-side -- [--out DIR] [--seed S] [--only b2b-bogus-bounces,black-friday-spike] [--senders reference,postfix,smtp-relay]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PostfixMta, smtpRelay } from '../mta-under-test/index.ts';
import type { ReportV1, WallTiming } from '../reports/index.ts';
import { runScenario, runScenarioWithMta } from '../runner/index.ts';
import { findScenario, resolveScenario } from '../scenarios/index.ts';

/** The scenarios and the scales that keep each run to a few minutes on two cores. */
const CASES = [
  { scenario: 'b2b-bogus-bounces', scale: 0.25 },
  { scenario: 'black-friday-spike', scale: 0.05 },
] as const;
const SENDERS = ['reference', 'postfix', 'smtp-relay'] as const;
type Sender = (typeof SENDERS)[number];

interface Row {
  readonly scenario: string;
  readonly scale: number;
  readonly sender: Sender;
  readonly engine: string;
  readonly outcome: string;
  readonly messages: ReportV1['figures']['messages'];
  readonly macroF1: number | null;
  readonly actionAccuracy: number | null;
  readonly validWronglySuppressed: number | null;
  readonly disguisedRecall: number | null;
  readonly deliveredPerWallSecond: number;
  readonly runClockHours: number;
  readonly wallSeconds: number;
}

async function runOne(
  name: string,
  scale: number,
  sender: Sender,
  seed: string,
): Promise<{ report: ReportV1; timing: WallTiming }> {
  const input = findScenario(name);
  if (input === undefined) throw new Error(`side-by-side: no scenario named ${name}`);
  const scenario = resolveScenario(input, { scale });
  switch (sender) {
    case 'reference':
      return runScenario({ engine: 'reference', scenario, seed, mode: 'wire' });
    case 'postfix':
      return runScenarioWithMta({ scenario, seed, mta: (clock) => new PostfixMta({ toRunTimeMs: clock.toRunTimeMs }) });
    case 'smtp-relay':
      return runScenarioWithMta({
        scenario,
        seed,
        mta: (clock) =>
          smtpRelay({
            nowMs: clock.nowMs,
            prepare: async (environment) => {
              const postfix = new PostfixMta();
              await postfix.start(environment);
              return {
                submission: postfix.submissionRoute(),
                version: `postfix-${postfix.version()}`,
                stop: () => postfix.stop(),
              };
            },
          }),
      });
  }
}

function rowOf(name: string, scale: number, sender: Sender, report: ReportV1, timing: WallTiming): Row {
  const classification = report.figures.classification;
  return {
    scenario: name,
    scale,
    sender,
    engine: `${report.engine.name} ${report.engine.version}`,
    outcome: report.outcome.status,
    messages: report.figures.messages,
    macroF1: classification?.macroF1 ?? null,
    actionAccuracy: classification?.actionAccuracy ?? null,
    validWronglySuppressed: classification?.validWronglySuppressed ?? null,
    disguisedRecall: classification?.disguisedRecall ?? null,
    deliveredPerWallSecond: timing.acceptedPerWallSecond,
    runClockHours: Math.round(((report.clock.endMs - report.clock.startMs) / 3_600_000) * 10) / 10,
    wallSeconds: Math.round(timing.wallMs / 100) / 10,
  };
}

function cell(value: number | null, digits = 3): string {
  return value === null ? '—' : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(digits);
}

function renderMarkdown(rows: readonly Row[], seed: string): string {
  const lines = [`# Side by side (wire mode, seed ${seed})`, ''];
  for (const name of [...new Set(rows.map((row) => row.scenario))]) {
    const of = rows.filter((row) => row.scenario === name);
    lines.push(
      `## ${name} at scale ${of[0]?.scale ?? ''}`,
      '',
      `| figure | ${of.map((row) => row.sender).join(' | ')} |`,
      `|---|${of.map(() => '---').join('|')}|`,
    );
    const figure = (label: string, value: (row: Row) => string): void => {
      lines.push(`| ${label} | ${of.map(value).join(' | ')} |`);
    };
    figure('engine', (row) => row.engine);
    figure('outcome', (row) => row.outcome);
    figure('injected', (row) => cell(row.messages.injected));
    figure('delivered', (row) => cell(row.messages.delivered));
    figure('bounced', (row) => cell(row.messages.bounced));
    figure('expired', (row) => cell(row.messages.expired));
    figure('still in flight', (row) => cell(row.messages.inFlight));
    figure('macro-F1', (row) => cell(row.macroF1));
    figure('action accuracy', (row) => cell(row.actionAccuracy));
    figure('valid addresses wrongly suppressed', (row) => cell(row.validWronglySuppressed));
    figure('disguised recall', (row) => cell(row.disguisedRecall));
    figure('delivered per wall second', (row) => cell(row.deliveredPerWallSecond));
    figure('run clock (hours)', (row) => cell(row.runClockHours, 1));
    figure('wall time (s)', (row) => cell(row.wallSeconds, 1));
    lines.push('');
  }
  lines.push(
    'The smtp-relay column is Postfix known only by SMTP and its DSNs: it reports final outcomes, not attempts, so its classification figures cover the final answers only.',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'out/side-by-side' },
      seed: { type: 'string', default: '11' },
      only: { type: 'string' },
      senders: { type: 'string' },
    },
  });
  const out = resolve(values.out);
  const cases =
    values.only === undefined ? CASES : CASES.filter((each) => values.only?.split(',').includes(each.scenario));
  const senders =
    values.senders === undefined ? SENDERS : SENDERS.filter((each) => values.senders?.split(',').includes(each));
  const rows: Row[] = [];
  for (const { scenario, scale } of cases) {
    for (const sender of senders) {
      console.error(`side-by-side: ${scenario} at scale ${scale} against ${sender} …`);
      const { report, timing } = await runOne(scenario, scale, sender, values.seed);
      const dir = join(out, scenario, sender);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      rows.push(rowOf(scenario, scale, sender, report, timing));
    }
  }
  writeFileSync(join(out, 'side-by-side.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const markdown = renderMarkdown(rows, values.seed);
  writeFileSync(join(out, 'side-by-side.md'), markdown);
  console.log(markdown);
}

await main();
