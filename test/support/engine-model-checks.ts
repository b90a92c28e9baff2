/**
 * The invariants of the engine's model-based tests, checked over the world log (world-log.ts).
 * Each check is a pure function of the log and returns what it found wrong, in words that name
 * the recipient, the instance and the rule; an empty list means the log is clean. Together they
 * say what DESIGN rule 7 and the shaping configuration promise:
 * - per engine instance, one final record per recipient it was given, and nothing after it;
 * - a crash loses nothing acknowledged: the spool recovers every recipient without a final
 *   mark and none with a durable one, each is re-injected as a redelivery (as many redelivered
 *   Receptions as `recoveredRecipients`), and only they may be tried or finished again;
 * - every final record falls within the message's lifetime (not before it unless the last
 *   attempt that fitted was made), and no attempt goes out after it;
 * - connection limits (path, provider, source), messages per connection, recipients per
 *   transaction and GCRA rates (path, provider, source, connections) hold on the wire;
 * - no attempt goes out on a path while a suspension covering it is in force.
 * Known engine bugs are reported by their own functions (`lateExpirations`, `emptyConnections`,
 * `marksLostWithTheirSegment`) so that a test can list them apart until they are fixed.
 */
import { isAttemptRecord, isFinalRecord, isRecipientRecord } from '../../mta-under-test/accounting.ts';
import type { AccountingRecord, PathScope } from '../../mta-under-test/accounting.ts';
import type { EpochMs, Milliseconds } from '../../kernel/clock/clock.ts';
import type { RateLimit, WorldLimits } from './engine-world-shape.ts';
import { recipientKey } from './world-log.ts';
import type { Logged, WorldEvent, WorldLog } from './world-log.ts';

export interface CheckContext {
  readonly limits: WorldLimits;
  readonly expiryMs: Milliseconds;
  readonly providerOf: (site: string) => string | null;
  /**
   * What a late Expiration is: a failure, or a known engine bug to list apart (`lateExpirations`)
   * — a delivery queued behind the head of a rate-limited ready queue expires only once it
   * reaches the head. An attempt after the lifetime, or a late Delivery or Bounce, always fails.
   */
  readonly lateExpiration: 'fail' | 'list-apart';
}

/** Every invariant that holds at any moment of a run. */
export function checkWorld(log: WorldLog, context: CheckContext): string[] {
  return [
    ...checkLifecycles(log).problems,
    ...checkRecovery(log),
    ...checkRedeliveries(log),
    ...checkExpiry(log, context.expiryMs).problems.filter(
      (problem) => context.lateExpiration === 'fail' || !problem.includes(LATE_EXPIRATION),
    ),
    ...checkAttemptsWithinLifetime(log, context.expiryMs),
    ...checkConnections(log, context),
    ...checkRates(log, context),
    ...checkDuplicates(log),
    ...checkSuspensions(log, context),
  ];
}

/** The recipients an instance was given and has not yet finished, by instance. */
export function openRecipients(log: WorldLog): ReadonlyMap<number, ReadonlySet<string>> {
  return checkLifecycles(log).open;
}

/** What must hold once the live engine is idle: every recipient ever enqueued has its final record. */
export function checkEnd(log: WorldLog, liveInstance: number): string[] {
  const problems: string[] = [];
  const open = openRecipients(log).get(liveInstance) ?? new Set();
  for (const key of open) problems.push(`${key}: never got a final record from the live instance ${liveInstance}`);
  const finals = new Set(
    log
      .of('record')
      .flatMap(({ record }) => (isFinalRecord(record) ? [recipientKey(record.messageId, record.recipient)] : [])),
  );
  for (const event of log.of('enqueue')) {
    for (const recipient of event.recipients) {
      const key = recipientKey(event.id, recipient);
      if (!finals.has(key))
        problems.push(`${key}: acknowledged (enqueued) but no instance ever gave it a final record`);
    }
  }
  return problems;
}

// ── one final record per instance, nothing after it ──────────────────────────────────────

