/**
 * A vitest `setupFiles` entry: under every failing test, the seed variable and the value this
 * run used, so that any seeded failure can be replayed (test/support/test-seed.ts).
 */
import { beforeEach, onTestFailed } from 'vitest';
import { DEFAULT_TEST_SEED, SEED_VARIABLE } from './test-seed.ts';

beforeEach(() => {
  onTestFailed(({ task }) => {
    const given = process.env[SEED_VARIABLE];
    const seed =
      given === undefined || given === ''
        ? `unset (each test's default; property tests use ${DEFAULT_TEST_SEED})`
        : given;
    console.error(
      `${task.name}: failed with ${SEED_VARIABLE} ${seed}; replay with ${SEED_VARIABLE}=<seed> npx vitest run ${task.file?.name ?? ''}`,
    );
  });
});
