/**
 * A small fixed-seed sim run whose report the renderer tests read: the B2B story at 600
 * recipients (under a second), which meets several gateways, disguised refusals, suspensions
 * and policy decisions, and runs long enough for several buckets. Memoised per seed, so the
 * tests of one file share one run.
 */
import { runScenario } from '../../../../runner/run.ts';
import type { ReportV1 } from '../../../../reports/schema.ts';
import b2b from '../../../../scenarios/b2b-bogus-bounces.ts';
import { resolveScenario } from '../../../../scenarios/scenario.ts';

export const SMALL_RUN_SEED = '11';
export const SMALL_RUN_RECIPIENTS = 600;

const runs = new Map<string, Promise<ReportV1>>();

/** The run's report, memoised per seed. */
export function smallRunReport(seed = SMALL_RUN_SEED): Promise<ReportV1> {
  let run = runs.get(seed);
  if (run === undefined) {
    run = freshSmallRunReport(seed);
    runs.set(seed, run);
  }
  return run;
}

/** The same run again, from scratch: what a determinism test compares against. */
export async function freshSmallRunReport(seed = SMALL_RUN_SEED): Promise<ReportV1> {
  const scenario = resolveScenario({ ...b2b, population: { ...b2b.population, recipients: SMALL_RUN_RECIPIENTS } });
  return (await runScenario({ scenario, seed, mode: 'sim' })).report;
}
