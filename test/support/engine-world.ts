/**
 * The real side of the engine's model-based tests: the reference engine in sim mode (a virtual
 * clock, an instrumented transport) behind a real durable `Spool` in a temporary directory,
 * wired as a production front door wires it — enqueue (fsync) before inject, `markFinal` on
 * every final record — and able to crash: the engine instance is abandoned without shutdown
 * (its timers and sockets die with it, its unsynced final marks are lost), and a new instance
 * is built from what `Spool.open` recovers, re-injected with `redelivery: true`.
 *
 * The sources, sites, domains and shaping are in engine-world-shape.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFinalRecord } from '../../mta-under-test/accounting.ts';
import type { AccountingRecord, MessageOwner } from '../../mta-under-test/accounting.ts';
import type { AdminResult, SuspendTarget } from '../../mta-under-test/reference/core/admin-view.ts';
import { ReferenceEngine } from '../../mta-under-test/reference/core/engine.ts';
import { zoneResolver } from '../../mta-under-test/reference/core/resolver.ts';
import { loadShapingConfig } from '../../mta-under-test/reference/core/shaping/config.ts';
import { Spool } from '../../mta-under-test/reference/spool/spool.ts';
import { DEFAULT_EPOCH_MS, HOUR_MS } from '../../kernel/clock/clock.ts';
import type { Milliseconds } from '../../kernel/clock/clock.ts';
import { VirtualScheduler } from '../../kernel/clock/virtual-scheduler.ts';
import type { RunResult } from '../../kernel/clock/virtual-scheduler.ts';
import { Rng } from '../../kernel/random/rng.ts';
import {
  EGRESS,
  EXPIRY_MS,
  REF_HEADER,
  SHAPING,
  messageIdOf,
  siteOfMxHost,
  sourceOfIp,
  worldDns,
} from './engine-world-shape.ts';
import { KillableScheduler } from './killable-scheduler.ts';
import { SiteTransport } from './site-transport.ts';
import type { SiteMode } from './site-transport.ts';
import { WorldLog } from './world-log.ts';
import type { CrashKind } from './world-log.ts';

export interface ModelMessage {
  readonly recipients: readonly string[];
  readonly owner: MessageOwner;
}

export class EngineWorld {
  readonly scheduler = new VirtualScheduler(DEFAULT_EPOCH_MS);
  readonly log = new WorldLog();
  readonly transport: SiteTransport;
  private readonly dns = worldDns();
  private engineNow: ReferenceEngine;
  private clock: KillableScheduler;
  private spool: Spool;
  private instanceNow = 1;
  private messages = 0;

  private constructor(
    private readonly dir: string,
    spool: Spool,
  ) {
    this.spool = spool;
    this.transport = new SiteTransport({
      log: this.log,
      now: () => this.scheduler.now(),
      siteOf: siteOfMxHost,
      sourceOf: sourceOfIp,
      messageIdOf,
    });
    this.clock = new KillableScheduler(this.scheduler);
    this.engineNow = this.build(this.instanceNow, this.clock);
  }

  static async open(): Promise<EngineWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'mailbench-model-'));
    return new EngineWorld(dir, await Spool.open(dir));
  }

  get engine(): ReferenceEngine {
    return this.engineNow;
  }

  get instance(): number {
    return this.instanceNow;
  }

  private build(instance: number, clock: KillableScheduler): ReferenceEngine {
    return new ReferenceEngine({
      scheduler: clock,
      rng: new Rng(`engine-model-${instance}`),
      transport: this.transport.forInstance(instance),
      resolver: zoneResolver(this.dns, () => ({ address: '127.0.1.1', port: 25 })),
      egress: EGRESS,
      shaping: loadShapingConfig(SHAPING),
      retry: { expiryMs: EXPIRY_MS },
      hygiene: { correlationHeader: ({ messageId }) => `${REF_HEADER}: ${messageId}` },
      onRecord: (record) => this.onRecord(instance, clock, record),
    });
  }

  /** A dead process writes nothing: its records and its final marks are lost with it. */
  private onRecord(instance: number, clock: KillableScheduler, record: AccountingRecord): void {
    if (clock.isDead) return;
    this.log.push({ kind: 'record', instance, record });
    if (!isFinalRecord(record)) return;
    this.spool.markFinal(record.messageId, record.recipient);
    this.log.push({ kind: 'mark', instance, id: record.messageId, recipient: record.recipient });
  }

  /** The front door: durable first (one enqueue, resolved after its fsync), then each message into the engine. */
  async inject(messages: readonly ModelMessage[]): Promise<string[]> {
    const receivedAtMs = this.scheduler.now();
    const mailFrom = 'bounces@news.mailbench.test';
    const spooled = messages.map((message) => {
      this.messages++;
      const meta: Record<string, string> = {};
      for (const [key, value] of Object.entries(message.owner)) if (typeof value === 'string') meta[key] = value;
      const data = `From: News <news@news.mailbench.test>\r\nSubject: message ${this.messages}\r\n\r\nhello\r\n`;
      return { mailFrom, recipients: message.recipients, data, receivedAtMs, meta };
    });
    const ids = await this.spool.enqueue(spooled);
    this.log.push({ kind: 'sync', instance: this.instanceNow });
    spooled.forEach((message, index) => {
      const id = ids[index];
      if (id === undefined) throw new Error('the spool returned too few ids');
      this.log.push({ kind: 'enqueue', instance: this.instanceNow, id, recipients: message.recipients, receivedAtMs });
      this.engineNow.inject({
        mailFrom,
        recipients: message.recipients,
        data: message.data,
        owner: message.meta,
        id,
        receivedAtMs,
      });
    });
    return ids;
  }

  /** Runs the clock to `untilMs` (or until a crash stops it); throws if the engine never settles. */
  async runUntil(untilMs: number, maxTasks = 50_000): Promise<RunResult> {
    const result = await this.scheduler.run({ untilMs, maxTasks });
    if (result.state === 'reached-task-limit')
      throw new Error(`the scheduler ran ${maxTasks} tasks before ${new Date(untilMs).toISOString()}: a loop?`);
    return result;
  }

  /** Runs the clock until nothing is scheduled at all. */
  async runToIdle(maxTasks = 200_000): Promise<RunResult> {
    const result = await this.scheduler.run({ maxTasks });
    if (result.state !== 'idle')
      throw new Error(`the scheduler did not go idle (${result.state} after ${result.tasksRun} tasks)`);
    return result;
  }

  setMode(site: string, mode: SiteMode): void {
    this.transport.setMode(site, mode);
  }

  suspend(target: SuspendTarget, durationMs: Milliseconds): AdminResult {
    const result = this.engineNow.suspend(target, { durationMs, reason: 'model: operator suspend' });
    const atMs = this.scheduler.now();
    this.log.push({
      kind: 'operator',
      instance: this.instanceNow,
      atMs,
      action: 'suspend',
      scope: scopeOfTarget(target),
      untilMs: atMs + durationMs,
      ok: result.ok,
    });
    return result;
  }

  resume(target: SuspendTarget): AdminResult {
    const result = this.engineNow.resume(target);
    this.log.push({
      kind: 'operator',
      instance: this.instanceNow,
      atMs: this.scheduler.now(),
      action: 'resume',
      scope: scopeOfTarget(target),
      untilMs: null,
      ok: result.ok,
    });
    return result;
  }

  /**
   * Kills the engine and builds the next one from the spool. `before-fsync` loses the final
   * marks since the last fsync, `after-fsync` loses none, `in-transaction` dies inside the next
   * transaction (the receiver has answered, the engine has not heard) within `withinMs`.
   */
  async crash(kind: CrashKind, withinMs: Milliseconds = HOUR_MS): Promise<void> {
    if (kind === 'after-fsync') {
      await this.spool.sync();
      this.log.push({ kind: 'sync', instance: this.instanceNow });
    }
    if (kind === 'in-transaction') {
      this.transport.armCrash(() => this.kill(kind));
      await this.runUntil(this.scheduler.now() + withinMs);
      this.transport.disarmCrash();
    }
    if (!this.clock.isDead) this.kill(kind);
    await this.restart();
  }

  private kill(kind: CrashKind): void {
    this.log.push({ kind: 'crash', instance: this.instanceNow, atMs: this.scheduler.now(), crashKind: kind });
    this.clock.kill();
    this.transport.crash(this.instanceNow);
    this.spool.abandon();
    // Stop the run now: the task in progress was the dead process's.
    this.scheduler.stop();
  }

  private async restart(): Promise<void> {
    this.spool = await Spool.open(this.dir);
    this.instanceNow++;
    const recovered = this.spool.recoveredMessages();
    this.log.push({
      kind: 'restart',
      instance: this.instanceNow,
      atMs: this.scheduler.now(),
      recovered: recovered.map((message) => ({ id: message.id, pending: message.pending })),
      recoveredRecipients: this.spool.stats().recoveredRecipients,
    });
    this.clock = new KillableScheduler(this.scheduler);
    this.engineNow = this.build(this.instanceNow, this.clock);
    // Bodies are read back before the new engine starts: the model checks scheduling, and a
    // read under way would hold a connection open across a suspension (the service's engine
    // loads bodies on demand; its tests are test/integration/engine-*.test.ts).
    const bodies = await Promise.all(recovered.map((message) => this.spool.body(message.id).load()));
    for (const [index, message] of recovered.entries()) {
      this.engineNow.inject({
        mailFrom: message.mailFrom,
        recipients: message.pending,
        data: bodies[index] as string,
        owner: message.meta,
        id: message.id,
        receivedAtMs: message.receivedAtMs,
        redelivery: true,
      });
    }
  }

  /** The end of a run: the live engine shuts down, the spool closes, the directory goes. */
  async dispose(): Promise<void> {
    try {
      if (!this.clock.isDead) await this.engineNow.shutdown();
      await this.spool.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export function scopeOfTarget(target: SuspendTarget): { source: string; site?: string; provider?: string } {
  if ('site' in target) return { source: 'source' in target ? target.source : '*', site: target.site };
  if ('provider' in target) return { source: target.source, provider: target.provider };
  return { source: target.source };
}
