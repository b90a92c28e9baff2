/**
 * The short text summary `mailbench run` prints: a pure function of the saved report (and,
 * when there is one, the wall-clock timing), like autocannon's printResult.
 */
import { describeOutcome } from './report-view.ts';
import type { ReportV1, WallTiming } from './schema.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function renderSummary(report: ReportV1, timing?: WallTiming): string {
  const { messages, throughput, attempts } = report.figures;
  const lines = [
    `mailbench ${report.tool.version} · scenario ${report.scenario.name} · mode ${report.mode} · seed ${report.seed} · engine ${report.engine.name} ${report.engine.version}`,
    `outcome: ${describeOutcome(report)}`,
    `messages: ${integer.format(messages.injected)} injected, ${integer.format(messages.delivered)} delivered, ${integer.format(messages.bounced)} bounced, ${integer.format(messages.expired)} expired, ${integer.format(messages.inFlight)} in flight`,
    `attempts: ${integer.format(attempts.total)} (${integer.format(attempts.truthWithoutAttempt)} truth records unpaired, ${integer.format(attempts.attemptsWithoutTruth)} attempts without truth${attempts.unreportedAnswers === undefined ? '' : `, ${integer.format(attempts.unreportedAnswers)} answers unreported by an outcomes-only sender`})`,
    `run clock: ${decimal.format((report.clock.endMs - report.clock.startMs) / 3_600_000)} h · ${decimal.format(throughput.acceptedPerSecond)} accepted/s · ${decimal.format(throughput.simulatedPerSecond)} attempts/s`,
  ];
  if (timing !== undefined) {
    lines.push(
      `wall clock: ${decimal.format(timing.wallMs / 1000)} s · ${integer.format(timing.acceptedPerWallSecond)} accepted/s · ${integer.format(timing.attemptsPerWallSecond)} attempts/s`,
    );
  }
  lines.push('', ...renderTopCells(report));
  return lines.join('\n');
}

/** The non-empty confusion cells, largest first: what the receivers meant vs what the sender said. */
function renderTopCells(report: ReportV1): string[] {
  const cells: { cause: string; cls: string; count: number }[] = [];
  for (const [cause, row] of Object.entries(report.figures.confusion)) {
    for (const [cls, count] of Object.entries(row))
      if (count !== undefined && count > 0) cells.push({ cause, cls, count });
  }
  cells.sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause) || a.cls.localeCompare(b.cls));
  if (cells.length === 0) return ['confusion: no paired attempts'];
  const width = Math.max(...cells.map((cell) => cell.cause.length));
  return [
    'receiver truth → sender class',
    ...cells.map(
      (cell) => `  ${cell.cause.padEnd(width)} → ${cell.cls.padEnd(24)} ${integer.format(cell.count).padStart(9)}`,
    ),
  ];
}