function checkLifecycles(log: WorldLog): { problems: string[]; open: Map<number, Set<string>> } {
  const problems: string[] = [];
  const state = new Map<string, 'open' | 'final'>();
  const open = new Map<number, Set<string>>();
  for (const { instance, record, seq } of log.of('record')) {
    if (!isRecipientRecord(record)) continue;
    const key = recipientKey(record.messageId, record.recipient);
    const scoped = `${instance}|${key}`;
    const openHere = open.get(instance) ?? new Set<string>();
    open.set(instance, openHere);
    if (record.type === 'Reception') {
      if (state.has(scoped)) problems.push(`#${seq} ${key}: a second Reception in instance ${instance}`);
      state.set(scoped, 'open');
      openHere.add(key);
      continue;
    }
    const current = state.get(scoped);
    if (current === undefined)
      problems.push(`#${seq} ${key}: ${record.type} from instance ${instance}, which never received it`);
    else if (current === 'final')
      problems.push(`#${seq} ${key}: ${record.type} from instance ${instance} after its final record`);
    if (isFinalRecord(record)) {
      state.set(scoped, 'final');
      openHere.delete(key);
    }
  }
  return { problems, open };
}

// ── nothing acknowledged is lost ─────────────────────────────────────────────────────────

/**
 * What the spool must recover at each restart, from the harness's own enqueues, final marks and
 * fsyncs: a recipient never marked final must be recovered (else it is lost); one whose mark was
 * durable must not be. One whose mark was not yet durable should be recovered (DURABILITY.md §2,
 * at-least-once) — but the spool deletes a segment as soon as its messages are final in memory
 * (`reclaim` after `markFinal`), before those marks are fsynced, so after a crash such a
 * recipient may be gone instead. That loses nothing (it had its final record) and is reported by
 * `marksLostWithTheirSegment`, not here.
 */
function checkRecovery(log: WorldLog): string[] {
  return replaySpool(log).problems;
}

/** Recipients whose unsynced final mark was lost in a crash and who were not recovered either. */
export function marksLostWithTheirSegment(log: WorldLog): string[] {
  return replaySpool(log).notRecovered;
}

type SpoolState = 'pending' | 'marked' | 'durable' | 'mark-lost';

function replaySpool(log: WorldLog): { problems: string[]; notRecovered: string[] } {
  const problems: string[] = [];
  const notRecovered: string[] = [];
  const state = new Map<string, SpoolState>();
  for (const event of log.events) {
    if (event.kind === 'enqueue')
      for (const recipient of event.recipients) state.set(recipientKey(event.id, recipient), 'pending');
    else if (event.kind === 'mark') {
      const key = recipientKey(event.id, event.recipient);
      if (state.get(key) === 'pending') state.set(key, 'marked');
    } else if (event.kind === 'sync' || event.kind === 'crash') {
      for (const [key, value] of state)
        if (value === 'marked') state.set(key, event.kind === 'sync' ? 'durable' : 'mark-lost');
    } else if (event.kind === 'restart') {
      const recovered = new Set(
        event.recovered.flatMap(({ id, pending }) => pending.map((recipient) => recipientKey(id, recipient))),
      );
      for (const [key, value] of state) {
        const isRecovered = recovered.has(key);
        if (value === 'pending' && !isRecovered)
          problems.push(
            `#${event.seq} ${key}: acknowledged, never final, but not recovered at the restart into instance ${event.instance} (lost)`,
          );
        if (value === 'durable' && isRecovered)
          problems.push(
            `#${event.seq} ${key}: recovered at the restart into instance ${event.instance} although its final mark was durable`,
          );
        if (value === 'mark-lost' && !isRecovered) notRecovered.push(`#${event.seq} ${key}`);
        if (value !== 'durable') state.set(key, isRecovered ? 'pending' : 'durable');
      }
      for (const key of recovered)
        if (!state.has(key))
          problems.push(
            `#${event.seq} ${key}: recovered at the restart into instance ${event.instance}, but never enqueued`,
          );
      if (event.recoveredRecipients !== recovered.size)
        problems.push(
          `#${event.seq} the spool's stats().recoveredRecipients is ${event.recoveredRecipients}, but it recovered ${recovered.size} recipients`,
        );
    }
  }
  return { problems, notRecovered };
}

