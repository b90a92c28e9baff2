import { defineConfig } from 'vitest/config';

// Two projects, run one after the other (sequence.groupOrder):
// - unit, property and model tests are CPU-bound and independent: they use both cores (vitest's
//   default on a 2-core machine is one worker, availableParallelism - 1, which left a core idle);
// - wire-mode integration tests open real SMTP listeners on loopback on a scaled clock: they
//   measure nothing by time, but they run one file at a time, after the unit group, so no
//   CPU-bound file competes with their clock, with generous timeouts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts', 'test/model/**/*.test.ts'],
          testTimeout: 30_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
