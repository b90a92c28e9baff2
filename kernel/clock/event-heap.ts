/**
 * A binary min-heap of timed entries ordered by (time, sequence). The sequence number breaks
 * ties in insertion order, which is what makes a discrete-event run reproducible.
 */
import type { EpochMs } from './clock.ts';

export interface HeapEntry<T> {
  readonly atMs: EpochMs;
  readonly sequence: number;
  readonly value: T;
}

export class EventHeap<T> {
  private readonly entries: HeapEntry<T>[] = [];
  private nextSequence = 0;

  get size(): number {
    return this.entries.length;
  }

  push(atMs: EpochMs, value: T): HeapEntry<T> {
    const entry = { atMs, sequence: this.nextSequence++, value };
    this.entries.push(entry);
    this.siftUp(this.entries.length - 1);
    return entry;
  }

  peek(): HeapEntry<T> | undefined {
    return this.entries[0];
  }

  pop(): HeapEntry<T> | undefined {
    const top = this.entries[0];
    const last = this.entries.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.entries.length > 0) {
      this.entries[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private before(a: HeapEntry<T>, b: HeapEntry<T>): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence);
  }

  private siftUp(start: number): void {
    const entries = this.entries;
    let index = start;
    const entry = entries[index] as HeapEntry<T>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = entries[parentIndex] as HeapEntry<T>;
      if (!this.before(entry, parent)) break;
      entries[index] = parent;
      index = parentIndex;
    }
    entries[index] = entry;
  }

  private siftDown(start: number): void {
    const entries = this.entries;
    const length = entries.length;
    let index = start;
    const entry = entries[index] as HeapEntry<T>;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child =
        right < length && this.before(entries[right] as HeapEntry<T>, entries[left] as HeapEntry<T>) ? right : left;
      if (!this.before(entries[child] as HeapEntry<T>, entry)) break;
      entries[index] = entries[child] as HeapEntry<T>;
      index = child;
    }
    entries[index] = entry;
  }
}
