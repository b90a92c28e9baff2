/**
 * The timeline: one figure per chart spec (the canvas is drawn by the page's script), a band
 * strip per sending IP that reads without the chart (each cell names its band; Microsoft rows
 * add SNDS colours), and a placement table with the run's totals. A report saved before the
 * series existed gets the same headings, each saying there is no series to draw.
 */
import { escapeHtml, formatInteger, formatShare } from '../format.ts';
import { share } from '../report-view.ts';
import type { ReportV1 } from '../schema.ts';
import type { RunSeries } from '../series.ts';
import { REPUTATION_ID_PREFIX, chartSpecs, sendingIps, timeUnitOf } from './chart-specs.ts';
import type { ChartSpec } from './chart-specs.ts';

const CHART_TITLES_WITHOUT_SERIES = [
  'Volume per receiver',
  'Delivered, deferred, bounced and expired',
  'Throughput on the run clock',
  'Reputation per sending IP and receiver',
  'Inbox placement per receiver',
];

export function chartsSection(report: ReportV1): string {
  const heading = '<h2 id="timeline">Timeline</h2>';
  const series = report.series;
  if (series === undefined) {
    const placeholders = CHART_TITLES_WITHOUT_SERIES.map(
      (title) =>
        `<figure><h3>${escapeHtml(title)}</h3><p class="no-series">No series in this report: it was saved before mailbench 0.3 recorded time series.</p></figure>`,
    );
    return `<section aria-labelledby="timeline">${heading}\n${placeholders.join('\n')}</section>`;
  }
  const figures = chartSpecs(report).map((spec) => {
    const strip = spec.id.startsWith(REPUTATION_ID_PREFIX) ? bandStrip(series, spec) : '';
    return `${chartFigure(spec)}${strip}`;
  });
  return `<section aria-labelledby="timeline">
${heading}
<p class="muted">Buckets of ${timeUnitOf(series).name}s of run clock (${formatInteger(series.bucketCount)} in all)${report.mode === 'sim' ? ', simulated time' : ''}.</p>
${figures.join('\n')}
${placementTable(series)}
</section>`;
}

function chartFigure(spec: ChartSpec): string {
  const legend =
    spec.markers === undefined || spec.markers.lanes.length === 0
      ? ''
      : ` Decision ticks: ${spec.markers.lanes.map((lane) => `<span class="swatch" style="background:${lane.color}" aria-hidden="true"></span>${escapeHtml(lane.label)}`).join('')}.`;
  const bands =
    spec.bands === undefined
      ? ''
      : ` Bands: ${spec.bands.map((band) => `<span class="swatch" style="background:${band.color}" aria-hidden="true"></span>${escapeHtml(band.label)} (score ${band.from}–${band.to})`).join('')}.`;
  return `<figure>
<h3>${escapeHtml(spec.title)}</h3>
<div class="chart" id="${escapeHtml(spec.id)}" data-chart="${escapeHtml(spec.id)}"></div>
<figcaption>${escapeHtml(spec.caption)}${legend}${bands}</figcaption>
</figure>`;
}

/** The bands of one sending IP as coloured cells, one row per receiver (and SNDS where it applies). */
function bandStrip(series: RunSeries, spec: ChartSpec): string {
  const ip = sendingIps(series)[Number(spec.id.slice(REPUTATION_ID_PREFIX.length))];
  const tracks = series.reputation.filter((track) => track.sourceIp === ip);
  const unit = timeUnitOf(series).name;
  const header = Array.from({ length: series.bucketCount }, (_, index) => `<th scope="col">${index + 1}</th>`).join('');
  const rows = tracks.flatMap((track) => {
    const bandRow = `<tr><th scope="row">${escapeHtml(track.receiver)} (Postmaster)</th>${track.band.map((band) => `<td class="band-${band}" title="${band}">${band.slice(0, 1).toUpperCase()}</td>`).join('')}</tr>`;
    const sndsRow =
      track.snds === undefined
        ? []
        : [
            `<tr><th scope="row">${escapeHtml(track.receiver)} (SNDS)</th>${track.snds.map((colour) => `<td class="snds-${colour}" title="${colour}">${colour.slice(0, 1).toUpperCase()}</td>`).join('')}</tr>`,
          ];
    return [bandRow, ...sndsRow];
  });
  return `<table class="strip">
<caption>Band of ${escapeHtml(ip ?? '')} at the end of each ${unit} (B bad, L low, M medium, H high; SNDS: R red, Y yellow, G green)</caption>
<thead><tr><th scope="col">receiver \\ ${unit}</th>${header}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function placementTable(series: RunSeries): string {
  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  const rows = Object.keys(series.receivers)
    .sort()
    .map((id) => {
      const placement = (series.receivers[id] as RunSeries['receivers'][string]).placement;
      const counts = [sum(placement.inbox), sum(placement.spam), sum(placement.discarded), sum(placement.trap)];
      const accepted = sum(counts);
      return `<tr><th scope="row">${escapeHtml(id)}</th>${counts.map((count) => `<td>${formatInteger(count)}</td>`).join('')}<td>${formatShare(share(counts[0] ?? 0, accepted))}</td></tr>`;
    });
  return `<table>
<caption>Where accepted mail really went, per receiver, over the whole run (receiver truth)</caption>
<thead><tr><th scope="col">receiver</th><th scope="col">inbox</th><th scope="col">spam folder</th><th scope="col">discarded</th><th scope="col">trap</th><th scope="col">inbox share</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}
