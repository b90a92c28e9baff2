/**
 * The reference engine as its own process (`mailbench engine start --config engine.json`),
 * driven as any other MTA: its configuration written from the environment (sources, a static
 * DNS that sends each route domain to its listener, the run's clock scale), messages injected
 * over its HTTP API (202 = spooled and fsynced), decisions read from its accounting log as it
 * grows (accounting-tail.ts), and the mail that reaches the bench's return path handed on to
 * its inbound listener by SMTP (return-mail-forward.ts), so the receivers' later DSNs and
 * complaints reach its report intake as they would reach the sender domain's MX. Nothing else
 * crosses the process boundary.
 *
 * The engine service keeps its own scaled clock, started when it starts; `toRunTimeMs` (from
 * the runner) puts its records on the run's clock through the wall time they correspond to.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountingRecord } from '../../accounting.ts';
import { wallClockMs } from '../../../kernel/index.ts';
import type { EpochMs } from '../../../kernel/index.ts';
import { startEngineService } from './engine-service-process.ts';
import type { EngineServiceProcess as EngineProcess } from './engine-service-process.ts';
import type { MtaEnvironment, MtaMessage, MtaUnderTest, PauseRequest } from '../mta-under-test.ts';
import { AccountingTail } from './accounting-tail.ts';
import { REFERENCE_ENGINE_VERSION } from './engine-version.ts';
import { returnMailForwarder } from './return-mail-forward.ts';
import { staticDnsOf } from './route-dns.ts';
import { parseHostRoute } from '../../reference/service/static-resolver.ts';

export interface ReferenceChildProcessOptions {
  /** A wall-clock epoch time → the run's clock. @defaultValue records keep the engine's own clock */
  readonly toRunTimeMs?: (wallMs: number) => EpochMs;
  /** The engine's shaping file content. @defaultValue {} (its built-in presets) */
  readonly shaping?: unknown;
  /** Messages per HTTP request (the API takes up to 10,000 recipients). @defaultValue 500 */
  readonly batchSize?: number;
  /**
   * Told when return mail could not be handed on to the engine's inbound listener.
   * @defaultValue written to stderr
   */
  readonly onReturnMailError?: (error: Error) => void;
}

const POOL = 'default';
/** The engine's host name: its DSNs' Reporting-MTA, by which the return mail it wrote itself is known. */
const ENGINE_HOST = 'reference-process.mailbench.test';
/** Record fields that are times on the engine's clock. */
const TIME_FIELDS = ['atMs', 'nextAttemptAtMs', 'untilMs'] as const;

export function referenceChildProcess(options: ReferenceChildProcessOptions = {}): MtaUnderTest {
  return new ReferenceChildProcess(options);
}

class ReferenceChildProcess implements MtaUnderTest {
  readonly name = 'reference-process';
  private engine: EngineProcess | undefined;
  private tail: AccountingTail | undefined;
  private stopping: Promise<void> | undefined;
  private engineStartWallMs = 0;
  private scale = 1;
  private readonly listeners: ((record: AccountingRecord) => void)[] = [];
  /** The egress identities' names, every one of which a pause suspends. */
  private sourceNames: readonly string[] = [];
  /** The engine's own DSNs (null sender): not mail the bench injected, as Postfix's bounces are not. */
  private readonly ownMail = new Set<string>();
  /**
   * The injection API takes campaign names of letters, digits, '.', '_' and '-' only; a
   * scenario's campaigns are free text ("daily newsletter 1/7"). Each gets a safe token on the
   * way in and its own name back on the records.
   */
  private readonly campaignByToken = new Map<string, string>();
  private readonly tokenByCampaign = new Map<string, string>();

  constructor(private readonly options: ReferenceChildProcessOptions) {}

  version(): string {
    return REFERENCE_ENGINE_VERSION;
  }

  async start(environment: MtaEnvironment): Promise<void> {
    if (this.engine !== undefined || this.stopping !== undefined)
      throw new Error('referenceChildProcess().start() may be called once');
    mkdirSync(environment.workDir, { recursive: true });
    const configPath = join(environment.workDir, 'engine.json');
    writeFileSync(configPath, JSON.stringify(configOf(environment, this.options.shaping ?? {}), null, 2));
    this.scale = environment.clockScale;
    this.sourceNames = environment.egress.map((identity) => identity.name);
    this.engineStartWallMs = wallClockMs();
    const engine = await startEngineService(configPath);
    this.engine = engine;
    const inbound = parseHostRoute(engine.inbound);
    if (inbound === undefined)
      throw new Error(
        `the reference engine named no loopback inbound listener (got ${JSON.stringify(engine.inbound)})`,
      );
    const onError =
      this.options.onReturnMailError ??
      ((error: Error) =>
        console.error(`mailbench: return mail not handed on to the reference engine: ${error.message}`));
    environment.onReturnMail(
      returnMailForwarder({ inbound, engineHost: ENGINE_HOST, sourceIp: environment.returnPath.address, onError }),
    );
    this.tail = new AccountingTail(join(environment.workDir, 'accounting'), (record) => this.emit(record));
    this.tail.start();
  }

