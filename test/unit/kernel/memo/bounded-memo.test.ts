/**
 * The bounded memo: it answers what the function answers, computes each remembered key once,
 * never holds more than its capacity (the entry remembered longest ago goes first), and leaves
 * keys longer than its limit out.
 */
import { expect, test } from 'vitest';
import { BoundedMemo, memoised } from '../../../../kernel/memo/bounded-memo.ts';

test('a remembered key is computed once; null and undefined answers are remembered too', () => {
  const memo = new BoundedMemo<string, string | null | undefined>(4);
  const calls: string[] = [];
  const compute = (key: string): string | null | undefined => {
    calls.push(key);
    return key === 'none' ? null : key === 'nothing' ? undefined : key.toUpperCase();
  };
  expect(memo.recall('a', compute)).toBe('A');
  expect(memo.recall('a', compute)).toBe('A');
  expect(memo.recall('none', compute)).toBeNull();
  expect(memo.recall('none', compute)).toBeNull();
  expect(memo.recall('nothing', compute)).toBeUndefined();
  expect(memo.recall('nothing', compute)).toBeUndefined();
  expect(calls).toEqual(['a', 'none', 'nothing']);
});

test('past its capacity the memo forgets the entry remembered longest ago, and only that one', () => {
  const memo = new BoundedMemo<number, number>(3);
  for (const key of [1, 2, 3, 4]) memo.set(key, key * 10);
  expect(memo.size).toBe(3);
  expect(memo.get(1)).toBeUndefined();
  expect([memo.get(2), memo.get(3), memo.get(4)]).toEqual([20, 30, 40]);
  // Setting a key it holds replaces the value without forgetting another.
  memo.set(3, 33);
  expect([memo.size, memo.get(2), memo.get(3)]).toEqual([3, 20, 33]);
});

test('a capacity below 1 is refused', () => {
  expect(() => new BoundedMemo(0)).toThrow(RangeError);
});

test('memoised: keys longer than the limit are computed every time, shorter ones once', () => {
  let calls = 0;
  const length = memoised(
    (key) => {
      calls++;
      return key.length;
    },
    { capacity: 8, maxKeyLength: 5 },
  );
  expect([length('abc'), length('abc'), length('abcdefgh'), length('abcdefgh')]).toEqual([3, 3, 8, 8]);
  expect(calls).toBe(3);
});
