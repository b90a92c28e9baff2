/**
 * Seeded chance (DESIGN rule 1). The only wrapper of seedrandom in the project. A stream
 * forks named children whose seeds derive from (parent seed, name), so adding a component
 * with its own stream never shifts the draws of the others.
 */
import seedrandom from 'seedrandom';

export type Seed = string | number;

/** `n.toString(36)` for n in 0..35, looked up rather than formatted (tokens are drawn for every reply). */
const BASE36_DIGITS: readonly string[] = Array.from({ length: 36 }, (_, digit) => digit.toString(36));

export class Rng {
  /** The seed this stream was made from, for messages and reports. */
  readonly seed: string;
  private readonly next: () => number;

  constructor(seed: Seed) {
    this.seed = String(seed);
    // Alea: fast, good quality, and its state does not depend on anything but the seed.
    this.next = seedrandom.alea(this.seed);
  }

  /** An independent stream named `name`; the same (seed, name) always gives the same stream. */
  fork(name: string): Rng {
    return new Rng(`${this.seed}/${name}`);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min)
      throw new RangeError(`bad integer range [${min}, ${max}]`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An exponentially distributed duration with the given mean (for arrivals and delays). */
  exponentialMs(meanMs: number): number {
    return -Math.log(1 - this.next()) * meanMs;
  }

  /** A multiplicative jitter in [1 - spread, 1 + spread]. */
  jitter(spread: number): number {
    return 1 + (this.next() * 2 - 1) * spread;
  }

  /** A short lowercase base-36 token, for ids the world makes up (queue ids, session ids). */
  token(length: number): string {
    let token = '';
    for (let index = 0; index < length; index++) token += BASE36_DIGITS[Math.floor(this.next() * 36)] as string;
    return token;
  }
}