  async inject(messages: readonly MtaMessage[]): Promise<void> {
    const engine = this.engine;
    if (engine === undefined || this.stopping !== undefined)
      throw new Error('referenceChildProcess().inject() needs a started, not stopped, engine');
    const size = this.options.batchSize ?? 500;
    for (let first = 0; first < messages.length; first += size) {
      const body = {
        messages: messages
          .slice(first, first + size)
          .map((message) => requestOf(message, this.campaignToken(message.campaign))),
      };
      const response = await fetch(`http://${engine.http}/v1/messages/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 202)
        throw new Error(`the reference engine's injection API answered ${response.status}: ${await response.text()}`);
    }
  }

  /**
   * Every egress source suspended through the engine's admin API for the pause. The engine's
   * clock runs at the run's scale, so the run's duration is the engine's.
   */
  async pause(request: PauseRequest): Promise<void> {
    const engine = this.engine;
    if (engine === undefined || this.stopping !== undefined)
      throw new Error('referenceChildProcess().pause() needs a started, not stopped, engine');
    for (const source of this.sourceNames) {
      const body = { source, duration: Math.max(1, Math.round(request.durationMs)), reason: request.reason };
      const response = await fetch(`http://${engine.admin}/v1/suspend`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 200)
        throw new Error(
          `the reference engine's admin API answered ${response.status} to a pause of ${source}: ${await response.text()}`,
        );
    }
  }

  onDecision(listener: (record: AccountingRecord) => void): void {
    this.listeners.push(listener);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const engine = this.engine;
      if (engine !== undefined) {
        await engine.stop();
      }
      // After the engine closed its log: the last records it wrote.
      this.tail?.stop();
    })();
    return this.stopping;
  }

  private campaignToken(campaign: string | undefined): string | undefined {
    if (campaign === undefined) return undefined;
    let token = this.tokenByCampaign.get(campaign);
    if (token === undefined) {
      token = `${campaign.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 48)}.${this.tokenByCampaign.size + 1}`;
      this.tokenByCampaign.set(campaign, token);
      this.campaignByToken.set(token, campaign);
    }
    return token;
  }

  private emit(record: AccountingRecord): void {
    if ('campaign' in record && typeof record.campaign === 'string') {
      const campaign = this.campaignByToken.get(record.campaign);
      if (campaign !== undefined) record = { ...record, campaign };
    }
    if (record.type === 'Reception' && record.mailFrom === '') this.ownMail.add(record.messageId);
    if ('messageId' in record && this.ownMail.has(record.messageId)) return;
    const toRun = this.options.toRunTimeMs;
    let shifted = record;
    if (toRun !== undefined) {
      const fields: Record<string, unknown> = { ...record };
      for (const key of TIME_FIELDS) {
        const value = fields[key];
        // The engine's clock ran `scale` times the wall clock from its start.
        if (typeof value === 'number')
          fields[key] = toRun(this.engineStartWallMs + (value - this.engineStartWallMs) / this.scale);
      }
      shifted = fields as unknown as AccountingRecord;
    }
    for (const listener of this.listeners) listener(shifted);
  }
}

function requestOf(message: MtaMessage, campaign: string | undefined): Record<string, unknown> {
  return {
    from: message.mailFrom,
    to: [...message.recipients],
    raw: message.data,
    ...(message.tenant === undefined ? {} : { tenant: message.tenant }),
    ...(campaign === undefined ? {} : { campaign }),
    ...(message.pool === undefined ? {} : { pool: message.pool }),
  };
}

/** The engine service's configuration: the routes as its static DNS, one MX host per listener (route-dns.ts). */
function configOf(environment: MtaEnvironment, shaping: unknown): Record<string, unknown> {
  return {
    spoolDir: 'spool',
    accountingDir: 'accounting',
    listenAddress: '127.0.0.3',
    sources: environment.egress.map((identity) => ({
      name: identity.name,
      sourceIp: identity.sourceIp,
      heloName: identity.heloName,
    })),
    pools: { [POOL]: environment.egress.map((identity) => identity.name) },
    defaultPool: POOL,
    shaping,
    dns: staticDnsOf(environment.routes),
    clockScale: environment.clockScale,
    hostname: ENGINE_HOST,
  };
}
