/**
 * One phase of the bench in a process of its own, so that each phase's peak memory (maxRSS)
 * is its own and no phase warms or slows another's heap. `node --import tsx bench/phase.ts
 * <phase> <options JSON>` prints one line: `{ "result": …, "maxRssMb": … }`.
 */
import { measureEngineEndToEnd } from './engine-e2e.ts';
import { measureEngineUnderTest } from './engine-under-test.ts';
import { measureFleetAccept } from './fleet-accept.ts';
import { measureInjection } from './injection.ts';
import { measureInjectionLatency } from './injection-latency.ts';
import type { BenchOptions, Phase } from './options.ts';
import { measurePostfixEndToEnd } from './postfix-e2e.ts';
import { measureSimRate, measureWarmup } from './sim.ts';

const RUNNERS: Readonly<Record<Phase, (options: BenchOptions) => Promise<unknown>>> = {
  fleet: (options) =>
    measureFleetAccept({
      sessions: options.sessions,
      receivers: options.fleetReceivers,
      messagesToFleet: options.fleetMessages,
      messagesToSink: options.sinkMessages,
    }),
  engine: (options) =>
    options.engine === undefined
      ? measureEngineEndToEnd({ messages: options.messages })
      : measureEngineUnderTest({ engine: options.engine, messages: options.messages }),
  postfix: (options) => measurePostfixEndToEnd({ messages: options.messages }),
  injection: (options) =>
    measureInjection({
      seconds: options.injectionSeconds,
      connections: options.injectionConnections,
      batch: options.injectionBatch,
    }),
  'injection-latency': (options) =>
    measureInjectionLatency({ seconds: options.injectionSeconds, connections: 4, batch: options.latencyBatch }),
  sim: (options) => measureSimRate({ scenario: options.simScenario }),
  warmup: (options) => measureWarmup({ scenario: options.warmupScenario, scale: options.warmupScale }),
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
