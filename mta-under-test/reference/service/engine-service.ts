/**
 * The reference engine as a service: a real outbound MTA a user could run, and the process
 * the bench kills with -9 to prove its durability.
 *
 *   HTTP injection ─┐                       ┌→ accounting log (JSON Lines, rotated)
 *   SMTP submission ┴→ spool (fsync) → engine core → nodemailer SMTP client → the world
 *                          ↑                  ↑  admin API (queues, suspend/resume, metrics)
 *            DSNs to senders (RFC 3464)       └─ inbound listener: DSNs and ARF complaints,
 *                                                joined by VERP or X-Mailbench-Ref
 *
 * Nothing is acknowledged before the spool's fsync covered it (spool/DURABILITY.md); every
 * final record marks the spool, so on restart only recipients with no durable final mark are
 * delivered again (at-least-once; `redelivery` on their Reception records, and counted by
 * the spool as recovered recipients).
 */
import type { AccountingRecord } from '../../accounting.ts';
import { isFinalRecord } from '../../accounting.ts';
import { RealScheduler, Rng } from '../../../kernel/index.ts';
import { AccountingLogWriter } from '../accounting-log/writer.ts';
import { readAccountingLog } from '../accounting-log/reader.ts';
import { ReferenceEngine } from '../core/engine.ts';
import type { UndeliverableNotice } from '../core/engine.ts';
import type { MessageOwner } from '../../accounting.ts';
import type { EnqueueInput } from '../inject/http-api.ts';
import type { LoopbackListener } from '../http/loopback-server.ts';
import { Spool } from '../spool/spool.ts';
import type { ReportIntake } from '../inbound/intake.ts';
import { refHeaderLine } from '../verp.ts';
import { dsnSender } from './dsn-sender.ts';
import { FinalMarks } from './final-marks.ts';
import { SmtpClientTransport } from '../transport/smtp-client.ts';
import type { ServiceConfig } from './service-config.ts';
import { staticResolver } from './static-resolver.ts';
import { startServiceListeners } from './service-listeners.ts';

/** How often final marks are made durable when nothing else fsyncs the spool. */
const FINAL_MARK_SYNC_INTERVAL_MS = 1_000;

export interface EngineService {
  readonly engine: ReferenceEngine;
  readonly http: LoopbackListener;
  readonly admin: LoopbackListener;
  readonly submission: LoopbackListener | null;
  /** Where DSNs and complaints about the engine's messages are delivered (the return-path domain's MX). */
  readonly inbound: LoopbackListener;
  readonly intake: ReportIntake;
  /** What the spool held on start: recovered after a crash, delivered again. */
  readonly recovered: { readonly messages: number; readonly recipients: number; readonly suppressions: number };
  readonly spool: Spool;
  /** Stops every listener, the engine and the log, then closes the spool. */
  close(): Promise<void>;
}

export interface EngineServiceOptions {
  /** Seed of the engine's chance (retry jitter, message ids). @defaultValue derived from the process and the time */
  readonly seed?: string;
  /** Called with an error a scheduled task threw; the service keeps running. */
  readonly onTaskError?: (error: unknown) => void;
  /** How long `close` waits for transactions under way before it cuts them (real ms). @defaultValue 30 s */
  readonly drainMs?: number;
}

function ownerOf(meta: Readonly<Record<string, string>>): MessageOwner {
  return {
    ...(meta['tenant'] === undefined ? {} : { tenant: meta['tenant'] }),
    ...(meta['campaign'] === undefined ? {} : { campaign: meta['campaign'] }),
    ...(meta['pool'] === undefined ? {} : { pool: meta['pool'] }),
  };
}

export async function startEngineService(
  config: ServiceConfig,
  options: EngineServiceOptions = {},
): Promise<EngineService> {
  // The lock first: a second engine on this spool stops here, before it reads or deletes anything.
  const spool = await Spool.open(config.spoolDir);
  const opened: { close(): Promise<void> }[] = [];
  try {
    return await startAround(spool, config, options, opened);
  } catch (error) {
    // A failed start (a taken port, a bad account) closes what it opened, the spool last.
    await Promise.allSettled(opened.reverse().map((listener) => listener.close()));
    await spool.close().catch(() => undefined);
    throw error;
  }
}

