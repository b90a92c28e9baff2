/**
 * The `postfix` MTA under test: Debian's Postfix run as a private instance in the run's work
 * dir (instance.ts), fed over SMTP (inject.ts), known only by its maillog_file (log-records.ts)
 * and, through the return-path listener, by the DSNs it sends. Nothing about it is tuned for
 * the bench except what must be: loopback routes and source addresses, and its retry timers
 * scaled to the run's clock (timers.ts). It is the naive baseline of research/engines.md §6.2.
 *
 * Postfix picks the egress identity per envelope sender (sender_dependent_default_transport_maps),
 * not per message: a message whose `pool` names an identity other than the one its sender
 * leaves from is refused before injection (message-check.ts), rather than sent from the
 * wrong address.
 */
import { existsSync, rmSync } from 'node:fs';
import type { AccountingRecord, MessageOwner } from '../../accounting.ts';
import { wallClockMs } from '../../../kernel/index.ts';
import type { EpochMs } from '../../../kernel/index.ts';
import type { LoopbackRoute, MtaEnvironment, MtaMessage, MtaUnderTest } from '../mta-under-test.ts';
import { ownerOfMessage } from '../mta-under-test.ts';
import { injectOverSmtp } from './inject.ts';
import { startInstance, stopInstance, instanceVersion, writeInstance } from './instance.ts';
import { planInstance } from './instance-plan.ts';
import type { InstancePlan } from './instance-plan.ts';
import { LogFollower } from './log-follower.ts';
import { checkMessages } from './message-check.ts';
import { parseLogLine } from './log-line.ts';
import { PostfixLogInterpreter } from './log-records.ts';
import { freePort, waitForGreeting } from './loopback-probe.ts';
import type { PostfixTimers } from './timers.ts';

export interface PostfixMtaOptions {
  /**
   * Sender address (`news@example.com`) or domain (`@example.com`) → egress identity name.
   * @defaultValue every sender leaves from the environment's first identity
   */
  readonly egressBySender?: ReadonlyMap<string, string>;
  /** Real seconds that win over the clockScale-derived timers (tests use this). */
  readonly timers?: Partial<PostfixTimers>;
  /**
   * Postfix's wall-clock time → the run's clock, for every `atMs` in the records.
   * @defaultValue the identity (records carry wall-clock epoch ms)
   */
  readonly toRunTimeMs?: (wallMs: number) => EpochMs;
  /** Where the instance's smtpd listens. @defaultValue 127.0.0.1 (on a free port) */
  readonly smtpdAddress?: string;
  /** Parallel injection connections. @defaultValue 4 */
  readonly injectConnections?: number;
  /**
   * main.cf tuning, written after the bench's settings: e.g.
   * `{ default_destination_concurrency_limit: '4' }`. Routing, paths and the scaled timers are
   * the bench's and refused (main-cf-overrides.ts). @defaultValue stock Postfix
   */
  readonly mainCf?: Readonly<Record<string, string>>;
}

/** How long Postfix's smtpd may take to greet after `postfix start` returned. */
const SMTPD_READY_TIMEOUT_MS = 15_000;

export class PostfixMta implements MtaUnderTest {
  readonly name = 'postfix';
  private plan: InstancePlan | undefined;
  private follower: LogFollower | undefined;
  private mailVersion: string | undefined;
  private stopping: Promise<void> | undefined;
  private readonly listeners: ((record: AccountingRecord) => void)[] = [];
  private readonly owners = new Map<string, MessageOwner>();

  constructor(private readonly options: PostfixMtaOptions = {}) {}

  version(): string {
    if (this.mailVersion === undefined) throw new Error('PostfixMta.version() is known only after start()');
    return this.mailVersion;
  }

  /** Where the instance's smtpd takes mail (for driving it as a plain relay), known after `start`. */
  submissionRoute(): LoopbackRoute {
    if (this.plan === undefined) throw new Error('PostfixMta.submissionRoute() is known only after start()');
    return this.plan.smtpd;
  }

  async start(environment: MtaEnvironment): Promise<void> {
    if (this.plan !== undefined || this.stopping !== undefined)
      throw new Error('PostfixMta.start() may be called once');
    const smtpdAddress = this.options.smtpdAddress ?? '127.0.0.1';
    const plan = planInstance(environment, {
      smtpd: { address: smtpdAddress, port: await freePort(smtpdAddress) },
      ...(this.options.egressBySender === undefined ? {} : { egressBySender: this.options.egressBySender }),
      ...(this.options.timers === undefined ? {} : { timers: this.options.timers }),
      ...(this.options.mainCf === undefined ? {} : { mainCf: this.options.mainCf }),
    });
    // The work dir is the adapter's: a leftover instance there (queue, log) is cleared, never reused.
    await stopInstance(plan.layout);
    if (existsSync(plan.layout.root)) rmSync(plan.layout.root, { recursive: true, force: true });
    this.plan = plan;
    try {
      await writeInstance(plan);
      this.followLog(plan);
      await startInstance(plan.layout);
      await waitForGreeting(plan.smtpd, SMTPD_READY_TIMEOUT_MS, `see ${plan.layout.maillogFile}`);
      this.mailVersion = await instanceVersion(plan.layout);
    } catch (error) {
      // The start's own error is the one to report; a failing cleanup must not hide it.
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  async inject(messages: readonly MtaMessage[]): Promise<void> {
    const plan = this.plan;
    if (plan === undefined || this.stopping !== undefined)
      throw new Error('PostfixMta.inject() needs a started, not stopped, instance');
    checkMessages(plan, messages);
    await injectOverSmtp(plan.smtpd, messages, {
      ...(this.options.injectConnections === undefined ? {} : { connections: this.options.injectConnections }),
      onQueued: (queueId, message) => this.owners.set(queueId, ownerOfMessage(message)),
    });
  }

  onDecision(listener: (record: AccountingRecord) => void): void {
    this.listeners.push(listener);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        if (this.plan !== undefined) await stopInstance(this.plan.layout);
      } finally {
        // After the master is gone: the follower reads the last lines Postfix wrote.
        await this.follower?.stop();
      }
    })();
    return this.stopping;
  }

  private followLog(plan: InstancePlan): void {
    const interpreter = new PostfixLogInterpreter({
      egress: plan.egress,
      timers: plan.timers,
      ownerOf: (queueId) => this.owners.get(queueId),
      ...(this.options.toRunTimeMs === undefined ? {} : { toRunTimeMs: this.options.toRunTimeMs }),
    });
    this.follower = new LogFollower(plan.layout.maillogFile, (text) => {
      const line = parseLogLine(text, wallClockMs());
      if (line === undefined) return;
      for (const record of interpreter.accept(line)) for (const listener of this.listeners) listener(record);
    });
    this.follower.start();
  }
}
