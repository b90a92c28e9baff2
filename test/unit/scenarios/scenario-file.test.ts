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
import { SCENARIO_FILE_BYTES_MAX, loadScenarioFile } from '../../../scenarios/file.ts';
import { ScenarioError } from '../../../scenarios/scenario.ts';
import { DAY_MS, HOUR_MS } from '../../../kernel/clock/clock.ts';

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
    [
      'name: my-b2b',
      'population:',
      '  recipients: 500',
      '  domains: [gmail.com]',
      '  corporate: { share: 0.5, tenants: 5 }',
      'sender:',
      '  history: { cleanPerDay: 2000 }',
      'limits:',
      '  simulatedDurationMaxMs: 2d',
      '  realDurationMaxMs: 45 min',
    ].join('\n'),
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
    JSON.stringify({
      name: 'bad',
      population: { recipients: 0, unknowShare: 0.1 },
      sender: { sourceIp: '10.0.0.1', sources: [{ name: 'a', sourceIp: '127.0.0.9', heloName: 'a.test', ip: 'x' }] },
      limits: { simulatedDurationMaxMs: 'two days' },
      colour: 'blue',
    }),
  );
  expect(problems(path)).toEqual([
    "population.unknowShare: unknown key 'unknowShare' (known here: recipients, domains, unknownShare, corporate, traps, engagement)",
    "sender.sources[0].ip: unknown key 'ip' (known here: name, sourceIp, heloName)",
    "colour: unknown key 'colour' (known here: name, story, population, sender, receivers, limits, timeline, expect, scale)",
    "limits.simulatedDurationMaxMs: bad duration 'two days': expected <number><unit>, repeated (examples: '30s', '5m', '1h', '2d')",
    'population.recipients: must be a whole number of at least 1 (got 0)',
  ]);
});

test('every field has its type: a string where a list belongs, a number where a name belongs, are refused by path', () => {
  const path = file(
    'types.yaml',
    [
      'name: typed',
      'population:',
      '  recipients: 10',
      '  domains: gmail.com',
      'sender:',
      '  heloName: 42',
      '  auditList: "yes"',
      '  sources: [mta1]',
    ].join('\n'),
  );
  expect(problems(path)).toEqual([
    'population.domains: must be a list of strings (e.g. [gmail.com, yahoo.com]), not a string ("gmail.com")',
    'sender.heloName: must be a string, not a number (42)',
    'sender.auditList: must be true or false, not a string ("yes")',
    'sender.sources[0]: must be an object, not a string ("mta1")',
    'sender.sources: must list at least one source',
    'sender.pools.default: a pool needs at least one source',
  ]);
});

test('a misspelled top-level key hides nothing: the other problems are listed with it', () => {
  const path = file(
    'misspelled.yaml',
    ['name: Misspelled', 'populaton:', '  recipients: 10', 'sender:', '  mailFrom: nobody', 'scale: 3'].join('\n'),
  );
  expect(problems(path)).toEqual([
    "populaton: unknown key 'populaton' (known here: name, story, population, sender, receivers, limits, timeline, expect, scale)",
    'population: is required: { recipients, … }',
    'scale: must be more than 0 and at most 1 (got 3)',
    'name: must be lowercase letters, digits and dashes (got "Misspelled")',
    'sender.mailFrom: must be an address (got nobody)',
  ]);
});

test('a scenario file past the size cap is refused before it is read; a population too big to run is refused up front', () => {
  const huge = file(
    'huge.json',
    `{"name":"huge","story":"${'x'.repeat(SCENARIO_FILE_BYTES_MAX)}","population":{"recipients":1}}`,
  );
  expect(problems(huge)).toEqual([
    expect.stringMatching(/^\(file\): the file is \d+ bytes, over the 1048576-byte limit for a scenario/),
  ]);
  const crowded = file('crowded.yaml', ['name: crowded', 'population:', '  recipients: 17000000'].join('\n'));
  expect(problems(crowded)).toEqual([
    expect.stringMatching(
      /^population\.recipients: 17,000,000 recipients cannot run yet: .* 10,000,000 .* is the most it runs/,
    ),
  ]);
});

test('a file that does not parse, or is not an object, says so', () => {
  expect(problems(file('broken.yaml', 'name: [unclosed'))[0]).toMatch(/^\(file\): /);
  expect(problems(file('list.json', '[1, 2]'))).toEqual(['(file): must be an object, not a list']);
  expect(problems(join(dir, 'missing.json'))[0]).toMatch(/^\(file\): ENOENT/);
});

test('a YAML timeline is read with its human times and rates, and its mistakes are listed by path', () => {
  const good = loadScenarioFile(new URL('../../../scenarios/examples/warmup-plan-b.yaml', import.meta.url).pathname);
  expect(good.scale).toBe(0.01);
  expect(good.sender.warmup?.plan).toBe('ses');
  expect(good.timeline[1]).toMatchObject({
    kind: 'ramp',
    fromMs: 14 * DAY_MS,
    startPerDay: 800,
    endPerDay: 5_000,
    overMs: 12 * HOUR_MS,
    segment: 'all',
  });
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
