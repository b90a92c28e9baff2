/**
 * The bench's command line: the modes and their default phases and rounds, tolerances alone or
 * per figure, and every bad flag named at once.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_OPTIONS, GATE_PHASES, parseBenchArgs } from '../../../bench/options.ts';

function options(args: string[]) {
  const parsed = parseBenchArgs(args);
  if ('issues' in parsed) throw new Error(parsed.issues.join('\n'));
  return parsed.options;
}

function issues(args: string[]): readonly string[] {
  const parsed = parseBenchArgs(args);
  return 'issues' in parsed ? parsed.issues : [];
}

describe('parseBenchArgs', () => {
  test('plain: every phase once', () => {
    expect(options([])).toEqual(DEFAULT_OPTIONS);
  });

  test('--against takes a ref and measures the gated phases unless --only says otherwise', () => {
    const against = options(['--against', 'origin/main']);
    expect(against.mode).toBe('against');
    expect(against.against).toBe('origin/main');
    expect(against.phases).toEqual(GATE_PHASES.against);
    expect(options(['--only', 'sim', '--against', 'HEAD~1']).phases).toEqual(['sim']);
  });

  test('--against with --engine measures the engine only: the bench around it is the same on both sides', () => {
    expect(options(['--against', 'HEAD~1', '--engine', './my-engine.ts']).phases).toEqual(['engine']);
  });

  test('--calibrate runs 10 rounds, --record-baseline 5, unless --rounds says', () => {
    expect(options(['--calibrate'])).toMatchObject({ mode: 'calibrate', minRounds: 10, maxRounds: 10 });
    expect(options(['--record-baseline'])).toMatchObject({ mode: 'record', minRounds: 5, maxRounds: 5 });
    expect(options(['--calibrate', '--rounds', '8'])).toMatchObject({ minRounds: 8, maxRounds: 8 });
  });

  test('tolerances: one for all, or per figure', () => {
    const parsed = options(['--against', 'x', '--tolerance', '0.15', '--tolerance', 'fleet.acceptedPerSecond=0.2']);
    expect(parsed.tolerance).toBe(0.15);
    expect(parsed.tolerances).toEqual({ 'fleet.acceptedPerSecond': 0.2 });
  });

  test('every problem is named at once', () => {
    const found = issues([
      '--gate',
      '--against',
      'x',
      '--tolerance',
      '1.5',
      '--confidence',
      '0.2',
      '--budget',
      '-1',
      '--min-rounds',
      '40',
      '--engine',
      '--frobnicate',
    ]);
    expect(found.join('\n')).toMatch(/--against: one of --gate, --against/);
    expect(found.join('\n')).toMatch(/--tolerance: .*"1\.5"/);
    expect(found.join('\n')).toMatch(/--confidence: .*"0\.2"/);
    expect(found.join('\n')).toMatch(/--budget: .*"-1"/);
    expect(found.join('\n')).toMatch(/--min-rounds: at most --max-rounds \(40 > 30\)/);
    expect(found.join('\n')).toMatch(/--engine: a built-in MTA name or a module path is expected/);
  });
});