function checkRedeliveries(log: WorldLog): string[] {
  const problems: string[] = [];
  const recoveredBy = new Map<number, Set<string>>();
  let recoveredTotal = 0;
  for (const restart of log.of('restart')) {
    recoveredTotal += restart.recoveredRecipients;
    recoveredBy.set(
      restart.instance,
      new Set(restart.recovered.flatMap(({ id, pending }) => pending.map((recipient) => recipientKey(id, recipient)))),
    );
  }
  let redeliveries = 0;
  const redelivered = new Map<number, Set<string>>();
  for (const { instance, record, seq } of log.of('record')) {
    if (record.type !== 'Reception' || record.redelivery !== true) continue;
    redeliveries++;
    const key = recipientKey(record.messageId, record.recipient);
    if (recoveredBy.get(instance)?.has(key) !== true)
      problems.push(`#${seq} ${key}: a Reception with redelivery in instance ${instance}, which did not recover it`);
    redelivered.set(instance, (redelivered.get(instance) ?? new Set()).add(key));
  }
  for (const [instance, keys] of recoveredBy)
    for (const key of keys)
      if (redelivered.get(instance)?.has(key) !== true)
        problems.push(`${key}: recovered for instance ${instance} but never re-injected as a redelivery`);
  if (redeliveries !== recoveredTotal)
    problems.push(
      `${redeliveries} Reception records with redelivery, but the spools recovered ${recoveredTotal} recipients`,
    );
  return problems;
}

// ── lifetime ─────────────────────────────────────────────────────────────────────────────

/**
 * Final within the lifetime: between reception and reception + expiry. A recipient recovered
 * after a crash may be re-injected after its lifetime ran out (its first Expiration's mark was
 * not durable yet); it must then expire at once, at its redelivery, without an attempt.
 */
const LATE_EXPIRATION = 'Expiration after its lifetime';

/** Expirations recorded after the message's lifetime had run out (the known ready-queue bug). */
export function lateExpirations(log: WorldLog, expiryMs: Milliseconds): string[] {
  return checkExpiry(log, expiryMs).problems.filter((problem) => problem.includes(LATE_EXPIRATION));
}

function checkExpiry(log: WorldLog, expiryMs: Milliseconds): { problems: string[] } {
  const problems: string[] = [];
  const receivedAt = new Map(log.of('enqueue').map((event) => [event.id, event.receivedAtMs]));
  const redeliveredAt = new Map<string, EpochMs>();
  const lastRecord = new Map<string, AccountingRecord>();
  for (const { instance, record, seq } of log.of('record')) {
    if (!isRecipientRecord(record)) continue;
    const key = recipientKey(record.messageId, record.recipient);
    const previous = lastRecord.get(`${instance}|${key}`);
    lastRecord.set(`${instance}|${key}`, record);
    if (record.type === 'Reception' && record.redelivery === true) redeliveredAt.set(`${instance}|${key}`, record.atMs);
    if (!isFinalRecord(record)) continue;
    const startMs = receivedAt.get(record.messageId);
    if (startMs === undefined) continue;
    const lateStartMs = redeliveredAt.get(`${instance}|${key}`);
    if (lateStartMs !== undefined && lateStartMs > startMs + expiryMs) {
      if (record.type !== 'Expiration' || record.atMs !== lateStartMs)
        problems.push(
          `#${seq} ${key}: redelivered after its lifetime, then ${record.type} at +${formatOffset(record.atMs - lateStartMs)} after the redelivery instead of an Expiration at once`,
        );
      continue;
    }
    if (record.type === 'Expiration' && record.atMs > startMs + expiryMs) {
      problems.push(
        `#${seq} ${key}: ${LATE_EXPIRATION}, at +${formatOffset(record.atMs - startMs)} (lifetime ${formatOffset(expiryMs)})`,
      );
    } else if (record.atMs < startMs || record.atMs > startMs + expiryMs) {
      problems.push(
        `#${seq} ${key}: ${record.type} at +${formatOffset(record.atMs - startMs)}, outside its lifetime of ${formatOffset(expiryMs)}`,
      );
    }
    // Expired early only when the attempt just made was the last one that fit.
    const lastAttemptFit =
      previous?.type === 'TransientFailure' &&
      previous.atMs === record.atMs &&
      previous.nextAttemptAtMs > startMs + expiryMs;
    if (record.type === 'Expiration' && record.atMs < startMs + expiryMs && !lastAttemptFit) {
      problems.push(
        `#${seq} ${key}: expired at +${formatOffset(record.atMs - startMs)}, before its lifetime of ${formatOffset(expiryMs)} ran out`,
      );
    }
  }
  return { problems };
}

