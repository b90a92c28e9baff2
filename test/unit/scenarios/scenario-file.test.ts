/**
 * Scenario files (JSON and YAML): a good file resolves like a built-in scenario, with human
 * durations read into milliseconds; a bad one is refused with every problem at once — unknown
 * keys with the keys known there, bad values with their reasons, a broken file with the
 * parser's words.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { loadScenarioFile } from '../../../scenarios/file.ts';
import { ScenarioError } from '../../../scenarios/scenario.ts';
import { DAY_MS, HOUR_MS } from '../../../sim/clock/clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'mailbench-scenario-file-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problems(path: string): string[] {
  try {
    loadScenarioFile(path);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error(`${path} loaded without a problem`);
}

test('a YAML scenario resolves, with human durations in milliseconds and the defaults filled', () => {
  const path = file(
    'b2b.yaml',
    ['name: my-b2b', 'population:', '  recipients: 500', '  domains: [gmail.com]', '  corporate: { share: 0.5, tenants: 5 }', 'sender:', '  history: { cleanPerDay: 2000 }', 'limits:', '  simulatedDurationMaxMs: 2d', '  realDurationMaxMs: 45 min'].join('\n'),
  );
  const scenario = loadScenarioFile(path);
  expect(scenario.name).toBe('my-b2b');
  expect(scenario.population.corporate).toMatchObject({ share: 0.5, tenants: 5 });
  expect(scenario.sender.history).toEqual({ cleanPerDay: 2000, engagedShare: 0.15 });
  expect(scenario.limits.simulatedDurationMaxMs).toBe(2 * DAY_MS);
  expect(scenario.limits.realDurationMaxMs).toBe(0.75 * HOUR_MS);
  expect(scenario.sender.sources).toEqual([{ name: 'mta1', sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test' }]);
});

test('a JSON scenario with mistakes lists every one: unknown keys, bad values, bad durations', () => {
  const path = file(
    'bad.json',
    JSON.stringify({ name: 'bad', population: { recipients: 0, unknowShare: 0.1 }, sender: { sourceIp: '10.0.0.1', sources: [{ name: 'a', sourceIp: '127.0.0.9', heloName: 'a.test', ip: 'x' }] }, limits: { simulatedDurationMaxMs: 'two days' }, colour: 'blue' }),
  );
  expect(problems(path)).toEqual([
    'population.unknowShare: unknown key \'unknowShare\' (known here: recipients, domains, unknownShare, corporate, traps, engagement)',
    'sender.sources[0].ip: unknown key \'ip\' (known here: name, sourceIp, heloName)',
    'colour: unknown key \'colour\' (known here: name, story, population, sender, receivers, limits, timeline, expect, scale)',
    "limits.simulatedDurationMaxMs: bad duration 'two days': expected <number><unit>, repeated (examples: '30s', '5m', '1h', '2d')",
    'population.recipients: must be a whole number from 1 to 50,000,000 (got 0)',
    'limits.simulatedDurationMaxMs: must be from 1 hour to 400 days (got two days ms)',
  ]);
});

test('a file that does not parse, or is not an object, says so', () => {
  expect(problems(file('broken.yaml', 'name: [unclosed'))[0]).toMatch(/^\(file\): /);
  expect(problems(file('list.json', '[1, 2]'))).toEqual(['(file): must be an object']);
  expect(problems(join(dir, 'missing.json'))[0]).toMatch(/^\(file\): ENOENT/);
});

test('a YAML timeline is read with its human times and rates, and its mistakes are listed by path', () => {
  const good = loadScenarioFile(new URL('../../../scenarios/examples/warmup-plan-b.yaml', import.meta.url).pathname);
  expect(good.scale).toBe(0.01);
  expect(good.sender.warmup?.plan).toBe('ses');
  expect(good.timeline[1]).toMatchObject({ kind: 'ramp', fromMs: 14 * DAY_MS, startPerDay: 800, endPerDay: 5_000, overMs: 12 * HOUR_MS, segment: 'all' });
  expect(good.limits.simulatedDurationMaxMs).toBe(40 * DAY_MS);
  const bad = file(
    'bad-timeline.yaml',
    [
      'name: bad-timeline',
      'population: { recipients: 100 }',
      'timeline:',
      '  - { kind: ramp, from: 0d, to: 3d, start: 10/d, end: 100/fortnight }',
      '  - { kind: outage, at: 1d, receiver: orange }',
      '  - { kind: campaign, at: 1d, segment: vip }',
      'expect:',
      '  - { metric: deliveredShare, operator: "=>", value: 1 }',
    ].join('\n'),
  );
  expect(problems(bad)).toEqual([
    "timeline[0].end: bad rate '100/fortnight': unknown unit 'fortnight' (examples: '3/m', '2000/h', '1,000,000/d', '50 per hour')",
    'timeline[1].for: is required',
    'timeline[2].segment: must be one of all, engaged, unengaged (got "vip")',
    'expect[0].operator: must be one of < <= > >= (got "=>")',
  ]);
});
