import { defineConfig } from 'vitest/config';

// Three projects, laid out by cost and run one after the other (sequence.groupOrder):
// - unit, property and model tests are CPU-bound, fast and independent: they use both cores
//   (vitest's default on a 2-core machine is one worker, availableParallelism - 1, which left a
//   core idle);
// - scenario tests run whole library scenarios in sim mode (10-25 s each on a quiet 2-core
//   machine): both cores, files in parallel, and a timeout ten times the quiet time, so that they
//   hold while another process keeps both cores busy;
// - wire-mode integration tests open real SMTP listeners on loopback on a scaled clock: they
//   measure nothing by time, but they run one file at a time, last, so no CPU-bound file competes
//   with their clock, with generous timeouts.
// Every project prints the seed under a failing test (test/support/print-seed.ts).
const setupFiles = ['test/support/print-seed.ts'];

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
          name: 'scenario',
          include: ['test/scenario/**/*.test.ts'],
          setupFiles,
          testTimeout: 300_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