/** No transaction carries a recipient, and no attempt is recorded, once its lifetime is over. */
function checkAttemptsWithinLifetime(log: WorldLog, expiryMs: Milliseconds): string[] {
  const problems: string[] = [];
  const endOf = new Map(log.of('enqueue').map((event) => [event.id, event.receivedAtMs + expiryMs]));
  for (const event of log.events) {
    if (event.kind === 'send') {
      const endMs = endOf.get(event.messageId);
      if (endMs !== undefined && event.atMs >= endMs)
        problems.push(
          `#${event.seq} ${event.messageId}: a transaction ${formatOffset(event.atMs - endMs)} after the message's lifetime ended`,
        );
    } else if (event.kind === 'record' && isAttemptRecord(event.record)) {
      const endMs = endOf.get(event.record.messageId);
      if (endMs !== undefined && event.record.atMs >= endMs)
        problems.push(
          `#${event.seq} ${recipientKey(event.record.messageId, event.record.recipient)}: ${event.record.type} ${formatOffset(event.record.atMs - endMs)} after its lifetime ended`,
        );
    }
  }
  return problems;
}

// ── shaping on the wire ──────────────────────────────────────────────────────────────────

function checkConnections(log: WorldLog, context: CheckContext): string[] {
  const problems: string[] = [];
  const { limits } = context;
  const openBy = new Map<string, number>();
  const scopesOf = new Map<number, { keys: string[]; sends: number }>();
  const bump = (key: string, by: number): number => {
    const count = (openBy.get(key) ?? 0) + by;
    openBy.set(key, count);
    return count;
  };
  for (const event of log.events) {
    if (event.kind === 'connect' && event.outcome === 'open') {
      const provider = context.providerOf(event.site);
      const scoped: [string, number | null][] = [
        [`path ${event.source}->${event.site}`, limits.connectionLimit(event.source)],
        [`source ${event.source}`, limits.sourceConnectionLimit],
        ...(provider === null
          ? []
          : ([[`provider ${event.source}|${provider}`, limits.providerConnectionLimit]] as [string, number][])),
      ];
      scopesOf.set(event.connection, { keys: scoped.map(([key]) => key), sends: 0 });
      for (const [key, limit] of scoped) {
        const count = bump(key, 1);
        if (limit !== null && count > limit)
          problems.push(`#${event.seq} ${count} connections open at once on ${key} (limit ${limit})`);
      }
    } else if (event.kind === 'close') {
      for (const key of scopesOf.get(event.connection)?.keys ?? []) bump(key, -1);
      scopesOf.delete(event.connection);
    } else if (event.kind === 'send') {
      const connection = scopesOf.get(event.connection);
      if (connection === undefined) {
        problems.push(`#${event.seq} a transaction on connection ${event.connection}, which is not open`);
        continue;
      }
      connection.sends++;
      if (connection.sends > limits.maxDeliveriesPerConnection)
        problems.push(
          `#${event.seq} message ${connection.sends} on connection ${event.connection} (maxDeliveriesPerConnection ${limits.maxDeliveriesPerConnection})`,
        );
      if (event.answers.length > limits.maxRecipientsPerMessage)
        problems.push(
          `#${event.seq} ${event.answers.length} recipients in one transaction (maxRecipientsPerMessage ${limits.maxRecipientsPerMessage})`,
        );
    }
  }
  return problems;
}

