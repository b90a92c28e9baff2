/**
 * Events in time order over a trailing window, per key: the counters behind velocity, bursts
 * and deferral shares. Pure bookkeeping — the caller passes the time with every call (DESIGN
 * rule 1) — and bounded (TigerStyle "put a limit on everything"): a key keeps at most
 * `maxEvents` events (the oldest drop first, so a count saturates rather than grows), and keys
 * whose newest event left the window are swept.
 */
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';

export interface TimedEvent<T> {
  readonly atMs: EpochMs;
  readonly value: T;
}

/** One key's events, oldest first. Events must arrive in time order (the engine's clock only moves forward). */
export class TimeWindow<T> {
  private events: TimedEvent<T>[] = [];
  private head = 0;

  constructor(
    private readonly spanMs: Milliseconds,
    private readonly maxEvents: number,
  ) {}

  add(atMs: EpochMs, value: T): void {
    this.events.push({ atMs, value });
    if (this.events.length - this.head > this.maxEvents) this.head++;
    this.compact();
  }

  /** The events in (nowMs - spanMs, nowMs], oldest first. */
  within(nowMs: EpochMs, spanMs: Milliseconds = this.spanMs): readonly TimedEvent<T>[] {
    this.prune(nowMs);
    const fromMs = nowMs - Math.min(spanMs, this.spanMs);
    let start = this.head;
    while (start < this.events.length && (this.events[start] as TimedEvent<T>).atMs <= fromMs) start++;
    return this.events.slice(start);
  }

  count(nowMs: EpochMs, spanMs: Milliseconds = this.spanMs): number {
    return this.within(nowMs, spanMs).length;
  }

  /** The time of the newest event, or null when empty. */
  get lastAtMs(): EpochMs | null {
    return this.events.length > this.head ? (this.events[this.events.length - 1] as TimedEvent<T>).atMs : null;
  }

  clear(): void {
    this.events = [];
    this.head = 0;
  }

  private prune(nowMs: EpochMs): void {
    while (this.head < this.events.length && (this.events[this.head] as TimedEvent<T>).atMs <= nowMs - this.spanMs)
      this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}

/** A TimeWindow per key; idle keys are swept every `sweepEvery` additions. */
export class KeyedWindows<T> {
  private readonly windows = new Map<string, TimeWindow<T>>();
  private additions = 0;

  constructor(
    private readonly spanMs: Milliseconds,
    private readonly maxEventsPerKey: number,
    private readonly sweepEvery = 4096,
  ) {}

  add(key: string, atMs: EpochMs, value: T): void {
    let window = this.windows.get(key);
    if (window === undefined) {
      window = new TimeWindow<T>(this.spanMs, this.maxEventsPerKey);
      this.windows.set(key, window);
    }
    window.add(atMs, value);
    if (++this.additions % this.sweepEvery === 0) this.sweep(atMs);
  }

  within(key: string, nowMs: EpochMs, spanMs?: Milliseconds): readonly TimedEvent<T>[] {
    return this.windows.get(key)?.within(nowMs, spanMs) ?? [];
  }

  count(key: string, nowMs: EpochMs, spanMs?: Milliseconds): number {
    return this.windows.get(key)?.count(nowMs, spanMs) ?? 0;
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(nowMs: EpochMs): void {
    for (const [key, window] of this.windows) {
      const lastAtMs = window.lastAtMs;
      if (lastAtMs === null || lastAtMs <= nowMs - this.spanMs) this.windows.delete(key);
    }
  }
}
