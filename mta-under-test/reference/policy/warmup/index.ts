/**
 * Warm-up plans and the planner that carries them out (issue 5): plans as data with cited
 * numbers, presets for SendGrid, SparkPost and SES, the day-end rule, and engaged-first ordering.
 */
export { FIRST_WEEK_STAGES, resolveLadder, validatePlan } from './plan.ts';
export type { PlanIssue, ProviderLadder, WarmupPlan } from './plan.ts';
export {
  CAUTIOUS_PROVIDERS,
  SENDGRID_HOURLY_BY_AGE,
  SES_DAYS,
  SES_FIRST_DAY_PER_DAY,
  SES_TARGET_PER_DAY,
  SPARKPOST_DAILY_BY_STAGE,
  WARMUP_PRESETS,
  geometricLadder,
  sendgrid,
  ses,
  sparkpost,
} from './presets.ts';
export {
  BLOCK_CLASSES,
  DEFAULT_WARMUP_THRESHOLDS,
  decideDay,
  describeDayFigures,
  emptyDayFigures,
} from './day-figures.ts';
export type { DayDecision, DayDecisionKind, DayFigures, WarmupThresholds } from './day-figures.ts';
export { ANY_POOL, WarmupPlanner } from './planner.ts';
export type { Allowance, WarmingSource, WarmupPlannerOptions } from './planner.ts';
export { engagedFirst } from './engaged-first.ts';
export type { EngagedFirstOptions, EngagementOf } from './engaged-first.ts';
export { RoundRobin } from './rotation.ts';