async function startAround(
  spool: Spool,
  config: ServiceConfig,
  options: EngineServiceOptions,
  opened: { close(): Promise<void> }[],
): Promise<EngineService> {
  const log = AccountingLogWriter.open({ dir: config.accountingDir });
  opened.push(log);
  const scheduler = new RealScheduler({
    scale: config.clockScale,
    onTaskError: options.onTaskError ?? ((error) => console.error('mailbench engine: a task failed:', error)),
  });
  opened.push({ close: () => Promise.resolve(scheduler.cancelAll()) });
  const finalMarks = new FinalMarks(spool);
  // Set once the engine exists: DSNs about its own messages go back into it, through the spool.
  let spoolDsn: (dsn: {
    readonly mailFrom: '';
    readonly recipient: string;
    readonly data: string;
  }) => Promise<unknown> = () => Promise.resolve();
  const writeDsn = dsnSender({ engineHost: config.hostname, send: (dsn) => spoolDsn(dsn) });
  const engine = serviceEngine(config, options, {
    scheduler,
    onRecord: (record) => recordDurably(log, finalMarks, record),
    onUndeliverable: (notice) => {
      const work = writeDsn(notice);
      // A delay warning is about a recipient that is not final: nothing waits for it.
      if (notice.kind !== 'delayed') finalMarks.dsn(notice.messageId, notice.recipient, work);
    },
  });
  // The suppression list lives in the accounting log: replay it before anything is mailed.
  const suppressionsRestored = await restoreSuppressions(engine, config.accountingDir);
  opened.push({
    close: () => settledOrAfter(engine.stopSending(), options.drainMs ?? DRAIN_MS).then(() => engine.shutdown()),
  });
  const spoolAndInject = spoolInjector(spool, engine, scheduler);
  let draining = false;
  const enqueue = (inputs: readonly EnqueueInput[]): Promise<readonly string[]> =>
    draining ? Promise.reject(new Error('the engine is stopping')) : spoolAndInject(inputs);
  // DSNs are the engine's own mail: spooled even while it stops (sent after the next start).
  spoolDsn = (dsn) =>
    spoolAndInject([{ mailFrom: dsn.mailFrom, recipients: [dsn.recipient], data: dsn.data, meta: {} }]);
  const listeners = await startServiceListeners({ config, engine, spool, scheduler, enqueue }, opened);
  // Recovered mail goes out only once every listener is bound: a start that fails on a taken
  // port has delivered nothing, so it leaves nothing half-settled behind.
  const recoveredRecipients = await injectRecovered(spool, engine);

  const markSync = syncFinalMarks(spool);
  let closed = false;
  return {
    engine,
    ...listeners,
    recovered: {
      messages: spool.recoveredMessages().length,
      recipients: recoveredRecipients,
      suppressions: suppressionsRestored,
    },
    spool,
    async close() {
      if (closed) return;
      closed = true;
      // Stop taking work (requests under way are answered), let transactions under way finish
      // and record their outcome, then make every final mark durable: a restart delivers
      // nothing again that was final (DURABILITY.md, graceful stop).
      draining = true;
      const { http, admin, submission, inbound } = listeners;
      await Promise.all([http.close(), admin.close(), submission?.close(), inbound.close()]);
      await settledOrAfter(engine.stopSending(), options.drainMs ?? DRAIN_MS);
      await engine.shutdown();
      clearInterval(markSync);
      scheduler.cancelAll();
      await finalMarks.settled();
      await log.close();
      await spool.close();
    },
  };
}

/**
 * Final marks ride on the next fsync; when no injection brings one, this bounds how much a
 * crash can deliver twice to what was marked in the last second.
 */
function syncFinalMarks(spool: Spool): NodeJS.Timeout {
  return setInterval(
    () => void spool.sync().catch((error: unknown) => console.error('mailbench engine: spool sync failed:', error)),
    FINAL_MARK_SYNC_INTERVAL_MS,
  );
}

/** An accounting record to the log; a suppression is flushed at once, a final record marks the spool. */
function recordDurably(log: AccountingLogWriter, finalMarks: FinalMarks, record: AccountingRecord): void {
  log.write(record);
  // The suppression list is replayed from the log on restart: write its changes out at once,
  // so a killed process (whose page cache the kernel keeps) does not forget them.
  if (record.type === 'Suppression')
    void log
      .flush()
      .catch((error: unknown) => console.error('mailbench engine: the accounting log could not be written:', error));
  if (isFinalRecord(record)) finalMarks.final(record.messageId, record.recipient);
}

