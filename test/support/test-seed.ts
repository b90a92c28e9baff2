/**
 * The one seed of every seeded test: `MAILBENCH_TEST_SEED` when set, else the test's default.
 * Property, fuzz and model tests pass it to fast-check; scenario tests to the run. Whatever a
 * test uses, the failure printer (test/support/print-seed.ts) names the variable and its value
 * under any failing test, so a failure is replayed with
 * `MAILBENCH_TEST_SEED=<value> npx vitest run <file>`.
 */
export const SEED_VARIABLE = 'MAILBENCH_TEST_SEED';

/** The default when no seed is given: one date-like number for every property test. */
export const DEFAULT_TEST_SEED = 20_261_201;

/** The seed as a number (fast-check); the test's own default when the variable is unset. */
export function testSeed(defaultSeed: number = DEFAULT_TEST_SEED): number {
  const given = process.env[SEED_VARIABLE];
  if (given === undefined || given === '') return defaultSeed;
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${SEED_VARIABLE} must be an integer (got "${given}")`);
  return seed;
}

/** The seed as a scenario seed (a string), for tests that run a scenario. */
export function scenarioSeed(defaultSeed: string): string {
  const given = process.env[SEED_VARIABLE];
  return given === undefined || given === '' ? defaultSeed : given;
}
