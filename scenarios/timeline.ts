/**
 * What happens when in a scenario: a list of events, a discriminated union on `kind`.
 *
 * - campaign: one send to a segment of the list (all of it by default), injected at once or
 *   spread over a time (`over`) or at a rate (`rate`).
 * - ramp: a send every day from `from` to `to`, its volume growing from `start` to `end`
 *   (daily rates such as '5000/d'), geometric by default as warm-up plans grow.
 * - spike: the sends inside a window multiplied (Black Friday).
 * - trap-injection: spamtraps join the list (a partner's list merged in).
 * - policy-change: a receiver changes its rules from then on.
 * - outage: a receiver is down for a while (421 at connect, or 451 to every transaction).
 * - pause: the sender stops: sends due inside the window go out when it ends.
 *
 * Times are offsets from the start of the run ('0d', '2d 9h', '36h' or milliseconds); rates
 * and durations are human strings read once here (kernel/clock/duration.ts, kernel/clock/rate.ts),
 * so a typo fails at load time with its path, never in the middle of a run.
 */
import { DAY_MS, HOUR_MS, ratePer, readDuration, readRate } from '../kernel/index.ts';
import type { Milliseconds } from '../kernel/index.ts';
import type { TrapKind } from '../sim/index.ts';
import type { ScenarioIssue } from './scenario.ts';
import { SEGMENTS } from './timeline-events.ts';
import type { ResolvedTimelineEvent, Segment, TimelineEventInput, TimelineKind } from './timeline-events.ts';

export * from './timeline-events.ts';

/** The keys each kind takes, for the unknown-key check. */
const KEYS: Readonly<Record<TimelineKind, readonly string[]>> = {
  campaign: ['kind', 'name', 'at', 'volume', 'segment', 'over', 'rate', 'tenant'],
  ramp: ['kind', 'name', 'from', 'to', 'start', 'end', 'growth', 'over', 'segment', 'tenant'],
  spike: ['kind', 'at', 'for', 'factor'],
  'trap-injection': ['kind', 'at', 'trapKind', 'count'],
  'policy-change': ['kind', 'at', 'receiver', 'change'],
  outage: ['kind', 'at', 'for', 'receiver', 'mode'],
  pause: ['kind', 'at', 'for'],
};
export const TIMELINE_KINDS = Object.keys(KEYS) as TimelineKind[];
const TRAP_KINDS: readonly TrapKind[] = ['pristine', 'recycled', 'typo'];
const RAMP_DAYS_MAX = 400;

/** What the timeline needs to know of the rest of the scenario to check names. */
export interface TimelineContext {
  readonly tenants: readonly string[];
  /** Receivers that can have incidents, and a check of a policy change's keys. */
  readonly receivers: readonly string[];
  readonly validatePolicyChange: (change: unknown, path: string) => ScenarioIssue[];
  /** Volumes are multiplied by this (the run's volume scale). */
  readonly scale: number;
}

/**
 * Reads the timeline into its resolved form; every problem is pushed to `issues` with its path
 * (`timeline[3].at`), and the events that could not be read are left out.
 */
export function resolveTimeline(
  input: readonly TimelineEventInput[] | undefined,
  context: TimelineContext,
  issues: ScenarioIssue[],
): ResolvedTimelineEvent[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    issues.push({ path: 'timeline', message: 'must be a list of events' });
    return [];
  }
  const resolved: ResolvedTimelineEvent[] = [];
  input.forEach((event: unknown, index) => {
    const event_ = readEvent(event, index, context, issues);
    if (event_ !== undefined) resolved.push(event_);
  });
  return resolved;
}

