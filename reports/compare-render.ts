/**
 * A comparison (compare.ts) as Markdown, for a CI summary or a PR comment, and as a small HTML
 * page: the two sides' identities, what differs between their setups, every figure side by side
 * with its change and verdict, the regressions first when there are any, and inbox placement
 * per receiver. Pure functions of the ComparisonResult.
 */
import type { ComparisonResult, MetricComparison, Verdict } from './compare.ts';
import { escapeHtml, formatDecimal, formatInteger, formatPrecise, formatShare } from './format.ts';
import { table } from './markdown.ts';

const VERDICT_TEXT: Record<Verdict, string> = {
  better: 'better',
  same: 'same',
  'within-tolerance': 'worse, within tolerance',
  regression: '**regression**',
  changed: 'changed',
  missing: 'not in both',
};

export function formatMetricValue(metric: MetricComparison, value: number | null): string {
  if (value === null) return '–';
  switch (metric.format) {
    case 'share':
      return formatShare(value);
    case 'precise':
      return formatPrecise(value);
    case 'integer':
      return formatInteger(value);
    case 'decimal':
      return formatDecimal(value);
  }
}

/** B − A in the metric's terms: percentage points for shares. */
export function formatDelta(metric: MetricComparison): string {
  if (metric.delta === null) return '–';
  const sign = metric.delta > 0 ? '+' : metric.delta < 0 ? '−' : '±';
  const size = Math.abs(metric.delta);
  if (metric.format === 'share') return `${sign}${formatPrecise(size * 100)} pp`;
  return `${sign}${metric.format === 'integer' ? formatInteger(size) : formatPrecise(size)}`;
}

function formatTolerance(metric: MetricComparison): string {
  if (metric.direction === 'informational') return '';
  if (metric.toleranceKind === 'relative') return `${formatDecimal(metric.tolerance * 100)} % of A`;
  return metric.format === 'share' ? `${formatPrecise(metric.tolerance * 100)} pp` : formatPrecise(metric.tolerance);
}

function metricRows(result: ComparisonResult): string[][] {
  return result.metrics.map((metric) => [
    metric.label,
    formatMetricValue(metric, metric.a),
    formatMetricValue(metric, metric.b),
    formatDelta(metric),
    formatTolerance(metric),
    VERDICT_TEXT[metric.verdict],
  ]);
}

