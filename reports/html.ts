/**
 * The HTML report: one self-contained file, a pure function of a saved report and the chart
 * library's text (DESIGN rule 5). Nothing in it is fetched: uPlot, its stylesheet, the chart
 * data and the script that draws them are all inline, and the page's Content-Security-Policy
 * forbids any request, so it opens the same from a CI artifact, an e-mail or a laptop offline.
 *
 * Sections, in reading order: outcome and identity, key figures, the timeline charts
 * (volume, outcomes, throughput with the sender's decisions, reputation in Postmaster bands,
 * inbox placement), the confusion matrix, and the decisions themselves.
 */
import { CHART_SCRIPT } from './html/chart-script.ts';
import { chartSpecs } from './html/chart-specs.ts';
import { chartsSection } from './html/charts-section.ts';
import { confusionSection } from './html/confusion-section.ts';
import { decisionsSection } from './html/decisions-section.ts';
import { figuresSection } from './html/figures-section.ts';
import { identitySection } from './html/identity-section.ts';
import { htmlPage } from './html/page.ts';
import type { HtmlAssets } from './html/page.ts';
import type { ReportV1 } from './schema.ts';

export type { HtmlAssets } from './html/page.ts';

export function renderHtml(report: ReportV1, assets: HtmlAssets): string {
  const body = [
    '<main>',
    identitySection(report),
    figuresSection(report),
    chartsSection(report),
    confusionSection(report),
    decisionsSection(report),
    '</main>',
  ].join('\n');
  return htmlPage({
    title: `mailbench · ${report.scenario.name} · seed ${report.seed}`,
    body,
    assets,
    chartData: chartSpecs(report),
    script: CHART_SCRIPT,
  });
}
