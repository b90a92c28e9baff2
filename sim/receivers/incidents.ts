/**
 * Incidents a scenario's timeline puts on a receiver, at times on the run's clock:
 *
 * - an outage for a window [fromMs, untilMs): `connect-421`, the MX refuses every connection
 *   with the provider's own 421 (facts/responses.jsonl, label server-error) or RFC 5321's
 *   generic one; `tempfail`, it accepts connections and answers 451 4.3.0 to RCPT and DATA.
 *   The truth records `server-error` (TAXONOMY.md: a transient failure on the receiver's side);
 * - a policy change from `atMs` on, which stays: the receiver tightens or loosens rules the
 *   shared engine already runs (POLICY_CHANGE_KEYS).
 *
 * A receiver with nothing scheduled asks these questions and gets the profile's own answers,
 * with no draw from any stream, so a run without incidents is unchanged.
 */
import { DAY_MS, MINUTE_MS, reply } from '../../kernel/index.ts';
import type { EpochMs } from '../../kernel/index.ts';
import type { ReplyMaker } from './profile.ts';

export type OutageMode = 'connect-421' | 'tempfail';
export const OUTAGE_MODES: readonly OutageMode[] = ['connect-421', 'tempfail'];

/** What a policy change may set; every key is optional, an empty change changes nothing. */
export interface PolicyChange {
  /** Multiplies the hourly allowance (new-IP rate and best-reputation ceiling); 0.5 halves it. */
  readonly ratePerHourFactor?: number;
  /** Multiplies the simultaneous connections allowed per IP (at least one stays allowed). */
  readonly connectionsFactor?: number;
  /** Starts (true) or stops (false) greylisting new (IP, sender, recipient) triplets. */
  readonly greylisting?: boolean;
  /** What failing authentication gets from now on: an SMTP refusal, or the spam folder. */
  readonly authFailure?: 'reject' | 'spam';
}

export interface PolicyChangeKey {
  readonly key: keyof PolicyChange;
  readonly type: 'number' | 'boolean' | 'choice';
  /** For numbers: the inclusive range. */
  readonly min?: number;
  readonly max?: number;
  /** For choices: the values. */
  readonly values?: readonly string[];
  readonly meaning: string;
}

export const POLICY_CHANGE_KEYS: readonly PolicyChangeKey[] = [
  {
    key: 'ratePerHourFactor',
    type: 'number',
    min: 0.01,
    max: 100,
    meaning: 'multiplies the hourly allowance per IP (new-IP rate and ceiling)',
  },
  {
    key: 'connectionsFactor',
    type: 'number',
    min: 0.01,
    max: 100,
    meaning: 'multiplies the simultaneous connections per IP (never below 1)',
  },
  { key: 'greylisting', type: 'boolean', meaning: 'true starts greylisting new triplets, false stops it' },
  {
    key: 'authFailure',
    type: 'choice',
    values: ['reject', 'spam'],
    meaning: 'failing authentication is refused at SMTP, or filed as spam',
  },
];

export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Every problem of a policy change, each with its path (`timeline[2].change.ratePerHourFactor`). */
export function validatePolicyChange(input: unknown, path: string): ValidationIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [{ path, message: 'must be an object of changes' }];
  const issues: ValidationIssue[] = [];
  const entries = Object.entries(input as Record<string, unknown>);
  const known = POLICY_CHANGE_KEYS.map((spec) => spec.key as string);
  if (entries.length === 0) issues.push({ path, message: `must change at least one of ${known.join(', ')}` });
  for (const [key, value] of entries) {
    const spec = POLICY_CHANGE_KEYS.find((candidate) => candidate.key === key);
    const at = `${path}.${key}`;
    if (spec === undefined) {
      issues.push({ path: at, message: `unknown policy key '${key}' (known: ${known.join(', ')})` });
      continue;
    }
    if (spec.type === 'number') {
      const min = spec.min ?? -Infinity;
      const max = spec.max ?? Infinity;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        issues.push({ path: at, message: `must be a number from ${min} to ${max} (got ${JSON.stringify(value)})` });
      }
    } else if (spec.type === 'boolean') {
      if (typeof value !== 'boolean')
        issues.push({ path: at, message: `must be true or false (got ${JSON.stringify(value)})` });
    } else if (typeof value !== 'string' || !(spec.values ?? []).includes(value)) {
      issues.push({
        path: at,
        message: `must be one of ${(spec.values ?? []).join(', ')} (got ${JSON.stringify(value)})`,
      });
    }
  }
  return issues;
}

/** The rules in force at a moment: the profile's, with every change due by then applied. */
export interface PolicyInForce {
  readonly ratePerHourFactor: number;
  readonly connectionsFactor: number;
  /** null: the profile's own setting. */
  readonly greylisting: boolean | null;
  readonly authFailure: 'reject' | 'spam' | null;
}

const UNCHANGED: PolicyInForce = { ratePerHourFactor: 1, connectionsFactor: 1, greylisting: null, authFailure: null };

/** RFC 5321 §3.8's text, for providers whose own outage wording facts/ does not give. */
const GENERIC_OUTAGE: ReplyMaker = () => reply(421, '4.3.2', 'Service not available, closing transmission channel');

/**
 * Each provider's own connect-time 421 for a failure on its side (facts/responses.jsonl, label
 * server-error); Google Workspace shares Gmail's MX.
 */