function checkRates(log: WorldLog, context: CheckContext): string[] {
  const groups = new Map<string, { limit: RateLimit; times: { atMs: EpochMs; seq: number }[] }>();
  const add = (key: string, limit: RateLimit | null, atMs: EpochMs, seq: number): void => {
    if (limit === null) return;
    const group = groups.get(key) ?? { limit, times: [] };
    group.times.push({ atMs, seq });
    groups.set(key, group);
  };
  for (const event of log.events) {
    if (event.kind === 'send') {
      const provider = context.providerOf(event.site);
      add(
        `instance ${event.instance} messages ${event.source}->${event.site}`,
        context.limits.messageRate(event.source, event.site),
        event.atMs,
        event.seq,
      );
      if (provider !== null)
        add(
          `instance ${event.instance} messages ${event.source}|${provider}`,
          context.limits.providerMessageRate,
          event.atMs,
          event.seq,
        );
      add(
        `instance ${event.instance} messages from ${event.source}`,
        context.limits.sourceMessageRate(event.source),
        event.atMs,
        event.seq,
      );
    } else if (event.kind === 'connect') {
      add(
        `instance ${event.instance} connections ${event.source}->${event.site}`,
        context.limits.connectionRate,
        event.atMs,
        event.seq,
      );
    }
  }
  const problems: string[] = [];
  for (const [key, { limit, times }] of groups) {
    const problem = firstRateExcess(times, limit);
    if (problem !== null) problems.push(`${key}: ${problem}`);
  }
  return problems;
}

/** GCRA's promise: in any window of W ms, at most burst + count × W / perMs events. */
function firstRateExcess(times: readonly { atMs: EpochMs; seq: number }[], limit: RateLimit): string | null {
  for (let last = 0; last < times.length; last++) {
    for (let first = 0; first < last; first++) {
      const events = last - first + 1;
      const windowMs = (times[last]?.atMs ?? 0) - (times[first]?.atMs ?? 0);
      if ((events - limit.burst) * limit.perMs > windowMs * limit.count) {
        return `${events} events in ${windowMs} ms (#${times[first]?.seq}..#${times[last]?.seq}), over ${limit.count}/${limit.perMs} ms with burst ${limit.burst}`;
      }
    }
  }
  return null;
}

/**
 * Connections the engine opened and closed again without sending anything. A path whose ready
 * queue waits for its message rate opens connections, parks them, closes them at the idle
 * timeout and opens new ones at once, for as long as the rate wait lasts (a known engine bug:
 * connection churn a receiver sees as a flood). Listed apart, one entry per such connection.
 */
export function emptyConnections(log: WorldLog): string[] {
  const sends = new Map<number, number>();
  const opened = new Map<number, Logged<Extract<WorldEvent, { kind: 'connect' }>>>();
  const empty: string[] = [];
  for (const event of log.events) {
    if (event.kind === 'connect' && event.outcome === 'open') opened.set(event.connection, event);
    else if (event.kind === 'send') sends.set(event.connection, (sends.get(event.connection) ?? 0) + 1);
    else if (event.kind === 'close' && event.by === 'engine' && (sends.get(event.connection) ?? 0) === 0) {
      const connect = opened.get(event.connection);
      empty.push(
        `#${event.seq} connection ${event.connection} ${connect?.source ?? '?'}->${connect?.site ?? '?'} closed unused after ${formatOffset(event.atMs - (connect?.atMs ?? event.atMs))}`,
      );
    }
  }
  return empty;
}

// ── duplicates only after a recovery ─────────────────────────────────────────────────────