function readEvent(
  raw: unknown,
  index: number,
  context: TimelineContext,
  issues: ScenarioIssue[],
): ResolvedTimelineEvent | undefined {
  const base = `timeline[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({ path: base, message: 'must be an object with a kind' });
    return undefined;
  }
  const event = raw as Record<string, unknown>;
  const kind = event.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(KEYS, kind)) {
    issues.push({
      path: `${base}.kind`,
      message: `must be one of ${TIMELINE_KINDS.join(', ')} (got ${JSON.stringify(kind)})`,
    });
    return undefined;
  }
  const known = KEYS[kind as TimelineKind];
  for (const key of Object.keys(event)) {
    if (!known.includes(key))
      issues.push({
        path: `${base}.${key}`,
        message: `unknown key '${key}' for a ${kind} (known: ${known.join(', ')})`,
      });
  }
  const read = new FieldReader(event, base, issues);
  const before = issues.length;
  const resolved = readKind(kind as TimelineKind, read, index, context);
  return issues.length === before ? resolved : undefined;
}

function readKind(
  kind: TimelineKind,
  read: FieldReader,
  index: number,
  context: TimelineContext,
): ResolvedTimelineEvent {
  const scaled = (count: number): number => Math.max(1, Math.round(count * context.scale));
  switch (kind) {
    case 'campaign': {
      const overMs = read.optionalDuration('over') ?? 0;
      const rate = read.optionalRate('rate');
      const volume = read.optionalCount('volume');
      if (rate !== undefined && read.has('over')) read.fail('rate', "give either 'over' or 'rate', not both");
      if (rate !== undefined && volume === undefined)
        read.fail('rate', "a rate needs a 'volume' to know how long the send lasts");
      const scaledVolume = volume === undefined ? null : scaled(volume);
      const rateOverMs =
        rate === undefined || scaledVolume === null
          ? overMs
          : Math.round((scaledVolume / Math.max(rate * context.scale, 1e-9)) * HOUR_MS);
      return {
        kind,
        name: read.optionalName('name') ?? `campaign ${index + 1}`,
        atMs: read.time('at'),
        volume: scaledVolume,
        segment: read.segment(),
        overMs: rateOverMs,
        tenant: read.tenant(context.tenants),
      };
    }
    case 'ramp': {
      const fromMs = read.time('from');
      const toMs = read.time('to');
      if (toMs < fromMs) read.fail('to', `must not be before from (${fromMs / DAY_MS} d)`);
      if ((toMs - fromMs) / DAY_MS > RAMP_DAYS_MAX) read.fail('to', `a ramp lasts at most ${RAMP_DAYS_MAX} days`);
      const growth = read.optionalChoice('growth', ['geometric', 'linear'] as const) ?? 'geometric';
      return {
        kind,
        name: read.optionalName('name') ?? 'ramp',
        fromMs,
        toMs,
        startPerDay: scaled(read.dailyRate('start')),
        endPerDay: scaled(read.dailyRate('end')),
        growth,
        overMs: read.optionalDuration('over') ?? 12 * HOUR_MS,
        segment: read.segment(),
        tenant: read.tenant(context.tenants),
      };
    }
    case 'spike': {
      const factor = read.number('factor');
      if (!(factor > 0 && factor <= 1000)) read.fail('factor', `must be more than 0 and at most 1000 (got ${factor})`);
      return { kind, atMs: read.time('at'), forMs: read.optionalDuration('for') ?? DAY_MS, factor };
    }
    case 'trap-injection':
      return {
        kind,
        atMs: read.time('at'),
        trapKind: read.choice('trapKind', TRAP_KINDS),
        count: scaled(read.count('count')),
      };
    case 'policy-change': {
      const receiver = read.receiver(context.receivers);
      read.issues.push(...context.validatePolicyChange(read.field('change'), `${read.base}.change`));
      return { kind, atMs: read.time('at'), receiver, change: (read.field('change') ?? {}) as Record<string, unknown> };
    }
    case 'outage':
      return {
        kind,
        atMs: read.time('at'),
        forMs: read.duration('for'),
        receiver: read.receiver(context.receivers),
        mode: read.optionalChoice('mode', ['connect-421', 'tempfail'] as const) ?? 'connect-421',
      };
    case 'pause':
      return { kind, atMs: read.time('at'), forMs: read.duration('for') };
  }
}

/** Reads one event's fields; a bad field records an issue and returns a harmless placeholder. */
class FieldReader {
  constructor(
    private readonly event: Record<string, unknown>,
    readonly base: string,
    readonly issues: ScenarioIssue[],
  ) {}

  has(key: string): boolean {
    return this.event[key] !== undefined;
  }

  field(key: string): unknown {
    return this.event[key];
  }

  fail(key: string, message: string): void {
    this.issues.push({ path: `${this.base}.${key}`, message });
  }

  time(key: string): Milliseconds {
    const value = this.duration(key);
    return value;
  }

  duration(key: string): Milliseconds {
    if (!this.has(key)) {
      this.fail(key, 'is required');
      return 0;
    }
    return this.optionalDuration(key) ?? 0;
  }

  optionalDuration(key: string): Milliseconds | undefined {
    const value = this.event[key];
    if (value === undefined) return undefined;
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 0) return value;
      this.fail(key, `must be a duration such as '2d' or whole milliseconds ≥ 0 (got ${value})`);
      return 0;
    }
    if (typeof value !== 'string') {
      this.fail(key, `must be a duration such as '2d' (got ${JSON.stringify(value)})`);
      return 0;
    }
    const read = readDuration(value);
    if (read.ok) return read.value;
    this.fail(key, read.message);
    return 0;
  }

  /** Messages per hour. */
  optionalRate(key: string): number | undefined {
    const value = this.event[key];
    if (value === undefined) return undefined;
    const rate = this.rateOf(key, value);
    return rate === undefined ? 0 : ratePer(rate, HOUR_MS);
  }

  dailyRate(key: string): number {
    const value = this.event[key];
    if (value === undefined) {
      this.fail(key, "is required (a daily rate such as '5000/d')");
      return 1;
    }
    const rate = this.rateOf(key, value);
    return rate === undefined ? 1 : ratePer(rate, DAY_MS);
  }

  private rateOf(key: string, value: unknown): { count: number; periodMs: number } | undefined {
    if (typeof value !== 'string') {
      this.fail(key, `must be a rate such as '2000/h' (got ${JSON.stringify(value)})`);
      return undefined;
    }
    const read = readRate(value);
    if (!read.ok) {
      this.fail(key, read.message);
      return undefined;
    }
    if (read.value.count <= 0) {
      this.fail(key, `must be more than 0 (got '${value}')`);
      return undefined;
    }
    return read.value;
  }

  number(key: string): number {
    const value = this.event[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.fail(key, value === undefined ? 'is required' : `must be a number (got ${JSON.stringify(value)})`);
    return 1;
  }

  count(key: string): number {
    const value = this.event[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 50_000_000) return value;
    this.fail(
      key,
      value === undefined
        ? 'is required'
        : `must be a whole number from 1 to 50,000,000 (got ${JSON.stringify(value)})`,
    );
    return 1;
  }

  optionalCount(key: string): number | undefined {
    return this.has(key) ? this.count(key) : undefined;
  }

  optionalName(key: string): string | undefined {
    const value = this.event[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.fail(key, `must be a non-empty text (got ${JSON.stringify(value)})`);
    return undefined;
  }

  choice<T extends string>(key: string, choices: readonly T[]): T {
    const value = this.event[key];
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    this.fail(
      key,
      value === undefined
        ? `is required (one of ${choices.join(', ')})`
        : `must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`,
    );
    return choices[0] as T;
  }

  optionalChoice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    return this.has(key) ? this.choice(key, choices) : undefined;
  }

  segment(): Segment {
    return this.optionalChoice('segment', SEGMENTS) ?? 'all';
  }

  tenant(tenants: readonly string[]): string | null {
    const value = this.event.tenant;
    if (value === undefined) return null;
    if (typeof value === 'string' && tenants.includes(value)) return value;
    this.fail(
      'tenant',
      `unknown tenant ${JSON.stringify(value)} (known under sender.tenants: ${tenants.join(', ') || 'none'})`,
    );
    return null;
  }

  receiver(receivers: readonly string[]): string {
    const value = this.event.receiver;
    if (typeof value === 'string' && receivers.includes(value)) return value;
    this.fail(
      'receiver',
      value === undefined
        ? 'is required'
        : `unknown receiver ${JSON.stringify(value)} (known: ${receivers.join(', ')})`,
    );
    return '';
  }
}
