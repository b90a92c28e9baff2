/**
 * The key figures as tables: messages and their shares, throughput on the run clock, the
 * classification figures of issue 5 and what came back after the SMTP dialogue. A figure the
 * report does not carry (an older report) is said to be missing, not shown as zero.
 */
import { escapeHtml, formatCounts, formatInteger, formatPrecise, formatShare } from '../format.ts';
import { CAMPAIGN_COLUMNS, campaignRows, messageFigureRows } from '../report-view.ts';
import type { LaterFigures, ReportV1 } from '../schema.ts';

/** A two-column table: a caption, then one row per figure. */
export function figureTable(caption: string, rows: readonly (readonly [name: string, value: string])[]): string {
  return `<table>
<caption>${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">figure</th><th scope="col">value</th></tr></thead>
<tbody>
${rows.map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

/** Each campaign's outcome and how long it took; nothing for a run without campaigns. */
function campaignTable(report: ReportV1): string {
  const rows = campaignRows(report);
  if (rows.length === 0) return '';
  return `<table>
<caption>Campaigns: what each send delivered, and how long it took</caption>
<thead><tr>${CAMPAIGN_COLUMNS.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map(([name, ...cells]) => `<tr><th scope="row">${escapeHtml(name ?? '')}</th>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>`;
}

export function figuresSection(report: ReportV1): string {
  const { throughput, attempts, classification, later } = report.figures;
  const messageRows = messageFigureRows(report);
  const throughputRows: [string, string][] = [
    ['accepted per second (run clock)', formatPrecise(throughput.acceptedPerSecond)],
    ['attempts answered per second (run clock)', formatPrecise(throughput.simulatedPerSecond)],
    ['recipient attempts', formatInteger(attempts.total)],
    ['truth records without an attempt', formatInteger(attempts.truthWithoutAttempt)],
    ['attempts without truth', formatInteger(attempts.attemptsWithoutTruth)],
    ...(attempts.unreportedAnswers === undefined
      ? []
      : [
          [
            'answers retried through unreported (sender reports outcomes only)',
            formatInteger(attempts.unreportedAnswers),
          ] as [string, string],
        ]),
  ];
  const parts = [
    figureTable('Messages (per recipient)', messageRows),
    figureTable('Throughput and attempts', throughputRows),
    campaignTable(report),
  ];
  parts.push(
    classification === undefined
      ? '<p class="muted">No classification figures in this report (saved before mailbench 0.3).</p>'
      : figureTable("Classification: the sender's judgment against the receivers' truth", [
          ['macro-F1 over refusal classes', formatPrecise(classification.macroF1)],
          ['action accuracy', formatShare(classification.actionAccuracy)],
          [
            'valid addresses wrongly suppressed',
            `${formatInteger(classification.validWronglySuppressed)} of ${formatInteger(classification.validRefused)} refused (${formatShare(classification.validWronglySuppressedShare)})`,
          ],
          ['invalid addresses kept', formatInteger(classification.invalidKept)],
          [
            'disguised-policy-block recall',
            `${formatShare(classification.disguisedRecall)} of ${formatInteger(classification.disguisedAnswers)} answers`,
          ],
          [
            'gateway unknown users suppressed',
            `${formatShare(classification.unknownUserSuppressedShare)} of ${formatInteger(classification.gatewayUnknownUsers)}`,
          ],
          ['refused attempts', formatInteger(classification.refusedAttempts)],
        ]),
  );
  if (later !== undefined) {
    parts.push(
      figureTable('After the dialogue: what the receivers sent back', [
        ['complaints (ARF)', formatInteger(later.complaints)],
        ['asynchronous bounces (DSN)', formatInteger(later.asyncBounces)],
        ['opens', formatInteger(later.opens)],
        ['clicks', formatInteger(later.clicks)],
        ...readRows(later.reportsReceived),
      ]),
    );
  }
  return `<section aria-labelledby="figures">
<h2 id="figures">Key figures</h2>
${parts.join('\n')}
</section>`;
}

/** How the return path read the reports: by writer and format, and what it could not read. */
function readRows(received: LaterFigures['reportsReceived']): (readonly [name: string, value: string])[] {
  const rows: (readonly [name: string, value: string])[] = [];
  if (received.dsnWriters !== undefined && Object.keys(received.dsnWriters).length > 0)
    rows.push(['bounces read, by writer', formatCounts(received.dsnWriters)]);
  if (received.dsnFormats !== undefined && Object.keys(received.dsnFormats).length > 0)
    rows.push(['bounces read, by format', formatCounts(received.dsnFormats)]);
  if (received.dsnFormats !== undefined)
    rows.push(['reports that could not be read', formatInteger(received.unreadable)]);
  return rows;
}