export function renderComparisonMarkdown(result: ComparisonResult): string {
  const { a, b } = result;
  const title =
    result.kind === 'plans'
      ? `## mailbench · ${a.label} vs ${b.label}`
      : `## mailbench · ${b.label} against ${a.label}`;
  const verdict =
    result.regressions.length === 0
      ? '✅ no regressions'
      : `❌ ${result.regressions.length} regression${result.regressions.length === 1 ? '' : 's'}: ${result.regressions.map((metric) => metric.label).join(', ')}`;
  const lines = [
    title,
    '',
    verdict,
    '',
    ...table(
      ['', a.label, b.label],
      [
        ['scenario', a.scenario, b.scenario],
        ['seed', a.seed, b.seed],
        ['mode', a.mode, b.mode],
        ['engine', a.engine, b.engine],
        ['outcome', a.outcome, b.outcome],
      ],
    ),
    '',
    ...result.warnings.map((warning) => `> ⚠️ ${warning}`),
    ...(result.warnings.length > 0 ? [''] : []),
    ...(result.setupDifferences.length === 0
      ? ['Setups: identical.']
      : ['Setup differences:', '', ...result.setupDifferences.map((line) => `- \`${line.replace(/`/g, "'")}\``)]),
    '',
    ...table(['figure', a.label, b.label, 'B − A', 'tolerance', 'verdict'], metricRows(result)),
    '',
  ];
  if (result.receivers.length > 0) {
    lines.push(
      '### Per receiver',
      '',
      ...table(
        ['receiver', `inbox share ${a.label}`, `inbox share ${b.label}`, `refusals ${a.label}`, `refusals ${b.label}`],
        result.receivers.map((row) => [
          row.receiver,
          formatShare(row.inboxShareA),
          formatShare(row.inboxShareB),
          formatInteger(row.refusalsA),
          formatInteger(row.refusalsB),
        ]),
      ),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const COMPARE_STYLES = `body{font:15px/1.45 system-ui,sans-serif;color:#1f2328;max-width:1100px;margin:0 auto;padding:1.5rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right}th[scope=row]{text-align:left}thead th{background:#f6f8fa}
tr.regression td{background:#f4c7c3;font-weight:600}tr.better td{background:#d9ead3}.warning{background:#fce8b2;padding:.4rem .6rem}`;

export function renderComparisonHtml(result: ComparisonResult): string {
  const { a, b } = result;
  const cell = (text: string): string => `<td>${escapeHtml(text)}</td>`;
  const identity = (['scenario', 'seed', 'mode', 'engine', 'outcome'] as const).map(
    (field) => `<tr><th scope="row">${field}</th>${cell(a[field])}${cell(b[field])}</tr>`,
  );
  const metrics = result.metrics.map(
    (metric) =>
      `<tr class="${metric.verdict}"><th scope="row">${escapeHtml(metric.label)}</th>${[formatMetricValue(metric, metric.a), formatMetricValue(metric, metric.b), formatDelta(metric), formatTolerance(metric), VERDICT_TEXT[metric.verdict].replace(/\*/g, '')].map(cell).join('')}</tr>`,
  );
  const receivers = result.receivers.map(
    (row) =>
      `<tr><th scope="row">${escapeHtml(row.receiver)}</th>${[formatShare(row.inboxShareA), formatShare(row.inboxShareB), formatInteger(row.refusalsA), formatInteger(row.refusalsB)].map(cell).join('')}</tr>`,
  );
  const title = result.kind === 'plans' ? `${a.label} vs ${b.label}` : `${b.label} against ${a.label}`;
  const summary =
    result.regressions.length === 0
      ? 'No regressions.'
      : `${result.regressions.length} regression(s): ${result.regressions.map((metric) => metric.label).join(', ')}.`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>mailbench comparison: ${escapeHtml(title)}</title><style>${COMPARE_STYLES}</style></head>
<body><main>
<h1>mailbench comparison: ${escapeHtml(title)}</h1>
<p><strong>${escapeHtml(summary)}</strong></p>
${result.warnings.map((warning) => `<p class="warning">${escapeHtml(warning)}</p>`).join('\n')}
<table><caption>The two runs</caption><thead><tr><th scope="col"></th><th scope="col">${escapeHtml(a.label)}</th><th scope="col">${escapeHtml(b.label)}</th></tr></thead><tbody>${identity.join('')}</tbody></table>
<h2>Setup differences</h2>
${result.setupDifferences.length === 0 ? '<p>Identical setups.</p>' : `<ul>${result.setupDifferences.map((line) => `<li><code>${escapeHtml(line)}</code></li>`).join('')}</ul>`}
<h2>Figures</h2>
<table><caption>Every figure side by side; a regression is B worse than A by more than the tolerance</caption>
<thead><tr><th scope="col">figure</th><th scope="col">${escapeHtml(a.label)}</th><th scope="col">${escapeHtml(b.label)}</th><th scope="col">B − A</th><th scope="col">tolerance</th><th scope="col">verdict</th></tr></thead>
<tbody>${metrics.join('\n')}</tbody></table>
${receivers.length === 0 ? '' : `<h2>Per receiver</h2><table><caption>Inbox share of accepted mail and refusals, per receiver (receiver truth)</caption><thead><tr><th scope="col">receiver</th><th scope="col">inbox share ${escapeHtml(a.label)}</th><th scope="col">inbox share ${escapeHtml(b.label)}</th><th scope="col">refusals ${escapeHtml(a.label)}</th><th scope="col">refusals ${escapeHtml(b.label)}</th></tr></thead><tbody>${receivers.join('\n')}</tbody></table>`}
</main></body></html>
`;
}
