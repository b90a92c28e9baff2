/**
 * One phase of the bench in a process of its own, so that each phase's peak memory (maxRSS)
 * is its own and no phase warms or slows another's heap. `node --import tsx bench/phase.ts
 * <phase> <options JSON>` prints one line: `{ "result": …, "maxRssMb": … }`.
 */
import type { BenchOptions, Phase } from './options.ts';

/**
 * Each phase's code is loaded only when it runs: the injection phases need autocannon, a
 * development dependency, which an installed package (`mailbench bench --engine …`) lacks.
 */
const RUNNERS: Readonly<Record<Phase, (options: BenchOptions) => Promise<unknown>>> = {
  fleet: async (options) =>
    (await import('./fleet-accept.ts')).measureFleetAccept({
      sessions: options.sessions,
      receivers: options.fleetReceivers,
      messagesToFleet: options.fleetMessages,
      messagesToSink: options.sinkMessages,
    }),
  engine: async (options) =>
    options.engine === undefined
      ? (await import('./engine-e2e.ts')).measureEngineEndToEnd({ messages: options.messages })
      : (await import('./engine-under-test.ts')).measureEngineUnderTest({
          engine: options.engine,
          messages: options.messages,
        }),
  postfix: async (options) => (await import('./postfix-e2e.ts')).measurePostfixEndToEnd({ messages: options.messages }),
  injection: async (options) =>
    (await import('./injection.ts')).measureInjection({
      seconds: options.injectionSeconds,
      connections: options.injectionConnections,
      batch: options.injectionBatch,
    }),
  'injection-latency': async (options) =>
    (await import('./injection-latency.ts')).measureInjectionLatency({
      seconds: options.injectionSeconds,
      connections: 4,
      batch: options.latencyBatch,
    }),
  sim: async (options) => (await import('./sim.ts')).measureSimRate({ scenario: options.simScenario }),
  warmup: async (options) =>
    (await import('./sim.ts')).measureWarmup({ scenario: options.warmupScenario, scale: options.warmupScale }),
};

const [phase, optionsJson] = process.argv.slice(2);
const runner =
  phase === undefined ? undefined : (RUNNERS as Record<string, (options: BenchOptions) => Promise<unknown>>)[phase];
if (runner === undefined || optionsJson === undefined) {
  process.stderr.write(`usage: node --import tsx bench/phase.ts <${Object.keys(RUNNERS).join('|')}> <options JSON>\n`);
  process.exit(2);
}
const result = await runner(JSON.parse(optionsJson) as BenchOptions);
// maxRSS is in kibibytes.
process.stdout.write(`${JSON.stringify({ result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
// Listeners and timers a phase leaves behind must not keep the phase alive.
process.exit(0);
