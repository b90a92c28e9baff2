/**
 * The human summary of an audit: a pure function of the saved report (STYLE §0.8), so
 * `audit.json` can be summarised again without re-running the audit.
 */
import { CHECK_IDS } from './report.ts';
import type { AuditReport } from './report.ts';

/** How many example addresses the summary shows per drop reason. */
const EXAMPLES_PER_CHECK = 3;

/** A dozen lines: totals, kept and dropped, and per check the count found, dropped and examples. */
export function renderAuditSummary(report: AuditReport): string {
  const { totals, config } = report;
  const lines = [
    `list audit: ${count(totals.entries)} entries, ${count(totals.unique)} distinct (${count(totals.duplicatesRemoved)} duplicate${totals.duplicatesRemoved === 1 ? '' : 's'} merged)`,
    `kept ${count(totals.kept)} · dropped ${count(totals.dropped)}   (roles: ${config.roles}; MX ${config.mxChecked ? 'checked' : 'not checked'}; ${count(config.suppressions)} suppressions; ${count(config.knownUnknowns)} known unknowns)`,
    '',
    'check             found  dropped  e.g.',
  ];
  for (const check of CHECK_IDS) {
    const flagged = report.findingsByCheck[check];
    const dropped = report.droppedByCheck[check];
    if (flagged === 0 && dropped === 0) continue;
    lines.push(
      `${check.padEnd(15)} ${count(flagged).padStart(7)}  ${count(dropped).padStart(7)}  ${examples(report, check)}`,
    );
  }
  if (lines.length === 4) lines.push('(no findings)');
  return lines.join('\n');
}

function examples(report: AuditReport, check: string): string {
  const shown: string[] = [];
  for (const audit of report.addresses) {
    if (shown.length === EXAMPLES_PER_CHECK) break;
    const finding = audit.findings.find((candidate) => candidate.check === check);
    if (finding === undefined) continue;
    const name = audit.address ?? JSON.stringify(audit.input);
    shown.push(finding.suggestion === undefined ? name : `${name} → ${finding.suggestion}`);
  }
  return shown.join(', ');
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