function checkDuplicates(log: WorldLog): string[] {
  const problems: string[] = [];
  const done = new Map<string, string>();
  const finals = new Map<string, number>();
  const recoveries = new Map<string, number>();
  for (const event of log.events) {
    if (event.kind === 'send') {
      for (const { recipient, answer } of event.answers) {
        const key = recipientKey(event.messageId, recipient);
        const why = done.get(key);
        if (why !== undefined)
          problems.push(
            `#${event.seq} ${key}: attempted again by instance ${event.instance} after ${why}, without a crash recovery in between`,
          );
        if (answer === 'accept' || answer === 'reject') done.set(key, `the receiver's ${answer} at #${event.seq}`);
      }
    } else if (event.kind === 'record' && isFinalRecord(event.record)) {
      const key = recipientKey(event.record.messageId, event.record.recipient);
      done.set(key, `its ${event.record.type} record at #${event.seq}`);
      const count = (finals.get(key) ?? 0) + 1;
      finals.set(key, count);
      if (count > 1 + (recoveries.get(key) ?? 0))
        problems.push(
          `#${event.seq} ${key}: final record number ${count} (${event.record.type}) after only ${recoveries.get(key) ?? 0} recoveries`,
        );
    } else if (event.kind === 'restart') {
      for (const { id, pending } of event.recovered) {
        for (const recipient of pending) {
          const key = recipientKey(id, recipient);
          done.delete(key);
          recoveries.set(key, (recoveries.get(key) ?? 0) + 1);
        }
      }
    }
  }
  return problems;
}

// ── suspensions ──────────────────────────────────────────────────────────────────────────

function scopeKey(scope: PathScope): string {
  if (scope.site !== undefined) return `${scope.source}->${scope.site}`;
  if (scope.provider !== undefined) return `${scope.source}|${scope.provider}`;
  return scope.source;
}

function coveringKeys(source: string, site: string, provider: string | null): string[] {
  return [`${source}->${site}`, `*->${site}`, source, ...(provider === null ? [] : [`${source}|${provider}`])];
}

/**
 * Two views of "suspended": the engine's own Suspend and Resume records (back-off holds, the
 * policy's and the operator's), and the operator's commands as the harness gave them, which
 * end with a resume, their time, or the instance's crash.
 */
function checkSuspensions(log: WorldLog, context: CheckContext): string[] {
  const problems: string[] = [];
  const recorded = new Map<string, EpochMs>();
  const ordered = new Map<string, EpochMs>();
  for (const event of log.events) {
    if (event.kind === 'record' && (event.record.type === 'Suspend' || event.record.type === 'Resume')) {
      const key = `${event.instance}|${scopeKey(event.record.scope)}`;
      if (event.record.type === 'Suspend') recorded.set(key, event.record.untilMs);
      else recorded.delete(key);
    } else if (event.kind === 'operator' && event.ok) {
      const key = `${event.instance}|${scopeKey(event.scope)}`;
      if (event.action === 'suspend' && event.untilMs !== null)
        ordered.set(key, Math.max(ordered.get(key) ?? 0, event.untilMs));
      else ordered.delete(key);
    } else if (event.kind === 'crash') {
      for (const key of [...ordered.keys()]) if (key.startsWith(`${event.instance}|`)) ordered.delete(key);
    } else if (event.kind === 'connect' || event.kind === 'send') {
      for (const scope of coveringKeys(event.source, event.site, context.providerOf(event.site))) {
        const key = `${event.instance}|${scope}`;
        const what = event.kind === 'connect' ? 'a connection' : `a transaction for ${event.messageId}`;
        const recordedUntil = recorded.get(key);
        if (recordedUntil !== undefined && event.atMs < recordedUntil)
          problems.push(
            `#${event.seq} ${what} on ${event.source}->${event.site} while the engine's records say ${scope} is suspended until +${formatOffset(recordedUntil - event.atMs)}`,
          );
        const orderedUntil = ordered.get(key);
        if (orderedUntil !== undefined && event.atMs < orderedUntil)
          problems.push(
            `#${event.seq} ${what} on ${event.source}->${event.site} while an operator's suspension of ${scope} has ${formatOffset(orderedUntil - event.atMs)} to run`,
          );
      }
    }
  }
  return problems;
}

function formatOffset(ms: Milliseconds): string {
  if (Math.abs(ms) >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${ms} ms`;
}
