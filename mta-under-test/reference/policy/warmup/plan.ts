/**
 * A warm-up plan as an object (research/engines.md §9.2 item 5): how many messages one new
 * source IP may send per day to each provider, stage by stage. A plan has a default ladder and,
 * per provider, either its own ladder or an adjustment of the default one (a multiplier, a cap on
 * the first week), because receivers do not treat new IPs alike (facts/isp-behaviors.md §4).
 *
 * Every number in a plan names where it comes from (`citation`), or says `@assumption` and why
 * (DESIGN rule 4). Plans are data; `resolveLadder` turns one into the numbers a planner uses.
 */

/** How a plan treats one provider differently from its default ladder. */
export interface ProviderLadder {
  /** Replaces the default ladder for this provider (messages per day, stage 1 first). */
  readonly ladder?: readonly number[];
  /** Scales every stage of the default ladder (rounded down, at least 1). @defaultValue 1 */
  readonly multiplier?: number;
  /** Caps the first week's stages (stages 1–7) at this many messages per day. */
  readonly firstWeekMaxPerDay?: number;
  /** Where the numbers come from, or `@assumption: why`. */
  readonly citation: string;
}

export interface WarmupPlan {
  readonly name: string;
  readonly description: string;
  /** Messages per source IP per day, stage 1 first. The stage after the last one is "complete": no cap. */
  readonly ladder: readonly number[];
  /** Where the default ladder comes from. */
  readonly citation: string;
  /** Per provider block name (`gmail`, `outlook` …, the engine's shaping providers): its ladder. */
  readonly providers: Readonly<Record<string, ProviderLadder>>;
  /**
   * What a stage's allowance counts over. `day`: the daily target, paced over the hours left in
   * the day (SparkPost's daily stages). `hour`: the daily target ÷ 24 in each hour of the
   * warm-up, paced evenly, with mail past the hour's cap going elsewhere (SendGrid: "any mail
   * beyond the hourly automatic warmup limit will overflow to your existing IPs").
   * @defaultValue 'day'
   */
  readonly allowancePeriod?: AllowancePeriod;
}

export type AllowancePeriod = 'day' | 'hour';

/** The stages a first-week cap applies to: stages 1–7, the "week one" of SparkPost's guidance. */
export const FIRST_WEEK_STAGES = 7;

/** The ladder a plan gives one provider (`null`: a destination no provider block matched). */
export function resolveLadder(plan: WarmupPlan, provider: string | null): readonly number[] {
  const adjustment = provider === null ? undefined : plan.providers[provider];
  if (adjustment === undefined) return plan.ladder;
  const base = adjustment.ladder ?? plan.ladder;
  const multiplier = adjustment.multiplier ?? 1;
  return base.map((perDay, index) => {
    const scaled = Math.max(1, Math.floor(perDay * multiplier));
    const capped =
      adjustment.firstWeekMaxPerDay !== undefined && index < FIRST_WEEK_STAGES
        ? Math.min(scaled, adjustment.firstWeekMaxPerDay)
        : scaled;
    return Math.max(1, capped);
  });
}

/** One problem in a plan, with its path. */
export interface PlanIssue {
  readonly path: string;
  readonly message: string;
}

function ladderIssues(ladder: readonly number[], path: string): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (ladder.length === 0) issues.push({ path, message: 'a ladder needs at least one stage' });
  ladder.forEach((perDay, index) => {
    if (!(Number.isSafeInteger(perDay) && perDay >= 1))
      issues.push({ path: `${path}[${index}]`, message: `must be a whole number of messages ≥ 1 (got ${perDay})` });
  });
  return issues;
}

/** Every problem of a plan; empty when it is usable. */
export function validatePlan(plan: WarmupPlan): PlanIssue[] {
  const issues = ladderIssues(plan.ladder, 'ladder');
  const period: string = plan.allowancePeriod ?? 'day';
  if (period !== 'day' && period !== 'hour')
    issues.push({ path: 'allowancePeriod', message: `must be 'day' or 'hour' (got ${JSON.stringify(period)})` });
  for (const [provider, adjustment] of Object.entries(plan.providers)) {
    const path = `providers.${provider}`;
    if (adjustment.ladder !== undefined) issues.push(...ladderIssues(adjustment.ladder, `${path}.ladder`));
    const multiplier = adjustment.multiplier ?? 1;
    if (!(Number.isFinite(multiplier) && multiplier > 0))
      issues.push({ path: `${path}.multiplier`, message: `must be a number > 0 (got ${multiplier})` });
    const cap = adjustment.firstWeekMaxPerDay;
    if (cap !== undefined && !(Number.isSafeInteger(cap) && cap >= 1))
      issues.push({ path: `${path}.firstWeekMaxPerDay`, message: `must be a whole number ≥ 1 (got ${cap})` });
    if (adjustment.citation.trim() === '')
      issues.push({ path: `${path}.citation`, message: 'every number needs a source or an @assumption' });
  }
  return issues;
}
