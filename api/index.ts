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
export type { RunOptions, ScenarioSource } from './run.ts';
export { defineScenario, resolveScenario, SCENARIO_LIBRARY, ScenarioError } from '../scenarios/index.ts';
export type {
  ExpectationInput,
  ResolvedScenario,
  ScenarioInput,
  ScenarioIssue,
  ThresholdOperator,
} from '../scenarios/index.ts';
export { isMetricName, METRIC_NAMES, MetricError, METRICS, readMetric, receiversOf } from '../reports/index.ts';
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
