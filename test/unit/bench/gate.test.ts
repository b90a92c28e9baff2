/**
 * The benchmark gate's rule: a ratio fails only when it falls more than the tolerance (10 %)
 * below its baseline; a missing ratio fails; every failure names its ratio. And the baseline
 * file's errors name the field.
 */
import { describe, expect, test } from 'vitest';
import { gateRatios, parseBaseline } from '../../../bench/gate.ts';

const baseline = { fleetVsSmtpSink: 0.2, engineVsPostfix: 2 };

describe('gateRatios', () => {
  test('passes at, above and within 10 % below the baseline', () => {
    const result = gateRatios(baseline, { fleetVsSmtpSink: 0.181, engineVsPostfix: 2.5 });
    expect(result.passed).toBe(true);
    expect(result.failures).toEqual([]);
    expect(result.verdicts.map((verdict) => verdict.passed)).toEqual([true, true]);
  });

  test('fails a ratio more than 10 % below and names it, not the other', () => {
    const result = gateRatios(baseline, { fleetVsSmtpSink: 0.179, engineVsPostfix: 2 });
    expect(result.passed).toBe(false);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(/^ratios\.fleetVsSmtpSink: 0\.179 is 10\.5 % below the baseline 0\.200/);
    expect(result.verdicts.find((verdict) => verdict.name === 'fleetVsSmtpSink')?.change).toBeCloseTo(-0.105, 6);
  });

  test('the boundary: exactly 10 % below passes, a hair more fails', () => {
    expect(gateRatios({ r: 1 }, { r: 0.9 }).passed).toBe(true);
    expect(gateRatios({ r: 1 }, { r: 0.8999 }).passed).toBe(false);
  });

  test('a ratio the run lacks fails, named', () => {
    const result = gateRatios(baseline, { engineVsPostfix: 2 });
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['ratios.fleetVsSmtpSink: missing from this run (baseline 0.2)']);
  });

  test('a custom tolerance is honoured and a bad one refused', () => {
    expect(gateRatios({ r: 1 }, { r: 0.85 }, 0.2).passed).toBe(true);
    expect(() => gateRatios({ r: 1 }, { r: 1 }, 1.5)).toThrow(/tolerance/);
  });
});

describe('parseBaseline', () => {
  test('reads the ratios of a baseline file', () => {
    expect(parseBaseline('{"ratios":{"a":0.5},"figures":{}}', 'b.json')).toEqual({ a: 0.5 });
  });

  test('names what is wrong', () => {
    expect(() => parseBaseline('{', 'b.json')).toThrow(/^b\.json: not JSON/);
    expect(() => parseBaseline('{"figures":{}}', 'b.json')).toThrow(/b\.json: ratios: an object/);
    expect(() => parseBaseline('{"ratios":{"a":-1,"b":"x"}}', 'b.json')).toThrow(
      /ratios\.a: must be a positive number \(got -1\)\n\s+ratios\.b: must be a positive number \(got "x"\)/,
    );
  });
});
