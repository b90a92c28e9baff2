/**
 * The reference engine in this process, driven as any other MTA: built from its environment
 * alone (DESIGN rule 3). It sends over real SMTP (the engine's nodemailer client) from the
 * environment's egress identities to the listeners its routes name, resolves nothing else
 * (a static DNS of the routes, route-dns.ts), puts every accounting record straight out through
 * `onDecision`, and reads the mail that reaches the return path with its own report intake, so
 * the receivers' later DSNs and complaints become AsyncBounce and Feedback records (and act:
 * a complaint suppresses).
 *
 * Against the child-process adapter it saves the process, the spool's fsyncs and the log
 * tail; what it gives up is durability (a message lives in memory) and the engine's own DSNs
 * to the envelope sender, which the bench does not need from an engine it hears directly.
 *
 * Time: the engine runs on its own scheduler at the environment's clock scale, started at the
 * run's clock (`clock`, from runScenarioWithMta's factory form), so its records are dated on
 * the run's clock without conversion.
 *
 * What a run's scenario sets for the sender (pools and tenants, shaping, the warm-up plan and
 * grid in the policy, DKIM keys) comes in through the options, as an operator configures an
 * MTA; nothing here reads the scenario or the world.
 */
import type { AccountingRecord } from '../../accounting.ts';
import { RealScheduler, Rng, wallClockMs } from '../../../kernel/index.ts';
import type { EpochMs, Scheduler, Transport } from '../../../kernel/index.ts';
import type { MxResolver } from '../../reference/core/resolver.ts';
import { ReferenceEngine } from '../../reference/core/engine.ts';
import { validateEgress } from '../../reference/core/egress.ts';
import type { EgressConfig } from '../../reference/core/egress.ts';
import type { HygieneOptions } from '../../reference/core/outbound-hygiene.ts';
import type { SendPolicy } from '../../reference/core/policy.ts';
import type { RetryPolicy } from '../../reference/core/retry-schedule.ts';
import type { ShapingConfig } from '../../reference/core/shaping/config.ts';
import { referencePolicy } from '../../reference/policy/reference-policy.ts';
import { staticResolver } from '../../reference/service/static-resolver.ts';
import { SmtpClientTransport } from '../../reference/transport/smtp-client.ts';
import { refHeaderLine } from '../../reference/verp.ts';
import { ownerOfMessage } from '../mta-under-test.ts';
import type { MtaEnvironment, MtaMessage, MtaUnderTest, PauseRequest } from '../mta-under-test.ts';
import { REFERENCE_ENGINE_VERSION } from './engine-version.ts';
import { feedReportIntake } from './report-feed.ts';
import type { ReportFeed } from './report-feed.ts';
import { staticDnsOf } from './route-dns.ts';

export interface ReferenceInProcessOptions {
  /** The run's clock (runScenarioWithMta's RunClock fits). @defaultValue the real time */
  readonly clock?: { readonly nowMs: () => EpochMs };
  /**
   * Pools, the default pool and tenants over the environment's egress identities (by name);
   * any `sources` given are ignored, the environment's are used.
   * @defaultValue one pool, `default`, of every identity
   */
  readonly egress?: Omit<EgressConfig, 'sources'>;
  /** @defaultValue the engine's built-in presets */
  readonly shaping?: ShapingConfig;
  /** The send policy, with the warm-up plan and grid if any. @defaultValue referencePolicy(): the engine's judgment */
  readonly policy?: SendPolicy;
  /**
   * DKIM keys and unsubscribe targets. The correlation header is added unless this sets its
   * own: later reports join by it. @defaultValue the correlation header only
   */
  readonly hygiene?: HygieneOptions;
  readonly retry?: Partial<RetryPolicy>;
  /** Seed of the engine's chance (message ids, retry jitter). @defaultValue 'reference-in-process' */
  readonly seed?: string;
  /** CA certificates (PEM) trusted on paths that require TLS. @defaultValue node's bundled roots */
  readonly ca?: string;
  /**
   * The run's own scheduler, transport and DNS, for a run that drives the engine on them: sim
   * mode's virtual clock and in-process SMTP, or wire mode resolving the world's MX names. Given,
   * they replace the environment's clock scale, nodemailer's client and the routes' static DNS;
   * the adapter then stops nothing of the scheduler but its own work.
   */
  readonly on?: { readonly scheduler: Scheduler; readonly transport: Transport; readonly resolver: MxResolver };
  /** The engine's chance stream. @defaultValue a stream seeded by `seed` */
  readonly rng?: Rng;
}

const DEFAULT_POOL = 'default';

export function referenceInProcess(options: ReferenceInProcessOptions = {}): MtaUnderTest {
  return new ReferenceInProcess(options);
}

