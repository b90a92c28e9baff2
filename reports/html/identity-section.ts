/**
 * The page's head: the outcome first (what a reader looks for), then the run's identity, the
 * seed and setup that reproduce it (STYLE §0 item 4: the seed is part of every report).
 */
import { escapeHtml, formatClock, formatDecimal } from '../format.ts';
import {
  authenticationDisagreements,
  describeAuthentication,
  describeEngine,
  describeNotCarriedOut,
  describeOutcome,
  runHours,
} from '../report-view.ts';
import type { ReportV1 } from '../schema.ts';

export function identitySection(report: ReportV1): string {
  const status = report.outcome.status;
  const scenario = report.scenario;
  // Reports from before virtual MTAs name one sending IP only.
  const saved: ReportV1['scenario']['sender']['sources'] | undefined = scenario.sender.sources;
  const sources =
    saved === undefined
      ? scenario.sender.sourceIp
      : saved.map((source) => `${source.name} ${source.sourceIp}`).join(', ');
  const rows: [string, string][] = [
    ['Scenario', scenario.name],
    ['Seed', report.seed],
    ['Mode', report.mode],
    ['Authentication judged by', describeAuthentication(report)],
    ['Engine', describeEngine(report)],
    ['Sending IPs', sources],
    ['Recipients', String(scenario.population.recipients)],
    [
      'Run clock',
      `${formatClock(report.clock.startMs)} → ${formatClock(report.clock.endMs)} (${formatDecimal(runHours(report))} h${report.mode === 'sim' ? ', simulated' : ''})`,
    ],
    ['Tool', `${report.tool.name} ${report.tool.version}, report schema v${report.schemaVersion}`],
  ];
  if (report.engine.capabilities !== undefined)
    rows.splice(4, 0, ['Engine can', report.engine.capabilities.join(', ')]);
  // Where the judge and mailauth disagreed: the run's authentication verdicts are in doubt.
  for (const line of authenticationDisagreements(report)) rows.splice(3, 0, ['Judge disagreed', line]);
  // What the engine could not do of the timeline: the scenario did not mean the same for it.
  for (const line of describeNotCarriedOut(report)) rows.splice(5, 0, ['Not carried out', line]);
  return `<header>
<h1>mailbench report: ${escapeHtml(scenario.name)}</h1>
<p>Outcome: <span class="outcome outcome-${escapeHtml(status)}">${escapeHtml(describeOutcome(report))}</span></p>
${scenario.story === undefined ? '' : `<p class="muted">${escapeHtml(scenario.story)}</p>`}
<dl class="identity">
${rows.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}
</dl>
</header>`;
}
