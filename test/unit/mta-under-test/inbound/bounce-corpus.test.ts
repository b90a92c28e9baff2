/**
 * The bounce reader end to end on the development corpus of real bounce emails
 * (test/fixtures/corpora/sisimai-dev-eml, 284 files from the mail servers people run), measured
 * the way `mailbench bounces` reports it and ../shared/corpora/README.md defines the figures:
 * - read: the share of files that give at least one recipient (an unreadable one is reported
 *   with why, never dropped);
 * - suppress agreement: our `hard` equals Sisimai's for the recipient at the row's position in the
 *   report (`<file>-rN`), over rows whose reason is not in `exclude_hard`;
 * - class agreement: our class is one that `accept[reason]` allows, rows not in `exclude_class`.
 * Thresholds sit a little below today's figures, so a change that loses ground fails. The figures
 * are printed in the test names.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bounceLines } from '../../../../cli/bounces-command.ts';
import type { BounceLine } from '../../../../cli/bounces-command.ts';
import { readInboundReport } from '../../../../mta-under-test/reference/inbound/read-report.ts';

const CORPORA = new URL('../../../fixtures/corpora/', import.meta.url);
const EMAILS = new URL('sisimai-dev-eml/', CORPORA);

interface Row {
  id: string;
  reason: string;
  hard: boolean;
}
interface Mapping {
  accept: Record<string, string[]>;
  exclude_class: string[];
  exclude_hard: string[];
}

const rows = readFileSync(new URL('sisimai-dev.jsonl', CORPORA), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Row);
const mapping = JSON.parse(readFileSync(new URL('sisimai-mapping.json', CORPORA), 'utf8')) as Mapping;
const files = readdirSync(EMAILS)
  .filter((name) => name.endsWith('.eml'))
  .sort();
const lines: BounceLine[] = [];
for (const file of files)
  lines.push(...bounceLines(file, await readInboundReport(readFileSync(new URL(file, EMAILS)))));

const byPosition = new Map(
  lines.filter((line) => line.index !== undefined).map((line) => [`${String(line.file)}#${String(line.index)}`, line]),
);
const unreadable = lines.filter((line) => line.unreadable !== undefined);
// Rows whose email is in the corpus (two files are held out with their recipients).
const covered = rows.flatMap((row) => {
  const [, base = '', position = '1'] = /^(.*?)(?:-r(\d+))?$/.exec(row.id) ?? [];
  return files.includes(`${base}.eml`) ? [{ row, line: byPosition.get(`${base}.eml#${position}`) }] : [];
});

function share(hits: number, total: number): { value: number; text: string } {
  return { value: hits / total, text: `${hits}/${total} = ${((100 * hits) / total).toFixed(1)} %` };
}

const read = share(files.length - unreadable.length, files.length);
const hardRows = covered.filter(({ row }) => !mapping.exclude_hard.includes(row.reason));
const suppress = share(hardRows.filter(({ row, line }) => line?.hard === row.hard).length, hardRows.length);
const classRows = covered.filter(({ row }) => !mapping.exclude_class.includes(row.reason));
const classes = share(
  classRows.filter(({ row, line }) => (mapping.accept[row.reason] ?? []).includes(String(line?.class))).length,
  classRows.length,
);
console.info(
  `bounce corpus: read ${read.text}; suppress agreement ${suppress.text}; class agreement ${classes.text}; unreadable: ${unreadable.map((line) => `${String(line.file)} (${String(line.unreadable)})`).join('; ')}`,
);

describe('real bounce emails, end to end', () => {
  test(`files read: ${read.text} (threshold 99 %)`, () => {
    expect(read.value).toBeGreaterThanOrEqual(0.99);
  });

  test('every unreadable file says why', () => {
    expect(unreadable.every((line) => typeof line.unreadable === 'string' && line.unreadable.length > 10)).toBe(true);
  });

  test(`suppress agreement with Sisimai: ${suppress.text} (threshold 92 %)`, () => {
    expect(suppress.value).toBeGreaterThanOrEqual(0.92);
  });

  test(`class agreement with Sisimai: ${classes.text} (threshold 90 %)`, () => {
    expect(classes.value).toBeGreaterThanOrEqual(0.9);
  });
});