const OUTAGE_REPLIES: Readonly<Record<string, ReplyMaker>> = {
  gmail: () => reply(421, '4.3.0', 'Temporary System Problem. Try again later.'),
  'google-workspace': () => reply(421, '4.3.0', 'Temporary System Problem. Try again later.'),
  yahoo: () => reply(421, null, 'Service not available, closing transmission channel'),
  orange: () =>
    reply(
      421,
      '4.2.0',
      'Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]',
    ),
  laposte: () =>
    reply(421, '4.2.1', 'Service refuse. Veuillez essayer plus tard. Service refused, please try later. LPN007_505'),
  mimecast: () => reply(421, null, 'Unable to process connection at this time'),
  barracuda: () => reply(421, null, 'Temporary failure, please try again later.'),
};

/** The receiver's 421 while it is down. */
export function outageReplyOf(receiverId: string): ReplyMaker {
  return OUTAGE_REPLIES[receiverId] ?? GENERIC_OUTAGE;
}

/** What a receiver in `tempfail` answers to RCPT and DATA. */
export const TEMPFAIL_REPLY: ReplyMaker = () => reply(451, '4.3.0', 'Temporary server error, please try again later');

/** Greylisting a policy change starts on a profile that has none. @assumption: Postgrey's defaults (5 min delay, 35 days memory). */
export const DEFAULT_GREYLIST = { delayMs: 5 * MINUTE_MS, memoryMs: 35 * DAY_MS } as const;
/** Its text. @assumption: Postgrey's own wording. */
export const DEFAULT_GREYLIST_REPLY: ReplyMaker = ({ recipient }) =>
  reply(
    450,
    '4.2.0',
    `<${recipient}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/`,
  );

interface ScheduledOutage {
  readonly fromMs: EpochMs;
  readonly untilMs: EpochMs;
  readonly mode: OutageMode;
}

/** One receiver's incidents, asked by its engine at every decision they can change. */
export class ReceiverIncidents {
  private readonly outages: ScheduledOutage[] = [];
  /** Changes in time order; `inForce` folds those due by a moment. */
  private readonly changes: { readonly atMs: EpochMs; readonly change: PolicyChange }[] = [];

  constructor(readonly receiverId: string) {}

  scheduleOutage(fromMs: EpochMs, untilMs: EpochMs, mode: OutageMode): void {
    if (!Number.isFinite(fromMs) || !Number.isFinite(untilMs) || !(untilMs > fromMs)) {
      throw new RangeError(
        `outage of ${this.receiverId}: untilMs (${untilMs}) must be a time after fromMs (${fromMs})`,
      );
    }
    if (!OUTAGE_MODES.includes(mode))
      throw new RangeError(
        `outage of ${this.receiverId}: mode must be one of ${OUTAGE_MODES.join(', ')} (got ${JSON.stringify(mode)})`,
      );
    this.outages.push({ fromMs, untilMs, mode });
  }

  changePolicy(atMs: EpochMs, change: PolicyChange): void {
    if (!Number.isFinite(atMs))
      throw new RangeError(`policy change of ${this.receiverId}: atMs must be a time (got ${atMs})`);
    const issues = validatePolicyChange(change, 'change');
    if (issues.length > 0)
      throw new RangeError(
        `policy change of ${this.receiverId}: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
      );
    this.changes.push({ atMs, change });
    // Stable: two changes at the same time apply in the order they were given.
    this.changes.sort((left, right) => left.atMs - right.atMs);
  }

  /** The outage mode in force at `nowMs`, or null when the receiver is up. */
  outageAt(nowMs: EpochMs): OutageMode | null {
    for (const outage of this.outages) if (nowMs >= outage.fromMs && nowMs < outage.untilMs) return outage.mode;
    return null;
  }

  policyAt(nowMs: EpochMs): PolicyInForce {
    if (this.changes.length === 0) return UNCHANGED;
    let policy = UNCHANGED;
    for (const { atMs, change } of this.changes) {
      if (atMs > nowMs) break;
      policy = {
        ratePerHourFactor: change.ratePerHourFactor ?? policy.ratePerHourFactor,
        connectionsFactor: change.connectionsFactor ?? policy.connectionsFactor,
        greylisting: change.greylisting ?? policy.greylisting,
        authFailure: change.authFailure ?? policy.authFailure,
      };
    }
    return policy;
  }
}

export interface OutageRequest {
  /** A provider or gateway family id (INCIDENT_RECEIVER_IDS, incident-receivers.ts). */
  readonly receiver: string;
  readonly fromMs: EpochMs;
  readonly untilMs: EpochMs;
  /** @defaultValue 'connect-421' */
  readonly mode?: OutageMode;
}

export interface PolicyChangeRequest {
  readonly receiver: string;
  readonly atMs: EpochMs;
  readonly change: PolicyChange;
}

/** The fleet's incidents, by receiver id: what the runner schedules from a timeline. */
export class WorldIncidents {
  constructor(private readonly byReceiver: ReadonlyMap<string, ReceiverIncidents>) {}

  scheduleOutage(request: OutageRequest): void {
    this.of(request.receiver).scheduleOutage(request.fromMs, request.untilMs, request.mode ?? 'connect-421');
  }

  changePolicy(request: PolicyChangeRequest): void {
    this.of(request.receiver).changePolicy(request.atMs, request.change);
  }

  private of(receiverId: string): ReceiverIncidents {
    const incidents = this.byReceiver.get(receiverId);
    if (incidents === undefined)
      throw new RangeError(
        `no receiver '${receiverId}' can have incidents (known: ${[...this.byReceiver.keys()].join(', ')})`,
      );
    return incidents;
  }
}
