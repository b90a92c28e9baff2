/** Runs a built-in scenario in sim mode at its own scale with seed 1, as `mailbench run <name>` does. */
import { runScenario } from '../../../runner/run.ts';
import type { ReportV1 } from '../../../reports/schema.ts';
import { findScenario } from '../../../scenarios/library.ts';
import { resolveScenario } from '../../../scenarios/scenario.ts';

export async function runLibraryScenario(name: string, seed = '1'): Promise<ReportV1> {
  const input = findScenario(name);
  if (input === undefined) throw new Error(`no built-in scenario ${name}`);
  const { report } = await runScenario({ scenario: resolveScenario(input), seed, mode: 'sim' });
  return report;
}

export function campaign(report: ReportV1, name: string): NonNullable<ReportV1['figures']['campaigns']>[number] {
  const found = report.figures.campaigns?.find((each) => each.campaign === name);
  if (found === undefined) throw new Error(`no campaign ${name} in ${report.scenario.name}`);
  return found;
}
