/**
 * A memo of a pure function with a size cap: once full, the entry remembered longest ago goes
 * first. It holds only answers the function would give again, so what it changes is how fast a
 * run goes, never what the run does: a run reads the same whether an answer was remembered,
 * forgotten or never asked before (results do not depend on earlier runs in the process).
 *
 * Used on the hot path of sim mode, where the same inputs come back for every message (the
 * same From field, the same body, the same domains) and each costs a parse or a regex scan.
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`a memo needs a capacity of at least 1 (got ${capacity})`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  /** Forgets `key`: for an answer that turned out not to be one (a promise that failed). */
  forget(key: K): void {
    this.entries.delete(key);
  }

  /** The remembered answer for `key`, or `compute(key)`, remembered. */
  recall(key: K, compute: (key: K) => V): V {
    const known = this.entries.get(key);
    if (known !== undefined || this.entries.has(key)) return known as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }
}

/**
 * `compute` remembered for string inputs up to `maxKeyLength` characters (longer ones are
 * computed every time, so a memo never pins large texts in memory).
 */
export function memoised<V>(
  compute: (key: string) => V,
  options: { readonly capacity: number; readonly maxKeyLength: number },
): (key: string) => V {
  const memo = new BoundedMemo<string, V>(options.capacity);
  return (key) => (key.length > options.maxKeyLength ? compute(key) : memo.recall(key, compute));
}
