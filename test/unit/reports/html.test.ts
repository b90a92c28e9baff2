/**
 * The HTML report of a small fixed-seed run, read as text: it must name the run (scenario,
 * seed, mode, engine and policy), show the confusion cells and classification figures the
 * report holds, list the decisions, carry one chart per spec with labelled axes and bands, and
 * reach for nothing outside the file. The browser test (test/integration/report-browser.test.ts)
 * checks that the charts really draw.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { renderHtml } from '../../../reports/html.ts';
import { chartSpecs } from '../../../reports/html/chart-specs.ts';
import { formatInteger, formatPrecise, formatShare } from '../../../reports/format.ts';
import { confusionCells } from '../../../reports/report-view.ts';
import type { ReportV1 } from '../../../reports/schema.ts';
import { loadUplotAssets } from '../../../reports/uplot-assets.ts';
import { SMALL_RUN_SEED, smallRunReport } from './_support/small-run.ts';

let report: ReportV1;
let html: string;

beforeAll(async () => {
  report = await smallRunReport();
  html = renderHtml(report, loadUplotAssets());
});

describe(`HTML report of a small run (seed ${SMALL_RUN_SEED})`, () => {
  test('names the outcome and the run: scenario, seed, mode, engine and policy', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<h1>mailbench report: b2b-bogus-bounces</h1>');
    expect(html).toContain(`<span class="outcome outcome-${report.outcome.status}">`);
    expect(html).toContain(`<dt>Seed</dt><dd>${SMALL_RUN_SEED}</dd>`);
    expect(html).toContain('<dt>Mode</dt><dd>sim</dd>');
    // In sim mode the receivers judge, and mailauth checks a sample of their verdicts.
    const audited = report.figures.authentication?.auditedByMailauth?.messages ?? 0;
    expect(audited).toBeGreaterThan(0);
    expect(html).toContain(
      `<dt>Authentication judged by</dt><dd>the receivers&#39; own verifier; mailauth judged a sample of the messages too and agreed on all ${audited}</dd>`,
    );
    expect(html).toContain(`<dt>Engine</dt><dd>reference ${report.engine.version}, policy reference</dd>`);
  });

  test('shows every non-empty confusion cell, right cells green and wrong ones red', () => {
    const cells = confusionCells(report);
    expect(cells.length).toBeGreaterThan(3);
    for (const cell of cells) {
      expect(html).toContain(
        `<td class="${cell.isRight ? 'right' : 'wrong'}" title="${cell.cause} → ${cell.cls}: ${cell.isRight ? 'right' : 'wrong'}">${formatInteger(cell.count)}</td>`,
      );
    }
    // Accepted mail the sender calls delivered is on the diagonal, whatever the engine did.
    expect(cells.find((cell) => cell.cause === 'delivered-inbox' && cell.cls === 'delivered')?.isRight).toBe(true);
    expect(html).toContain('<caption>Paired attempts: receiver truth (rows) × sender class (columns)');
  });

  test('shows the classification figures as the report holds them', () => {
    const figures = report.figures.classification;
    expect(figures).toBeDefined();
    if (figures === undefined) return;
    expect(html).toContain(
      `<th scope="row">macro-F1 over refusal classes</th><td>${formatPrecise(figures.macroF1)}</td>`,
    );
    expect(html).toContain(`<th scope="row">action accuracy</th><td>${formatShare(figures.actionAccuracy)}</td>`);
    expect(html).toContain(
      `<th scope="row">disguised-policy-block recall</th><td>${formatShare(figures.disguisedRecall)} of ${formatInteger(figures.disguisedAnswers)} answers</td>`,
    );
    expect(html).toContain(
      `${formatInteger(figures.validWronglySuppressed)} of ${formatInteger(figures.validRefused)} refused`,
    );
  });

  test('lists the decisions: a summary by kind and rule, and each decision with its rule', () => {
    const decisions = report.series?.decisions ?? [];
    expect(decisions.length).toBeGreaterThan(0);
    expect(html).toContain(`<caption>Decisions by kind and rule (${formatInteger(decisions.length)} listed`);
    expect(html).toContain(
      `<caption>Decisions per ${report.series?.bucketWidthMs === 3_600_000 ? 'hour' : 'day'} of run clock, by kind (every decision counted)</caption>`,
    );
    const first = decisions[0];
    if (first === undefined) return;
    expect(html).toContain(`<code>${first.rule}</code>`);
    for (const kind of new Set(decisions.map((decision) => decision.kind)))
      expect(html).toContain(`</span>${kind}</td>`);
  });

  test('carries one chart per spec, each axis with its unit and the reputation bands by name', () => {
    const specs = chartSpecs(report);
    // Volume, outcomes, throughput, one reputation chart per sending IP, placement.
    expect(specs.map((spec) => spec.id)).toEqual([
      'chart-volume',
      'chart-outcomes',
      'chart-throughput',
      'chart-reputation-0',
      'chart-placement',
    ]);
    for (const spec of specs) {
      expect(html).toContain(`<div class="chart" id="${spec.id}"`);
      expect(spec.xLabel).toMatch(/^run clock \((hours|days) since the start\)$/);
      expect(spec.yLabel).toMatch(/per (hour|day)|per second|score|%/);
      for (const series of spec.series) expect(series.values).toHaveLength(spec.x.length);
    }
    const reputation = specs.find((spec) => spec.id === 'chart-reputation-0');
    expect(reputation?.bands?.map((band) => band.label)).toEqual(['bad', 'low', 'medium', 'high']);
    expect(reputation?.yRange).toEqual([0, 1]);
    expect(html).toContain('(B bad, L low, M medium, H high; SNDS: R red, Y yellow, G green)');
    const throughput = specs.find((spec) => spec.id === 'chart-throughput');
    expect(throughput?.markers?.points).toHaveLength(report.series?.decisions.length ?? -1);
  });

  test('is self-contained: uPlot inline, a CSP that forbids fetching, no external references', () => {
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).toContain('<script type="application/json" id="chart-data">');
    expect(html).toContain(loadUplotAssets().uplotCss);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    // The embedded data never closes its own element early.
    const data = html.slice(
      html.indexOf('id="chart-data">'),
      html.indexOf('</script>', html.indexOf('id="chart-data">')),
    );
    expect(data).not.toContain('<');
  });

  test('renders the same bytes for the same report', () => {
    expect(renderHtml(report, loadUplotAssets())).toBe(html);
  });
});
