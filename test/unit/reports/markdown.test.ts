/**
 * The Markdown summary of a small fixed-seed run: the outcome and identity in the title and
 * first line, key and classification figures as the report holds them, the largest confusion
 * cells marked right or wrong, and the decisions counted by kind.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { formatInteger, formatPrecise, formatShare } from '../../../reports/format.ts';
import { MARKDOWN_TOP_CELLS, renderMarkdown } from '../../../reports/markdown.ts';
import { confusionCells, decisionCounts } from '../../../reports/report-view.ts';
import type { ReportV1 } from '../../../reports/schema.ts';
import { SMALL_RUN_SEED, smallRunReport } from './_support/small-run.ts';

let report: ReportV1;
let markdown: string;

beforeAll(async () => {
  report = await smallRunReport();
  markdown = renderMarkdown(report);
});

describe(`Markdown summary of a small run (seed ${SMALL_RUN_SEED})`, () => {
  test('opens with the outcome and the run identity', () => {
    const [title, , identity] = markdown.split('\n');
    expect(title).toMatch(/^## mailbench · b2b-bogus-bounces · (✅|❌|⚠️) /);
    expect(identity).toContain(
      `Seed \`${SMALL_RUN_SEED}\` · mode sim · engine reference ${report.engine.version}, policy reference · 600 recipients`,
    );
  });

  test('has the key and classification figures', () => {
    const { messages, classification } = report.figures;
    expect(markdown).toContain(
      `| delivered | ${formatInteger(messages.delivered)} (${formatShare(messages.delivered / messages.injected)}) |`,
    );
    expect(markdown).toContain(`| macro-F1 | ${formatPrecise(classification?.macroF1)} |`);
    expect(markdown).toContain(
      `| disguised-policy-block recall | ${formatShare(classification?.disguisedRecall)} of ${formatInteger(classification?.disguisedAnswers ?? 0)} |`,
    );
  });

  test('lists the largest confusion cells, each marked right or wrong', () => {
    const cells = confusionCells(report).slice(0, MARKDOWN_TOP_CELLS);
    for (const cell of cells)
      expect(markdown).toContain(
        `| ${cell.cause} | ${cell.cls} | ${formatInteger(cell.count)} | ${cell.isRight ? '✓ right' : '✗ wrong'} |`,
      );
    const rows = markdown.split('\n').filter((line) => /✓ right|✗ wrong/.test(line));
    expect(rows).toHaveLength(cells.length);
  });

  test('counts the decisions by kind', () => {
    const counts = decisionCounts(report);
    expect(counts).not.toBeNull();
    if (counts === null) return;
    const total = counts.Suspend + counts.Resume + counts.Throttle + counts.Policy;
    expect(markdown).toContain(`${formatInteger(total)} decisions`);
    expect(markdown).toContain(
      `${formatInteger(counts.Suspend)} suspend · ${formatInteger(counts.Resume)} resume · ${formatInteger(counts.Throttle)} throttle · ${formatInteger(counts.Policy)} policy`,
    );
  });
});