/** The service's engine: its clock, seed, transport, DNS, shaping and keys from the configuration. */
function serviceEngine(
  config: ServiceConfig,
  options: EngineServiceOptions,
  parts: {
    readonly scheduler: RealScheduler;
    readonly onRecord: (record: AccountingRecord) => void;
    readonly onUndeliverable: (notice: UndeliverableNotice) => void;
  },
): ReferenceEngine {
  return new ReferenceEngine({
    scheduler: parts.scheduler,
    // The service is not a simulation: its seed may come from its clock, but it is still one seeded stream.
    rng: new Rng(options.seed ?? `${process.pid}-${parts.scheduler.now()}`),
    transport: new SmtpClientTransport(config.ca === undefined ? {} : { ca: config.ca }),
    resolver: staticResolver(config.dns),
    egress: config.egress,
    shaping: config.shaping,
    hygiene: { dkimKeys: config.dkimKeys, correlationHeader: refHeaderLine },
    ...(config.expiryMs === undefined ? {} : { retry: { expiryMs: config.expiryMs } }),
    ...(config.verp === undefined ? {} : { verp: config.verp }),
    ...(config.dsn ? { onUndeliverable: parts.onUndeliverable } : {}),
    onLoadError: (messageId, error) =>
      console.error(
        `mailbench engine: message ${messageId} could not be read from the spool; it will be tried again:`,
        error,
      ),
    onRecord: parts.onRecord,
  });
}

/** Replays the suppression records of the accounting log into the engine; how many there were. */
async function restoreSuppressions(engine: ReferenceEngine, accountingDir: string): Promise<number> {
  let restored = 0;
  for await (const record of readAccountingLog(accountingDir, { onTornTail: () => undefined })) {
    if (record.type !== 'Suppression') continue;
    engine.suppressions.restore(record);
    restored++;
  }
  return restored;
}

/** Spools messages, then hands them to the engine (unless it is stopping: then they wait in the spool for the next start). */
function spoolInjector(
  spool: Spool,
  engine: ReferenceEngine,
  scheduler: RealScheduler,
): (inputs: readonly EnqueueInput[]) => Promise<readonly string[]> {
  return async (inputs) => {
    const receivedAtMs = scheduler.now();
    const ids = await spool.enqueue(
      inputs.map((input) => ({
        mailFrom: input.mailFrom,
        recipients: input.recipients,
        data: input.data,
        receivedAtMs,
        meta: { ...input.meta },
      })),
    );
    // Durable now: each message goes to the engine with the spool's id (its final records mark
    // the spool) and its body on disk, a slice at a time so other clients are answered between.
    for (const [index, input] of inputs.entries()) {
      if (index > 0 && index % INJECT_SLICE === 0) await yieldToOtherWork();
      if (!engine.accepting) break;
      const id = ids[index] as string;
      engine.inject({
        id,
        mailFrom: input.mailFrom,
        recipients: input.recipients,
        data: spool.body(id),
        receivedAtMs,
        owner: input.meta,
      });
    }
    return ids;
  };
}

/** The messages the spool held on start, handed to the engine again; how many recipients they had pending. */
async function injectRecovered(spool: Spool, engine: ReferenceEngine): Promise<number> {
  let recoveredRecipients = 0;
  for (const [index, message] of spool.recoveredMessages().entries()) {
    if (index > 0 && index % INJECT_SLICE === 0) await yieldToOtherWork();
    recoveredRecipients += message.pending.length;
    engine.inject({
      id: message.id,
      mailFrom: message.mailFrom,
      recipients: message.pending,
      data: spool.body(message.id),
      receivedAtMs: message.receivedAtMs,
      owner: ownerOf(message.meta),
      redelivery: true,
    });
  }
  return recoveredRecipients;
}

/** How long a graceful stop waits for transactions under way (real time): a receiver that never answers does not hold it up. */
const DRAIN_MS = 30_000;

function settledOrAfter(work: Promise<void>, waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    void work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Messages injected between two yields: a 10,000-message batch does not stall other clients. */
const INJECT_SLICE = 500;

function yieldToOtherWork(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
