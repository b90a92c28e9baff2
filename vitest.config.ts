import { defineConfig } from 'vitest/config';

// Six projects, laid out by cost and run in four groups, one group after the other
// (sequence.groupOrder); the projects of a group run side by side:
// - group 0, unit, property and model tests (CPU-bound, fast, independent) beside the CLI
//   tests that run the bin on sim runs, files and reports (processes that start and end, no
//   listener on a scaled clock): both cores (vitest's default on a 2-core machine is one worker,
//   availableParallelism - 1, which left a core idle);
// - group 1, scenario tests (whole library scenarios in sim mode, 10-25 s each on a quiet 2-core
//   machine) beside the worked examples run from a packed install (mostly waiting on npm and on
//   Postfix over loopback, which every wire test must bear on a busy machine anyway); timeouts
//   ten times the quiet time;
// - group 2, the wire-mode integration tests: real SMTP listeners on loopback, mostly waiting on
//   sockets and child processes, two files at a time (a neighbour file is no more load than the
//   busy machine every test must bear);
// - group 3, last and alone, the wire runs that must reach a receiver's limit on a scaled clock:
//   they need the sender's full speed (run-wire's comment says why), and the memory test
//   measures its own process's growth.
// Every project prints the seed under a failing test (test/support/print-seed.ts).
const setupFiles = ['test/support/print-seed.ts'];

/** CLI tests with no wire run: the bin on sim runs, files, reports and bad input. */
const cliTests = [
  'test/integration/accounting-cli.test.ts',
  'test/integration/audit-cli.test.ts',
  'test/integration/bounces-cli.test.ts',
  'test/integration/classify-cli.test.ts',
  'test/integration/cli.test.ts',
  'test/integration/cli-bad-input.test.ts',
  'test/integration/engine-module-cli.test.ts',
  'test/integration/plan-and-thresholds-cli.test.ts',
  'test/integration/report-cli.test.ts',
  'test/integration/scenario-file-cli.test.ts',
];
const outsideTests = ['test/integration/examples-outside.test.ts'];
/** Wire runs that need the whole machine: alone, last. */
const soloTests = [
  'test/integration/run-wire.test.ts',
  'test/integration/run-wire-library.test.ts',
  'test/integration/engine-durability.test.ts',
];
/**
 * The projects of a group share its workers (vitest requires one maxWorkers per group): two
 * for the CPU-bound scenarios, one more for the packed examples, which mostly wait.
 */
const GROUP_1_WORKERS = 3;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts', 'test/model/**/*.test.ts'],
          setupFiles,
          testTimeout: 30_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'cli',
          include: cliTests,
          setupFiles,
          testTimeout: 120_000,
          // Their beforeAll hooks run whole scenarios through the bin, beside the unit tests.
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'scenario',
          include: ['test/scenario/**/*.test.ts'],
          setupFiles,
          testTimeout: 300_000,
          maxWorkers: GROUP_1_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'outside',
          include: outsideTests,
          setupFiles,
          testTimeout: 600_000,
          hookTimeout: 300_000,
          maxWorkers: GROUP_1_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: [...cliTests, ...outsideTests, ...soloTests],
          setupFiles,
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'wire-solo',
          include: soloTests,
          setupFiles,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
