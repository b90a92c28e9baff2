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
export { defineScenario, resolveScenario, ScenarioError } from '../scenarios/scenario.ts';
export type { ScenarioInput, ResolvedScenario, ScenarioIssue } from '../scenarios/scenario.ts';
export type { ExpectationInput, ThresholdOperator } from '../scenarios/expectations.ts';
export { SCENARIO_LIBRARY } from '../scenarios/library.ts';
export { METRICS, METRIC_NAMES, MetricError, isMetricName, readMetric, receiversOf } from '../reports/metrics.ts';
export type { MetricDefinition, MetricName, MetricUnit } from '../reports/metrics.ts';
export type { Figures, Outcome, ReportV1, RunMode } from '../reports/schema.ts';
export type { EngineChoice, RunProgress } from '../runner/run.ts';
