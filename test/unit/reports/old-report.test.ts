/**
 * The contract holds backwards (DESIGN rule 5, STYLE §2.6): a v1 report saved before `series`,
 * `figures.classification`, `figures.later`, `figures.causesByReceiver` and `engine.policy`
 * existed (test/fixtures/reports/v1-before-series.json) still parses, renders to HTML and
 * Markdown, says plainly what it lacks, and compares against a new one without a false regression.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compareReports } from '../../../reports/compare.ts';
import { renderHtml } from '../../../reports/html.ts';
import { renderMarkdown } from '../../../reports/markdown.ts';
import { parseReport } from '../../../reports/parse.ts';
import { loadUplotAssets } from '../../../reports/uplot-assets.ts';

const FIXTURE = new URL('../../fixtures/reports/v1-before-series.json', import.meta.url);
const text = readFileSync(FIXTURE, 'utf8');

describe('a v1 report saved before the series', () => {
  test('has none of the new fields and still parses', () => {
    // Act
    const report = parseReport(text, 'v1-before-series.json');
    // Assert
    expect(report.series).toBeUndefined();
    expect(report.figures.classification).toBeUndefined();
    expect(report.figures.later).toBeUndefined();
    expect(report.figures.causesByReceiver).toBeUndefined();
    expect(report.engine.policy).toBeUndefined();
  });

  test('renders to HTML with every chart saying there is no series', () => {
    // Act
    const html = renderHtml(parseReport(text), loadUplotAssets());
    // Assert
    expect(html.match(/No series in this report/g)?.length).toBe(6); // five charts and the decisions
    expect(html).toContain('No classification figures in this report');
    expect(html).toContain('<dt>Engine</dt><dd>reference 0.1.0</dd>');
    expect(html).toContain('<td class="right" title="unknown-user → unknown-user: right">6</td>');
    expect(html).not.toContain('<div class="chart"');
  });

  test('renders to Markdown with its figures and what it lacks', () => {
    // Act
    const markdown = renderMarkdown(parseReport(text));
    // Assert
    expect(markdown).toContain('## mailbench · smoke · ✅ passed');
    expect(markdown).toContain('| delivered | 194 (97 %) |');
    expect(markdown).toContain('| unknown-user | unknown-user | 6 | ✓ right |');
    expect(markdown).toContain('_No classification figures in this report (saved before mailbench 0.3)._');
    expect(markdown).toContain('_No series in this report: decisions were not recorded');
  });

  test('compared with itself: no regressions, the missing figures marked missing', () => {
    // Act
    const report = parseReport(text);
    const result = compareReports(report, report);
    // Assert
    expect(result.regressions).toEqual([]);
    expect(result.metrics.find((metric) => metric.id === 'macroF1')?.verdict).toBe('missing');
    expect(result.metrics.find((metric) => metric.id === 'deliveredShare')?.verdict).toBe('same');
    expect(result.setupDifferences).toEqual([]);
  });
});
