/**
 * scenarios/: what a scenario is (its schema, timeline and validation) and the library of named
 * scenarios. The only way into it from outside (lint holds other folders to this file).
 */

export { failedExpectations, THRESHOLD_OPERATORS, thresholdHolds } from './expectations.ts';
export type { ExpectationInput, ThresholdOperator } from './expectations.ts';
export { isScenarioFile, loadScenarioFile } from './file.ts';
export { findScenario, SCENARIO_LIBRARY } from './library.ts';
export { renderPlan } from './plan-render.ts';
export { expandPlan, plannedVolume } from './plan.ts';
export { defineScenario, resolveScenario, ScenarioError } from './scenario.ts';
export type { ResolvedScenario, RunLimitsInput, ScenarioInput, ScenarioIssue } from './scenario.ts';
export type { ResolvedTrapInjection, Segment } from './timeline.ts';
