/**
 * Model-based tests of the reference engine in sim mode (STYLE §1.2, §2.8; DESIGN rules 1 and 7).
 * fast-check draws a sequence of commands — inject a message, advance the clock, a receiving
 * site turns hostile or recovers, an operator suspends or resumes a path, a site or a source, the
 * engine crashes and restarts from its durable spool — and runs it against the real engine, a
 * real `Spool` in a temporary directory and an instrumented transport (test/support/engine-world.ts).
 * After every command, and again once the clock has run the engine to idle, the world log must
 * satisfy every invariant of test/support/engine-model-checks.ts: nothing acknowledged is lost,
 * one final record per recipient per engine instance and nothing after it, every message final
 * within its lifetime, connection limits and message rates never exceeded on the wire, no attempt
 * on a suspended path, and duplicates only for recipients recovered after a crash (as many
 * redelivered Receptions as the spool recovered).
 *
 * The model is what the harness asked for (site modes, operator suspensions, crashes); what the
 * engine must have done is checked from the log, not predicted. Seed and runs come from
 * MAILBENCH_TEST_SEED and MAILBENCH_MODEL_RUNS; the seed is in the title, and fast-check prints
 * it with the shrunk command list on failure.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { testSeed } from '../support/test-seed.ts';
import type { SuspendTarget } from '../../mta-under-test/reference/core/admin-view.ts';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../kernel/clock/clock.ts';
import {
  checkEnd,
  checkWorld,
  emptyConnections,
  lateExpirations,
  marksLostWithTheirSegment,
  openRecipients,
} from '../support/engine-model-checks.ts';
import type { CheckContext } from '../support/engine-model-checks.ts';
import { EngineWorld, scopeOfTarget } from '../support/engine-world.ts';
import type { ModelMessage } from '../support/engine-world.ts';
import {
  DOMAINS,
  EXPIRY_MS,
  LIMITS,
  POOLS,
  SITES,
  SITE_IDS,
  SOURCES,
  TENANTS,
  providerOfSite,
} from '../support/engine-world-shape.ts';
import type { SiteId } from '../support/engine-world-shape.ts';
import { SITE_MODES } from '../support/site-transport.ts';
import type { SiteMode } from '../support/site-transport.ts';
import type { CrashKind } from '../support/world-log.ts';

const SEED = testSeed(20_261_201);
const RUNS = Number(process.env['MAILBENCH_MODEL_RUNS'] ?? 100);
const MAX_COMMANDS = Number(process.env['MAILBENCH_MODEL_COMMANDS'] ?? 30);
/** A passing run takes a few seconds; this bounds a failing one's search for a smaller case. */
const SHRINK_TIME_LIMIT_MS = 120_000;
/** Crashes per run at most, so a run stays short. */
const MAX_CRASHES = 3;

interface EngineModel {
  nowMs: number;
  crashes: number;
  readonly modes: Map<SiteId, SiteMode>;
  /** The operator's suspensions in force, by scope, until when; a crash forgets them. */
  readonly suspended: Map<string, { readonly named: NamedTarget; readonly untilMs: number }>;
}

type EngineCommand = fc.AsyncCommand<EngineModel, EngineWorld>;

/**
 * Engine bugs this model found, now fixed, and failed on like any invariant:
 * - `late-expiration`: a delivery queued behind the head of a rate-limited ready queue expired
 *   only when it reached the head;
 * - `empty-connections`: a path waiting for its message rate opened, parked and closed
 *   connections at every idle timeout without sending on them;
 * - `marks-lost-with-segment`: the spool reclaimed a segment on final marks that were not yet
 *   durable, against DURABILITY.md §2.
 * MAILBENCH_MODEL_LENIENT (a comma list of these names) lists one apart instead of failing, to
 * look at a regression's other effects.
 */
const LENIENT = new Set((process.env['MAILBENCH_MODEL_LENIENT'] ?? '').split(',').filter((name) => name !== ''));
const isStrict = (name: string): boolean => !LENIENT.has(name);
const CONTEXT: CheckContext = {
  limits: LIMITS,
  expiryMs: EXPIRY_MS,
  providerOf: providerOfSite,
  lateExpiration: isStrict('late-expiration') ? 'fail' : 'list-apart',
};

/** The known deviations in a log, by name. */
function knownDeviations(world: EngineWorld): Record<string, readonly string[]> {
  return {
    'late-expiration': lateExpirations(world.log, EXPIRY_MS),
    'empty-connections': emptyConnections(world.log),
    'marks-lost-with-segment': marksLostWithTheirSegment(world.log),
  };
}

