/**
 * Round robin over a list that may change between calls, one cursor per key (a pool, a tenant):
 * how a policy spreads deliveries over the sources it chose among, the same for the same calls.
 * The engine's own weighted rotation sits behind `chooseSource` returning undefined; a policy
 * that narrows the candidates has to pick itself.
 */
export class RoundRobin {
  private readonly cursors = new Map<string, number>();

  /** The next item for `key`; undefined when `items` is empty. */
  pick<T>(key: string, items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined;
    const cursor = this.cursors.get(key) ?? 0;
    this.cursors.set(key, (cursor + 1) % items.length);
    return items[cursor % items.length];
  }
}
