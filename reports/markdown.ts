/**
 * The Markdown summary: what a CI step summary or a pull-request comment shows of a run. Short
 * on purpose (a reviewer reads it in the PR timeline): the outcome and identity, the key
 * figures, the classification figures, the largest confusion cells and the decisions by kind.
 * The HTML report has the rest. A pure function of the saved report (DESIGN rule 5).
 */
import {
  escapeMarkdownCell,
  formatCounts,
  formatDecimal,
  formatInteger,
  formatPrecise,
  formatShare,
} from './format.ts';
import {
  CAMPAIGN_COLUMNS,
  campaignRows,
  confusionCells,
  decisionCounts,
  describeEngine,
  authenticationDisagreements,
  describeAuthentication,
  describeNotCarriedOut,
  describeOutcome,
  messageFigureRows,
  runHours,
} from './report-view.ts';
import type { ReportV1 } from './schema.ts';

/** Confusion cells the summary lists; the HTML report has the whole matrix. */
export const MARKDOWN_TOP_CELLS = 10;

const OUTCOME_MARK: Record<ReportV1['outcome']['status'], string> = {
  passed: '✅',
  failed: '❌',
  interrupted: '⚠️',
  errored: '💥',
};

export function renderMarkdown(report: ReportV1): string {
  const lines = [
    `## mailbench · ${report.scenario.name} · ${OUTCOME_MARK[report.outcome.status]} ${escapeMarkdownCell(describeOutcome(report))}`,
    '',
    `Seed \`${report.seed}\` · mode ${report.mode} · engine ${describeEngine(report)} · ${formatInteger(report.scenario.population.recipients)} recipients · run clock ${formatDecimal(runHours(report))} h${report.mode === 'sim' ? ' (simulated)' : ''} · mailbench ${report.tool.version}`,
    '',
    ...describeNotCarriedOut(report).map(
      (line) => `⚠️ Not carried out by ${report.engine.name}: ${escapeMarkdownCell(line)}\n`,
    ),
    `Authentication judged by ${escapeMarkdownCell(describeAuthentication(report))}.`,
    '',
    ...authenticationDisagreements(report).map((line) => `⚠️ Judge disagreed: ${escapeMarkdownCell(line)}\n`),
    ...table(['figure', 'value'], keyFigureRows(report)),
    '',
    ...campaignLines(report),
    ...classificationLines(report),
    ...confusionLines(report),
    ...decisionLines(report),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

export function keyFigureRows(report: ReportV1): string[][] {
  const { throughput, later } = report.figures;
  const rows = [
    ...messageFigureRows(report),
    ['accepted per second (run clock)', formatPrecise(throughput.acceptedPerSecond)],
  ];
  if (later !== undefined)
    rows.push([
      'complaints · async bounces',
      `${formatInteger(later.complaints)} · ${formatInteger(later.asyncBounces)}`,
    ]);
  const writers = later?.reportsReceived.dsnWriters;
  if (writers !== undefined && Object.keys(writers).length > 0)
    rows.push(['bounces read, by writer', formatCounts(writers)]);
  const formats = later?.reportsReceived.dsnFormats;
  if (formats !== undefined && Object.keys(formats).length > 0)
    rows.push(['bounces read, by format', formatCounts(formats)]);
  return rows;
}

function campaignLines(report: ReportV1): string[] {
  const rows = campaignRows(report);
  return rows.length === 0 ? [] : ['### Campaigns', '', ...table(CAMPAIGN_COLUMNS, rows), ''];
}

function classificationLines(report: ReportV1): string[] {
  const figures = report.figures.classification;
  if (figures === undefined) return ['_No classification figures in this report (saved before mailbench 0.3)._', ''];
  return [
    '### Classification',
    '',
    ...table(
      ['figure', 'value'],
      [
        ['macro-F1', formatPrecise(figures.macroF1)],
        ['action accuracy', formatShare(figures.actionAccuracy)],
        [
          'valid addresses wrongly suppressed',
          `${formatInteger(figures.validWronglySuppressed)} (${formatShare(figures.validWronglySuppressedShare)} of ${formatInteger(figures.validRefused)} refused)`,
        ],
        ['invalid addresses kept', formatInteger(figures.invalidKept)],
        [
          'disguised-policy-block recall',
          `${formatShare(figures.disguisedRecall)} of ${formatInteger(figures.disguisedAnswers)}`,
        ],
        [
          'gateway unknown users suppressed',
          `${formatShare(figures.unknownUserSuppressedShare)} of ${formatInteger(figures.gatewayUnknownUsers)}`,
        ],
      ],
    ),
    '',
  ];
}

function confusionLines(report: ReportV1): string[] {
  const cells = confusionCells(report);
  if (cells.length === 0) return ['_No paired attempts: no confusion matrix._', ''];
  const top = cells.slice(0, MARKDOWN_TOP_CELLS);
  const title =
    cells.length > top.length ? `### Top ${top.length} of ${cells.length} confusion cells` : '### Confusion cells';
  return [
    title,
    '',
    ...table(
      ['receiver truth', 'sender class', 'attempts', ''],
      top.map((cell) => [cell.cause, cell.cls, formatInteger(cell.count), cell.isRight ? '✓ right' : '✗ wrong']),
    ),
    '',
  ];
}

function decisionLines(report: ReportV1): string[] {
  const counts = decisionCounts(report);
  if (counts === null) return ['_No series in this report: decisions were not recorded (saved before mailbench 0.3)._'];
  const total = counts.Throttle + counts.Suspend + counts.Resume + counts.Policy;
  return [
    '### Decisions',
    '',
    total === 0
      ? 'The sender logged no throttle, suspend, resume or policy decision.'
      : `${formatInteger(total)} decisions: ${formatInteger(counts.Suspend)} suspend · ${formatInteger(counts.Resume)} resume · ${formatInteger(counts.Throttle)} throttle · ${formatInteger(counts.Policy)} policy`,
  ];
}

/** A GitHub-flavoured Markdown table, numbers right-aligned, every cell escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'));
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeMarkdownCell).join(' | ')} |`;
  return [line(header), `|${align.join('|')}|`, ...rows.map(line)];
}
