import { defineConfig } from 'vitest/config';

// Scenario runs take seconds, more on a busy CI machine: a generous bound, never a measurement.
export default defineConfig({ test: { testTimeout: 300_000 } });
