/**
 * The sender's own decisions (suspensions, throttles, resumptions, policy moves such as pool
 * promotions and bogus-bounce suspicions), first summed by kind and rule, then listed. A run can
 * log thousands; the list shows the first few hundred and says how many it left out.
 */
import { escapeHtml, formatInteger, formatOffset } from '../format.ts';
import type { ReportV1 } from '../schema.ts';
import type { RunSeries, SeriesDecision, SeriesDecisionKind } from '../series.ts';
import { DECISION_COLORS, timeUnitOf } from './chart-specs.ts';

/** Rows the decision list shows; the summary above it counts every decision. */
export const DECISIONS_LISTED_MAX = 300;

export function decisionsSection(report: ReportV1): string {
  const heading = '<h2 id="decisions">The sender\'s decisions</h2>';
  const series = report.series;
  if (series === undefined)
    return `<section aria-labelledby="decisions">${heading}<p class="no-series">No series in this report: decisions were not recorded (saved before mailbench 0.3).</p></section>`;
  if (series.decisions.length === 0 && series.decisionsDropped === 0)
    return `<section aria-labelledby="decisions">${heading}<p>The sender logged no throttle, suspend, resume or policy decision.</p></section>`;
  const start = series.firstBucketStartMs;
  const listed = series.decisions.slice(0, DECISIONS_LISTED_MAX);
  const left = series.decisions.length - listed.length + series.decisionsDropped;
  return `<section aria-labelledby="decisions">
${heading}
${perBucketTable(series)}
${summaryTable(series.decisions, start, series.decisionsDropped)}
<details>
<summary>Every decision, in time order (${formatInteger(listed.length)} shown${left > 0 ? `, ${formatInteger(left)} more not shown` : ''})</summary>
<table>
<caption>Decisions as the sender's accounting log recorded them</caption>
<thead><tr><th scope="col">run clock</th><th scope="col">kind</th><th scope="col">on</th><th scope="col">what and why</th><th scope="col">rule</th></tr></thead>
<tbody>
${listed.map((decision) => `<tr><td>${formatOffset(decision.atMs - start)}</td><td class="text">${kindCell(decision)}</td><td class="text">${escapeHtml(subjectOf(decision))}</td><td class="text">${escapeHtml(detailOf(decision, start))}</td><td class="text"><code>${escapeHtml(decision.rule)}</code></td></tr>`).join('\n')}
</tbody>
</table>
</details>
</section>`;
}

/** Every decision counted per bucket and kind, complete even when the list below is not. */
function perBucketTable(series: RunSeries): string {
  const unit = timeUnitOf(series).name;
  const kinds = (Object.keys(series.decisionsPerBucket) as SeriesDecisionKind[]).filter((kind) =>
    series.decisionsPerBucket[kind].some((count) => count > 0),
  );
  const header = Array.from({ length: series.bucketCount }, (_, index) => `<th scope="col">${index + 1}</th>`).join('');
  const rows = kinds.map(
    (kind) =>
      `<tr><th scope="row">${kindCell({ kind })}</th>${series.decisionsPerBucket[kind].map((count) => `<td>${count === 0 ? '' : formatInteger(count)}</td>`).join('')}</tr>`,
  );
  return `<table>
<caption>Decisions per ${unit} of run clock, by kind (every decision counted)</caption>
<thead><tr><th scope="col">kind \\ ${unit}</th>${header}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function summaryTable(decisions: readonly SeriesDecision[], start: number, dropped: number): string {
  const groups = new Map<
    string,
    { kind: SeriesDecision['kind']; rule: string; count: number; firstMs: number; lastMs: number }
  >();
  for (const decision of decisions) {
    const name = decision.kind === 'Policy' ? `${decision.decision} (${decision.rule})` : decision.rule;
    const key = `${decision.kind} ${name}`;
    const group = groups.get(key);
    if (group === undefined)
      groups.set(key, { kind: decision.kind, rule: name, count: 1, firstMs: decision.atMs, lastMs: decision.atMs });
    else {
      group.count++;
      group.lastMs = decision.atMs;
    }
  }
  const rows = [...groups.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  return `<table>
<caption>Decisions by kind and rule (${formatInteger(decisions.length)} listed${dropped > 0 ? `; ${formatInteger(dropped)} more past the report's limit per kind are only counted above` : ''})</caption>
<thead><tr><th scope="col">kind</th><th scope="col">rule</th><th scope="col">count</th><th scope="col">first</th><th scope="col">last</th></tr></thead>
<tbody>
${rows.map((row) => `<tr><td class="text">${kindCell(row)}</td><td class="text"><code>${escapeHtml(row.rule)}</code></td><td>${formatInteger(row.count)}</td><td>${formatOffset(row.firstMs - start)}</td><td>${formatOffset(row.lastMs - start)}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

function kindCell(decision: { kind: SeriesDecision['kind'] }): string {
  return `<span class="swatch" style="background:${DECISION_COLORS[decision.kind]}" aria-hidden="true"></span>${decision.kind}`;
}

/** Where a decision applied: its path scope, or a policy decision's subject. */
export function subjectOf(decision: SeriesDecision): string {
  if (decision.kind === 'Policy') return decision.subject;
  const { source, site, provider } = decision.scope;
  return [
    source,
    provider === undefined ? undefined : `provider ${provider}`,
    site === undefined ? undefined : `site ${site}`,
  ]
    .filter((part) => part !== undefined)
    .join(' → ');
}

/** What the decision did and why, in one line. */
export function detailOf(decision: SeriesDecision, start: number): string {
  switch (decision.kind) {
    case 'Throttle':
      return `${rate(decision.ratePerHourBefore)} → ${rate(decision.ratePerHourAfter)}: ${decision.reason}`;
    case 'Suspend':
      return `until ${formatOffset(decision.untilMs - start)}: ${decision.reason}`;
    case 'Resume':
      return decision.reason;
    case 'Policy':
      return `${decision.decision}: ${decision.detail}`;
  }
}

function rate(perHour: number | null): string {
  return perHour === null ? 'no limit' : `${formatInteger(perHour)}/h`;
}
