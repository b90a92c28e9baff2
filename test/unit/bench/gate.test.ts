/**
 * The stored baseline: every problem with the file is named by its field, and a baseline
 * measured on another machine is refused with each difference named, not compared.
 */
import { describe, expect, test } from 'vitest';
import { checkSameMachine, parseBaseline } from '../../../bench/gate.ts';
import { BenchInputError } from '../../../bench/options.ts';

const machine = { cpuModel: 'AMD EPYC', cpus: 2, node: 'v20.20.2', postfix: '3.7.11' };
const good = {
  about: 'x',
  machine,
  figures: { 'ratios.engineVsPostfix': 1.8 },
  rounds: 5,
  recordedAt: '2026-12-07T22:00:00Z',
};

describe('parseBaseline', () => {
  test('reads a recorded baseline', () => {
    const baseline = parseBaseline(JSON.stringify(good), 'b.json');
    expect(baseline.figures['ratios.engineVsPostfix']).toBe(1.8);
    expect(baseline.machine).toEqual(machine);
    expect(baseline.rounds).toBe(5);
  });

  test('names every bad field at once, and is the caller’s error', () => {
    const bad = { machine: { ...machine, cpus: '2' }, figures: { a: -1, b: 'x' }, rounds: 0 };
    let thrown: unknown;
    try {
      parseBaseline(JSON.stringify(bad), 'b.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BenchInputError);
    const message = (thrown as Error).message;
    expect(message).toMatch(/^b\.json:/);
    for (const field of ['machine.cpus', 'figures.a', 'figures.b', 'rounds']) expect(message).toContain(field);
  });

  test('a baseline without its machine (the old format) is refused, saying how to record one', () => {
    expect(() => parseBaseline(JSON.stringify({ ratios: { r: 1 } }), 'old.json')).toThrow(
      /machine: .*--record-baseline/,
    );
    expect(() => parseBaseline('{', 'x.json')).toThrow(/^x\.json: not JSON/);
  });
});

describe('checkSameMachine', () => {
  test('the same machine passes', () => {
    expect(() => checkSameMachine(parseBaseline(JSON.stringify(good), 'b.json'), machine, 'b.json')).not.toThrow();
  });

  test('another machine is refused, each difference named', () => {
    const here = { ...machine, cpus: 4, node: 'v22.1.0' };
    expect(() => checkSameMachine(parseBaseline(JSON.stringify(good), 'b.json'), here, 'b.json')).toThrow(
      /b\.json was measured on another machine \(cpus: 2 → 4; node: "v20\.20\.2" → "v22\.1\.0"\).*--against/,
    );
  });
});
