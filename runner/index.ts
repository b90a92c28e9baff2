/**
 * runner/: what runs a scenario against an engine, in sim or wire mode, and writes its report.
 * The only way into it from outside (lint holds other folders to this file).
 */

export { engineBench, exited, injectBatch } from './engine-process.ts';
export { buildMessage } from './message.ts';
export { runScenarioWithMta } from './mta-run.ts';
export type { MtaRunRequest } from './mta-run.ts';
export { listReceivers, renderReceivers } from './receiver-listing.ts';
export { DEFAULT_SEED, runScenario, TOOL_VERSION } from './run.ts';
export type { ReferenceEngine, RunProgress, RunResult, SimWork } from './run.ts';
export { checkEngineMode, ENGINE_CHOICES, engineSpecOf, EXTERNAL_MTA_NAMES, modesOf } from './engine-spec.ts';
export type {
  EngineChoice,
  EngineEnvironment,
  EngineSpec,
  MtaEngineSpec,
  ReferenceEngineSpec,
  RunClock,
} from './engine-spec.ts';
export { builtInEngine, postfix, reference, referenceProcess, smtpRelay } from './engines.ts';
export type { PostfixOptions, ReferenceOptions, SmtpRelayEngineOptions } from './engines.ts';
export { isEngineModulePath, loadEngineModule } from './engine-module.ts';
export { runWithEngine } from './run-engine.ts';
export type { EngineRunRequest } from './run-engine.ts';
export { startServing } from './serve.ts';
export type { Serving } from './serve.ts';
export { buildWorld } from './world.ts';
export type { World } from './world.ts';
