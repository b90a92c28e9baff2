import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../../kernel/clock/clock.ts';
import { ratePer, readRate } from '../../../kernel/clock/rate.ts';
import { expandPlan, plannedVolume } from '../../../scenarios/plan.ts';
import { renderPlan } from '../../../scenarios/plan-render.ts';
import { ScenarioError, resolveScenario } from '../../../scenarios/scenario.ts';
import type { ScenarioInput } from '../../../scenarios/scenario.ts';
import type { TimelineEventInput } from '../../../scenarios/timeline.ts';

const base: ScenarioInput = { name: 'timeline-test', population: { recipients: 1_000 } };

function withTimeline(timeline: readonly unknown[], extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return { ...base, ...extra, timeline: timeline as TimelineEventInput[] };
}

function issuesOf(input: ScenarioInput): { path: string; message: string }[] {
  try {
    resolveScenario(input);
  } catch (error) {
    if (error instanceof ScenarioError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the scenario to be refused');
}

describe('human rates', () => {
  it('reads counts per unit, thousands separators and multi-unit periods', () => {
    const read = (text: string): number => {
      const rate = readRate(text);
      if (!rate.ok) throw new Error(rate.message);
      return ratePer(rate.value, HOUR_MS);
    };
    expect(read('3/m')).toBe(180);
    expect(read('2000/h')).toBe(2000);
    expect(read('1,000,000/d')).toBeCloseTo(41_666.67, 1);
    expect(read('50 per hour')).toBe(50);
    expect(read('100/5m')).toBe(1200);
  });

  it('names what is wrong with a bad rate', () => {
    const bad = readRate('12/fortnight');
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).toContain("unknown unit 'fortnight'");
    expect(readRate('fast').ok).toBe(false);
  });
});

describe('timeline resolution', () => {
  it('lists every problem with its path and reason', () => {
    const issues = issuesOf(
      withTimeline([
        { kind: 'launch', at: '1d' },
        { kind: 'campaign', at: '1 fortnight', colour: 'red' },
        { kind: 'ramp', from: '2d', to: '1d', start: 'lots', end: '10/d' },
        { kind: 'campaign', at: '0d', volume: 10, rate: '5/h', over: '1h' },
        { kind: 'outage', at: '1d', for: '2h', receiver: 'hotmail-classic' },
        { kind: 'campaign', at: '0d', tenant: 'nobody' },
        { kind: 'spike', at: '1d', factor: 0 },
      ]),
    );
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath['timeline[0].kind']).toMatch(/must be one of campaign, ramp, spike/);
    expect(byPath['timeline[1].at']).toMatch(/unknown unit 'fortnight'/);
    expect(byPath['timeline[1].colour']).toMatch(/unknown key 'colour' for a campaign \(known: kind, name, at/);
    expect(byPath['timeline[2].to']).toMatch(/must not be before from/);
    expect(byPath['timeline[2].start']).toMatch(/bad rate 'lots'/);
    expect(byPath['timeline[3].rate']).toMatch(/either 'over' or 'rate'/);
    expect(byPath['timeline[4].receiver']).toMatch(/unknown receiver "hotmail-classic" \(known: gmail, outlook/);
    expect(byPath['timeline[5].tenant']).toMatch(/unknown tenant "nobody"/);
    expect(byPath['timeline[6].factor']).toMatch(/more than 0/);
  });

  it('unrolls a geometric ramp day by day from its start to its end volume', () => {
    const scenario = resolveScenario(
      withTimeline([{ kind: 'ramp', from: '0d', to: '4d', start: '100/d', end: '1600/d' }]),
    );
    const sends = expandPlan(scenario).sends;
    expect(sends.map((send) => send.volume)).toEqual([100, 200, 400, 800, 1600]);
    expect(sends.map((send) => send.atMs / DAY_MS)).toEqual([0, 1, 2, 3, 4]);
    expect(sends.every((send) => send.overMs === 12 * HOUR_MS)).toBe(true);
  });

  it('multiplies the sends inside a spike and moves the sends inside a pause to its end', () => {
    const scenario = resolveScenario(
      withTimeline([
        { kind: 'ramp', from: '0d', to: '3d', start: '100/d', end: '100/d', growth: 'linear' },
        { kind: 'spike', at: '1d', factor: 10 },
        { kind: 'pause', at: '2d', for: '30h' },
      ]),
    );
    const sends = expandPlan(scenario).sends;
    expect(sends.map((send) => send.volume)).toEqual([100, 1000, 100, 100]);
    // The pause runs from 2d to 3d 6h: days 3 and 4 (2d and 3d) both go out when it ends.
    expect(sends.map((send) => send.atMs / HOUR_MS)).toEqual([0, 24, 78, 78]);
    expect(sends.map((send) => (send.heldFromMs ?? 0) / DAY_MS)).toEqual([0, 0, 2, 3]);
    expect(plannedVolume(expandPlan(scenario), 1_000)).toBe(1_300);
  });

  it('turns a rate into the time a send lasts, and scales volumes and rates alike', () => {
    const full = resolveScenario(withTimeline([{ kind: 'campaign', at: '1h', volume: 10_000, rate: '2000/h' }]));
    expect(full.timeline[0]).toMatchObject({ kind: 'campaign', atMs: HOUR_MS, volume: 10_000, overMs: 5 * HOUR_MS });
    const tenth = resolveScenario(withTimeline([{ kind: 'campaign', at: '1h', volume: 10_000, rate: '2000/h' }]), {
      scale: 0.1,
    });
    expect(tenth.timeline[0]).toMatchObject({ volume: 1_000, overMs: 5 * HOUR_MS });
    expect(tenth.population.recipients).toBe(100);
    expect(tenth.scale).toBe(0.1);
  });

  it('without sends, mails everyone once when the run starts', () => {
    const plan = expandPlan(resolveScenario(base));
    expect(plan.sends).toEqual([
      { campaign: 'main', atMs: 0, volume: null, multiplier: 1, segment: 'all', overMs: 0, tenant: null },
    ]);
  });

  it('prints the plan day by day with the seed', () => {
    const scenario = resolveScenario(
      withTimeline([
        { kind: 'ramp', name: 'warm', from: '0d', to: '2d', start: '100/d', end: '400/d' },
        { kind: 'outage', at: '1d 2h', for: '6h', receiver: 'orange' },
      ]),
    );
    const text = renderPlan(scenario, expandPlan(scenario), '42');
    expect(text).toContain('seed 42');
    expect(text).toMatch(/ {3}2 {2}2026-01-06 {10}200 {2}warm 2\/3 \(over 12h\); orange down for 6h \(connect-421\)/);
    expect(text).toContain('planned: 700 messages in 3 sends; 1 incidents');
  });
});

describe('expectations', () => {
  it('refuses unknown metrics, providers and operators by path', () => {
    const issues = issuesOf({
      ...base,
      expect: [
        { metric: 'happiness', operator: '>', value: 1 },
        { metric: 'deferralRate', provider: 'hotmail-classic', operator: '<', value: 0.1 },
        { metric: 'macroF1', provider: 'gmail', operator: '>=', value: 0.5 },
        { metric: 'deliveredShare', operator: '≥', value: 0.5 },
      ] as unknown as NonNullable<ScenarioInput['expect']>,
    });
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath['expect[0].metric']).toMatch(/unknown metric "happiness" \(known: injected/);
    expect(byPath['expect[1].provider']).toMatch(/unknown provider "hotmail-classic"/);
    expect(byPath['expect[2].provider']).toMatch(/macroF1 is a figure of the whole run/);
    expect(byPath['expect[3].operator']).toMatch(/must be one of < <= > >=/);
  });
});
