/**
 * Seeded chance: the same seed gives the same stream, a named fork is independent of its
 * siblings and of the order forks are made in, and adding a component never shifts others.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../../kernel/random/rng.ts';

const draw = (rng: Rng, count: number): number[] => Array.from({ length: count }, () => rng.float());

describe('Rng', () => {
  test('the same seed gives the same stream; another seed another one', () => {
    expect(draw(new Rng(42), 5)).toEqual(draw(new Rng(42), 5));
    expect(draw(new Rng(42), 5)).not.toEqual(draw(new Rng(43), 5));
  });

  test('a fork depends only on (seed, name): not on sibling forks or on draws from the parent', () => {
    const plain = new Rng(7).fork('receiver/gmail');
    const busy = new Rng(7);
    busy.float();
    busy.fork('engine').float();
    const afterOthers = busy.fork('receiver/gmail');
    expect(draw(afterOthers, 5)).toEqual(draw(plain, 5));
    expect(draw(new Rng(7).fork('engine'), 5)).not.toEqual(draw(new Rng(7).fork('receiver/gmail'), 5));
  });

  test('int stays in its inclusive range and jitter within its spread', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, min, span) => {
          const rng = new Rng(seed);
          const value = rng.int(min, min + span);
          const factor = rng.jitter(0.2);
          return Number.isInteger(value) && value >= min && value <= min + span && factor >= 0.8 && factor <= 1.2;
        },
      ),
    );
  });

  test('bad ranges and empty picks are programmer errors', () => {
    const rng = new Rng(1);
    expect(() => rng.int(5, 4)).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});