class ReferenceInProcess implements MtaUnderTest {
  readonly name = 'reference-in-process';
  private engine: ReferenceEngine | undefined;
  private scheduler: RealScheduler | undefined;
  private feed: ReportFeed | undefined;
  private stopping: Promise<void> | undefined;
  /** The first error a scheduled engine task threw: the next injection fails with it. */
  private taskError: Error | undefined;
  private readonly listeners: ((record: AccountingRecord) => void)[] = [];
  /** The egress identities' names, every one of which a pause suspends. */
  private sourceNames: readonly string[] = [];

  constructor(private readonly options: ReferenceInProcessOptions) {}

  version(): string {
    return REFERENCE_ENGINE_VERSION;
  }

  start(environment: MtaEnvironment): Promise<void> {
    if (this.engine !== undefined || this.stopping !== undefined)
      return Promise.reject(new Error('referenceInProcess().start() may be called once'));
    try {
      this.build(environment);
    } catch (error) {
      // A configuration that does not fit the environment is a rejection, as for any adapter.
      return Promise.reject(asError(error));
    }
    return Promise.resolve();
  }

  private build(environment: MtaEnvironment): void {
    const { options } = this;
    // Its own real-time scheduler at the environment's clock scale, unless it runs on the run's.
    const own =
      options.on === undefined
        ? new RealScheduler({
            startMs: options.clock?.nowMs() ?? wallClockMs(),
            scale: environment.clockScale,
            onTaskError: (error) => (this.taskError ??= asError(error)),
          })
        : undefined;
    const scheduler: Scheduler = own ?? (options.on as NonNullable<ReferenceInProcessOptions['on']>).scheduler;
    const engine = new ReferenceEngine({
      scheduler,
      rng: options.rng ?? new Rng(options.seed ?? 'reference-in-process'),
      transport: options.on?.transport ?? new SmtpClientTransport(options.ca === undefined ? {} : { ca: options.ca }),
      resolver: options.on?.resolver ?? staticResolver(staticDnsOf(environment.routes)),
      egress: egressOf(environment, options.egress),
      ...(options.shaping === undefined ? {} : { shaping: options.shaping }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      policy: options.policy ?? referencePolicy(),
      hygiene: { correlationHeader: refHeaderLine, ...options.hygiene },
      onRecord: (record) => {
        for (const listener of this.listeners) listener(record);
      },
    });
    this.scheduler = own;
    this.engine = engine;
    this.sourceNames = environment.egress.map((identity) => identity.name);
    this.feed = feedReportIntake({
      engine,
      clock: scheduler,
      subscribe: (listener) => environment.onReturnMail(listener),
    });
  }

  /** Every egress source suspended for the pause (the engine's own Suspend records say so). */
  pause(request: PauseRequest): Promise<void> {
    const engine = this.engine;
    if (engine === undefined || this.stopping !== undefined)
      return Promise.reject(new Error('referenceInProcess().pause() needs a started, not stopped, engine'));
    for (const source of this.sourceNames) {
      const result = engine.suspend({ source }, { durationMs: request.durationMs, reason: request.reason });
      if (!result.ok) return Promise.reject(new Error(result.message));
    }
    return Promise.resolve();
  }

  inject(messages: readonly MtaMessage[]): Promise<void> {
    const engine = this.engine;
    if (engine === undefined || this.stopping !== undefined)
      return Promise.reject(new Error('referenceInProcess().inject() needs a started, not stopped, engine'));
    if (this.taskError !== undefined) return Promise.reject(this.taskError);
    try {
      for (const message of messages)
        engine.inject({
          mailFrom: message.mailFrom,
          recipients: message.recipients,
          data: message.data,
          owner: ownerOfMessage(message),
        });
    } catch (error) {
      // An unknown pool or an empty recipient list: the caller's mistake, told as a rejection.
      return Promise.reject(asError(error));
    }
    return Promise.resolve();
  }

  onDecision(listener: (record: AccountingRecord) => void): void {
    this.listeners.push(listener);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.feed?.stop();
      await this.engine?.shutdown();
      this.scheduler?.cancelAll();
    })();
    return this.stopping;
  }
}

/** The environment's identities as the engine's sources, in the pools the options name. */
function egressOf(environment: MtaEnvironment, given: Omit<EgressConfig, 'sources'> | undefined): EgressConfig {
  const sources = environment.egress.map((identity) => ({
    name: identity.name,
    sourceIp: identity.sourceIp,
    heloName: identity.heloName,
  }));
  const egress: EgressConfig = {
    sources,
    pools: given?.pools ?? [{ name: DEFAULT_POOL, members: sources.map((source) => ({ source: source.name })) }],
    defaultPool: given?.defaultPool ?? DEFAULT_POOL,
    ...(given?.tenants === undefined ? {} : { tenants: given.tenants }),
  };
  const issues = validateEgress(egress);
  if (issues.length > 0)
    throw new Error(
      `referenceInProcess: the egress does not fit the environment's identities:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
    );
  return egress;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
