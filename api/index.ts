/**
 * mailbench as a library: run a scenario from a program or a test and read its report.
 *
 *     import { run, defineScenario, readMetric } from 'mailbench';
 *     const report = await run('smoke', { seed: '7' });
 *     readMetric(report, 'deferralRate', 'gmail');
 *
 * The vitest matchers live in `mailbench/vitest`, so a program that only runs scenarios does
 * not load vitest.
 */
export { run } from './run.ts';
export type { Engine, RunOptions, ScenarioSource } from './run.ts';
export { defineScenario, resolveScenario, SCENARIO_LIBRARY, ScenarioError } from '../scenarios/index.ts';
export type {
  ExpectationInput,
  ResolvedScenario,
  ScenarioInput,
  ScenarioIssue,
  ThresholdOperator,
} from '../scenarios/index.ts';
export {
  isMetricName,
  METRIC_NAMES,
  MetricError,
  METRICS,
  metricValue,
  readMetric,
  receiversOf,
} from '../reports/index.ts';
export type {
  Figures,
  MetricDefinition,
  MetricName,
  MetricUnit,
  Outcome,
  ReportV1,
  RunMode,
} from '../reports/index.ts';
export type { EngineChoice, RunProgress } from '../runner/index.ts';

// Bring your own sender (README "Test your own sender"): the engines a run can drive.
export { postfix, reference, referenceProcess, smtpRelay } from '../runner/index.ts';
export type {
  EngineEnvironment,
  EngineSpec,
  MtaEngineSpec,
  PostfixOptions,
  ReferenceEngineSpec,
  ReferenceOptions,
  SmtpRelayEngineOptions,
} from '../runner/index.ts';
export { relayCommand } from '../mta-under-test/index.ts';
export type { PreparedRelay, RelayCommandOptions } from '../mta-under-test/index.ts';

// The contract every sender is driven through, and the records it reports.
export type {
  AccountingRecord,
  AccountingRecordType,
  AsyncBounceRecord,
  AttemptRecord,
  DecisionRecord,
  EgressIdentity,
  LoopbackRoute,
  MtaCapability,
  MtaEnvironment,
  MtaMessage,
  MtaUnderTest,
  PauseRequest,
  ReturnMailListener,
} from '../mta-under-test/index.ts';

// The reference engine's send policy: the extension point and its built-in building blocks.
export {
  AdaptiveThrottle,
  basicJudgement,
  basicPolicy,
  BogusBounceDetector,
  classifyNetworkError,
  classifyReply,
  DEFAULT_HOOK_DEADLINE_MS,
  GATEWAY_FAMILIES,
  PolicyHookError,
  referencePolicy,
  WARMUP_PRESETS,
  warmupAndGrid,
} from '../mta-under-test/index.ts';
export type {
  AdaptiveThrottleOptions,
  AttemptContext,
  BogusBounceOptions,
  DecisionEmitter,
  Judgement,
  PolicyComponent,
  PolicyHook,
  PolicyPath,
  ReferencePolicy,
  ReferencePolicyOptions,
  ReplyContext,
  RetryPolicy,
  SendPolicy,
  ShapingConfig,
  ShapingConfigInput,
  SourceChoice,
  SourceRequest,
  SuspensionRequest,
  Verdict,
} from '../mta-under-test/index.ts';
export { MailbenchError } from '../kernel/index.ts';
export type {
  Action,
  Cause,
  Class,
  EpochMs,
  ErrorCode,
  RecipientOutcome,
  SmtpReply,
  SmtpStage,
} from '../kernel/index.ts';
