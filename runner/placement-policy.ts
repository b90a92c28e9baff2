/**
 * The scenario's warm-up plan and grid as the reference engine's placement hooks: which source
 * takes a delivery, under which daily cap per source × provider. Both policies get them (the
 * generic policy warms IPs too; what it lacks is judgment about replies), so plan A vs plan B
 * and reference vs generic compare one thing at a time.
 */
import {
  ANY_POOL,
  basicJudgement,
  composeComponents,
  guardPolicy,
  referencePolicy,
  WARMUP_PRESETS,
  warmupAndGrid,
} from '../mta-under-test/index.ts';
import type { EgressSource, SendPolicy, WarmupAndGrid, WarmupPlan } from '../mta-under-test/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import type { EpochMs } from '../kernel/index.ts';
import type { EngineChoice, ReferenceEngineSpec } from './engine-spec.ts';

/** The warm-up planner and grid governor of a scenario, or undefined when it has neither. */
export function placementOf(scenario: ResolvedScenario, startMs: EpochMs): WarmupAndGrid | undefined {
  const { sender } = scenario;
  if (sender.warmup === null && sender.grid === null) return undefined;
  const byName = new Map(sender.sources.map((source) => [source.name, source] as const));
  const sourcesOf = (names: readonly string[]): EgressSource[] => names.flatMap((name) => byName.get(name) ?? []);
  const poolOf = (pool: string): { pool: string; sources: EgressSource[] } => ({
    pool,
    sources: sourcesOf((sender.pools[pool] ?? []).map((member) => member.source)),
  });
  const warmup = sender.warmup;
  const grid = sender.grid;
  return warmupAndGrid({
    ...(warmup === null
      ? {}
      : {
          warmup: {
            plan: scaledPlan(WARMUP_PRESETS[warmup.plan], scenario.scale),
            sources: warmup.sources.map((source) => ({ source, startedAtMs: startMs, startStage: warmup.startStage })),
            ...(warmup.overflow.length === 0 ? {} : { overflow: { [ANY_POOL]: sourcesOf(warmup.overflow) } }),
          },
        }),
    ...(grid === null
      ? {}
      : {
          grid: {
            grid: poolOf(grid.pool),
            tenants: Object.fromEntries(Object.entries(grid.tenants).map(([tenant, pool]) => [tenant, poolOf(pool)])),
            initialMembers: grid.initialMembers,
          },
        }),
  });
}

/**
 * A plan for a run at a fraction of its volume: every daily figure scaled alike (at least 1),
 * so a run at scale 0.01 meets its caps on the same days as the full run would.
 */
export function scaledPlan(plan: WarmupPlan, scale: number): WarmupPlan {
  if (scale === 1) return plan;
  const scaleLadder = (ladder: readonly number[]): number[] =>
    ladder.map((perDay) => Math.max(1, Math.round(perDay * scale)));
  return {
    ...plan,
    name: `${plan.name} ×${scale}`,
    ladder: scaleLadder(plan.ladder),
    providers: Object.fromEntries(
      Object.entries(plan.providers).map(([provider, adjustment]) => [
        provider,
        {
          ...adjustment,
          ...(adjustment.ladder === undefined ? {} : { ladder: scaleLadder(adjustment.ladder) }),
          ...(adjustment.firstWeekMaxPerDay === undefined
            ? {}
            : { firstWeekMaxPerDay: Math.max(1, Math.round(adjustment.firstWeekMaxPerDay * scale)) }),
        },
      ]),
    ),
  };
}

/**
 * The engine's policy for a run: the reference judgment, the generic one, or the user's (guarded,
 * policy-guard.ts), each with the scenario's placement. The warm-up plan and grid are the
 * operator's configuration, not the policy's judgment, so a user's policy gets them too.
 */
export function policyFor(
  engine: EngineChoice | ReferenceEngineSpec,
  placement: WarmupAndGrid | undefined,
): SendPolicy {
  if (engine === 'reference') return referencePolicy(placement === undefined ? {} : { extras: [placement] });
  if (engine === 'generic')
    return placement === undefined ? { judge: basicJudgement } : { judge: basicJudgement, ...placement };
  const name = `policy "${engine.policyName}"`;
  return withPlacement(guardPolicy(engine.policy(), { ...engine.guard, name }), placement);
}

/**
 * A policy with the scenario's placement beside it, composed as the reference policy composes
 * its parts (composeComponents): both are attached and observe every record, the lower rate cap
 * holds, the policy's own source choice goes first. Judging (judge, judgeAsyncBounce) stays the
 * policy's alone.
 */
export function withPlacement(policy: SendPolicy, placement: WarmupAndGrid | undefined): SendPolicy {
  if (placement === undefined) return policy;
  const composed: SendPolicy = {
    ...composeComponents([policy, placement]),
    judge: (outcome, context) => policy.judge(outcome, context),
  };
  return policy.judgeAsyncBounce === undefined
    ? composed
    : {
        ...composed,
        judgeAsyncBounce: (record) => policy.judgeAsyncBounce?.(record) ?? { suppress: record.action === 'suppress' },
      };
}