/** Every invariant over the log so far, and the engine's own counts against it. */
function expectClean(model: EngineModel, world: EngineWorld): void {
  model.nowMs = world.scheduler.now();
  expect(checkWorld(world.log, CONTEXT)).toEqual([]);
  const open = openRecipients(world.log).get(world.instance)?.size ?? 0;
  const { engine } = world;
  const stats = engine.stats;
  const snapshot = engine.snapshot();
  const listed =
    snapshot.scheduled.reduce((sum, queue) => sum + queue.recipients, 0) +
    snapshot.ready.reduce((sum, path) => sum + path.ready, 0);
  // Between commands nothing is in flight: every recipient not yet final waits in a queue the snapshot lists.
  expect({
    notFinal: stats.injected - stats.final,
    queued: stats.queued,
    listed,
    inFlight: engine.metrics().recipientsInFlight,
    idle: engine.idle,
  }).toEqual({
    notFinal: open,
    queued: open,
    listed: open,
    inFlight: 0,
    idle: open === 0,
  });
}

function formatDuration(ms: number): string {
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS}m`;
  return `${ms / SECOND_MS}s`;
}

// ── commands ─────────────────────────────────────────────────────────────────────────────

/** A batch of messages at the front door: one spool enqueue (one fsync), then each into the engine. */
class InjectCommand implements EngineCommand {
  constructor(readonly messages: readonly ModelMessage[]) {}
  check = (): boolean => true;
  async run(model: EngineModel, world: EngineWorld): Promise<void> {
    await world.inject(this.messages);
    expectClean(model, world);
  }
  toString(): string {
    return `inject(${this.messages.map(describeMessage).join('; ')})`;
  }
}

function describeMessage(message: ModelMessage): string {
  const owner = Object.entries(message.owner).map(([key, value]) => `${key}=${String(value)}`);
  return `${message.recipients.join(' ')}${owner.length === 0 ? '' : ` [${owner.join(' ')}]`}`;
}

class AdvanceCommand implements EngineCommand {
  constructor(readonly byMs: number) {}
  check = (): boolean => true;
  async run(model: EngineModel, world: EngineWorld): Promise<void> {
    await world.runUntil(world.scheduler.now() + this.byMs);
    expectClean(model, world);
  }
  toString(): string {
    return `advance(+${formatDuration(this.byMs)})`;
  }
}

class HostileCommand implements EngineCommand {
  constructor(
    readonly site: SiteId,
    readonly mode: SiteMode,
  ) {}
  check = (model: Readonly<EngineModel>): boolean => (model.modes.get(this.site) ?? 'accept') !== this.mode;
  run(model: EngineModel, world: EngineWorld): Promise<void> {
    world.setMode(SITES[this.site].site, this.mode);
    model.modes.set(this.site, this.mode);
    expectClean(model, world);
    return Promise.resolve();
  }
  toString(): string {
    return this.mode === 'accept' ? `recover(${this.site})` : `hostile(${this.site}: ${this.mode})`;
  }
}

/** A suspend target with the name it is shown under. */
interface NamedTarget {
  readonly target: SuspendTarget;
  readonly label: string;
}

class SuspendCommand implements EngineCommand {
  constructor(
    readonly named: NamedTarget,
    readonly durationMs: number,
  ) {}
  check = (): boolean => true;
  run(model: EngineModel, world: EngineWorld): Promise<void> {
    const result = world.suspend(this.named.target, this.durationMs);
    expect(result).toMatchObject({ ok: true });
    const key = scopeKeyOf(this.named.target);
    model.suspended.set(key, {
      named: this.named,
      untilMs: Math.max(model.suspended.get(key)?.untilMs ?? 0, world.scheduler.now() + this.durationMs),
    });
    expectClean(model, world);
    return Promise.resolve();
  }
  toString(): string {
    return `suspend(${this.named.label}, ${formatDuration(this.durationMs)})`;
  }
}

/** Resumes one of the operator's suspensions in force: the `pick`-th, in scope order. */
class ResumeCommand implements EngineCommand {
  private resumed = '?';
  constructor(readonly pick: number) {}
  check = (model: Readonly<EngineModel>): boolean => activeSuspensions(model).length > 0;
  run(model: EngineModel, world: EngineWorld): Promise<void> {
    const active = activeSuspensions(model);
    const chosen = active[this.pick % active.length];
    if (chosen === undefined) throw new Error('no suspension to resume');
    this.resumed = chosen.named.label;
    const result = world.resume(chosen.named.target);
    expect(result).toMatchObject({ ok: true });
    model.suspended.delete(chosen.key);
    expectClean(model, world);
    return Promise.resolve();
  }
  toString(): string {
    return `resume(${this.resumed})`;
  }
}

function activeSuspensions(model: Readonly<EngineModel>): { key: string; named: NamedTarget }[] {
  return [...model.suspended]
    .filter(([, entry]) => entry.untilMs > model.nowMs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, entry]) => ({ key, named: entry.named }));
}

class CrashCommand implements EngineCommand {
  constructor(readonly kind: CrashKind) {}
  check = (model: Readonly<EngineModel>): boolean => model.crashes < MAX_CRASHES;
  async run(model: EngineModel, world: EngineWorld): Promise<void> {
    await world.crash(this.kind);
    model.crashes++;
    model.suspended.clear();
    expectClean(model, world);
  }
  toString(): string {
    return `crash(${this.kind}) → restart`;
  }
}

function scopeKeyOf(target: SuspendTarget): string {
  const scope = scopeOfTarget(target);
  if (scope.site !== undefined) return `${scope.source}->${scope.site}`;
  if (scope.provider !== undefined) return `${scope.source}|${scope.provider}`;
  return scope.source;
}

// ── arbitraries ──────────────────────────────────────────────────────────────────────────

const siteId = fc.constantFrom(...SITE_IDS);
const sourceName = fc.constantFrom(...SOURCES.map((source) => source.name));
const domain = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...Object.keys(DOMAINS).filter((name) => DOMAINS[name] !== null)) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(DOMAINS).filter((name) => DOMAINS[name] === null)) },
);
// A few local parts, so that one address recurs across messages (suppression, MX rollup).
const address = fc.tuple(fc.constantFrom('ann', 'bob', 'cy'), domain).map(([local, name]) => `${local}@${name}`);
const message: fc.Arbitrary<ModelMessage> = fc.record({
  recipients: fc.uniqueArray(address, { minLength: 1, maxLength: 3 }),
  owner: fc.record(
    {
      tenant: fc.constantFrom(...TENANTS),
      campaign: fc.constantFrom('spring', 'fall'),
      pool: fc.constantFrom(...POOLS),
    },
    { requiredKeys: [] },
  ),
});
const advanceMs = fc.constantFrom(10 * SECOND_MS, MINUTE_MS, 5 * MINUTE_MS, 20 * MINUTE_MS, HOUR_MS, 3 * HOUR_MS);
const target: fc.Arbitrary<NamedTarget> = fc.oneof(
  fc
    .tuple(sourceName, siteId)
    .map(([source, site]) => ({ target: { source, site: SITES[site].site }, label: `path ${source}->${site}` })),
  siteId.map((site) => ({ target: { site: SITES[site].site }, label: `site ${site}` })),
  sourceName.map((source) => ({ target: { source }, label: `source ${source}` })),
  sourceName.map((source) => ({ target: { source, provider: 'bigmail' }, label: `source ${source} towards bigmail` })),
);

const COMMANDS: fc.Arbitrary<EngineCommand>[] = [
  fc.array(message, { minLength: 1, maxLength: 6 }).map((messages) => new InjectCommand(messages)),
  fc.array(message, { minLength: 1, maxLength: 6 }).map((messages) => new InjectCommand(messages)),
  advanceMs.map((ms) => new AdvanceCommand(ms)),
  advanceMs.map((ms) => new AdvanceCommand(ms)),
  fc.tuple(siteId, fc.constantFrom(...SITE_MODES)).map(([site, mode]) => new HostileCommand(site, mode)),
  siteId.map((site) => new HostileCommand(site, 'accept')),
  fc
    .tuple(target, fc.constantFrom(10 * MINUTE_MS, HOUR_MS, 3 * HOUR_MS))
    .map(([named, ms]) => new SuspendCommand(named, ms)),
  fc.nat({ max: 7 }).map((pick) => new ResumeCommand(pick)),
  fc.constantFrom<CrashKind>('before-fsync', 'after-fsync', 'in-transaction').map((kind) => new CrashCommand(kind)),
];

// ── the property ─────────────────────────────────────────────────────────────────────────

describe(`reference engine, model-based (seed: ${SEED}, runs: ${RUNS})`, () => {
  // Known deviations, counted over every run (shrinking included) and printed once.
  const sightings = new Map<string, number>();
  afterAll(() => {
    const seen = [...sightings].filter(([, count]) => count > 0);
    if (seen.length > 0)
      console.info(
        `known engine deviations seen, not failed (MAILBENCH_MODEL_LENIENT lists them apart): ${seen.map(([name, count]) => `${name} ×${count}`).join(', ')}`,
      );
  });

  test(
    'nothing acknowledged is lost, shaping and suspensions hold, duplicates only after a crash',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(COMMANDS, { maxCommands: MAX_COMMANDS, size: 'max' }), async (commands) => {
          const world = await EngineWorld.open();
          const model: EngineModel = {
            nowMs: world.scheduler.now(),
            crashes: 0,
            modes: new Map(),
            suspended: new Map(),
          };
          try {
            await fc.asyncModelRun(() => ({ model, real: world }), commands);
            // Hostile sites stay hostile: the clock runs until the engine has nothing left to do.
            await world.runToIdle();
            expectClean(model, world);
            expect(checkEnd(world.log, world.instance)).toEqual([]);
            expect(world.engine.stats.queued).toBe(0);
            for (const [name, found] of Object.entries(knownDeviations(world))) {
              if (isStrict(name)) expect(found, name).toEqual([]);
              sightings.set(name, (sightings.get(name) ?? 0) + found.length);
            }
          } finally {
            await world.dispose();
          }
        }),
        // A failure's shrinking replays many runs: give it time, and report the smallest case found so far.
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: SHRINK_TIME_LIMIT_MS, markInterruptAsFailure: true },
      );
    },
    SHRINK_TIME_LIMIT_MS + 30_000,
  );
});
