/**
 * One interface for every sender the bench can drive (DESIGN rule 3: a black box behind an
 * adapter). The bench talks to it only through its front door (`inject`) and learns its
 * decisions only through what it emits (`onDecision`: its accounting log, or records the
 * adapter derives from the sender's own logs or from the DSNs it sends to the return path).
 *
 * Adapters: `reference` (the reference engine, in-process or as a child process),
 * `smtp-relay` (any MTA that accepts SMTP), `postfix` (a private Postfix instance).
 */
import type { AccountingRecord, MessageOwner } from '../accounting.ts';

/** Where something listens on loopback. */
export interface LoopbackRoute {
  readonly address: string;
  readonly port: number;
}

/** One sending identity the MTA must use: a loopback source address and its EHLO name. */
export interface EgressIdentity {
  readonly name: string;
  readonly sourceIp: string;
  readonly heloName: string;
}

/** What the bench gives an MTA before it starts: where mail goes and who it may be. */
export interface MtaEnvironment {
  /** Recipient domain → the receiver listening for it (a transport map). */
  readonly routes: ReadonlyMap<string, LoopbackRoute>;
  /** The source addresses the MTA may send from (the first is the default). */
  readonly egress: readonly EgressIdentity[];
  /** Where reports to the envelope sender (DSNs) and complaints are delivered. */
  readonly returnPath: LoopbackRoute;
  /** A folder the adapter owns for the run (configuration, queue, logs). */
  readonly workDir: string;
  /**
   * Simulated milliseconds per real millisecond of the run's clock (1 at real speed). An MTA
   * with its own timers (retry spacing) scales them by this to live on the bench's clock.
   */
  readonly clockScale: number;
  /**
   * Subscribes to every message that reaches the return-path listener: the MTA's own DSNs to
   * the envelope sender, and the receivers' later reports (out-of-band DSNs, ARF complaints).
   * The listener gets the raw message and its envelope recipient; the listener's SMTP reply
   * waits until the returned promise settles, so what an adapter is handed is never lost.
   * This is how an adapter that knows the MTA only from outside learns its decisions, and how
   * a sender with its own report intake is fed.
   */
  onReturnMail(listener: ReturnMailListener): void;
}

export type ReturnMailListener = (raw: string | Buffer, envelopeRecipient: string | undefined) => Promise<void>;

export interface MtaMessage {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** RFC 5322, CRLF line ends. */
  readonly data: string;
  readonly tenant?: string;
  readonly campaign?: string;
  readonly pool?: string;
}

export interface MtaUnderTest {
  /** Short name for reports, e.g. `postfix`. */
  readonly name: string;
  /**
   * What the adapter can report: every attempt (an engine's accounting log, Postfix's log), or
   * each recipient's final outcome only (an MTA known by its DSNs). Scoring pairs accordingly.
   * @defaultValue 'attempts'
   */
  readonly sees?: 'attempts' | 'outcomes';
  /** The MTA's own version string, known after `start`. */
  version(): string;
  start(environment: MtaEnvironment): Promise<void>;
  /** Resolves when the MTA has accepted every message (for a durable MTA: durably). */
  inject(messages: readonly MtaMessage[]): Promise<void>;
  /** Every decision the adapter learns, in the order it learns them. */
  onDecision(listener: (record: AccountingRecord) => void): void;
  /** Stops the MTA and releases its ports and files; safe to call twice. */
  stop(): Promise<void>;
  /**
   * The capability to pause: send nothing for `durationMs` of the run's clock (mail already
   * queued and mail injected meanwhile waits), then go on. Absent: the MTA cannot be paused
   * from outside, and a run records each pause of its timeline as not carried out.
   */
  pause?(request: PauseRequest): Promise<void>;
}

export interface PauseRequest {
  readonly durationMs: number;
  /** Why, for the MTA's own record (the reference engine's Suspend records). */
  readonly reason: string;
}

/** What an MTA can do for a run beyond taking mail, as a report lists it. */
export type MtaCapability = 'pause' | 'decisions: every attempt' | 'decisions: final outcomes';

export function capabilitiesOf(mta: MtaUnderTest): readonly MtaCapability[] {
  return [
    ...(mta.pause === undefined ? [] : ['pause' as const]),
    mta.sees === 'outcomes' ? 'decisions: final outcomes' : 'decisions: every attempt',
  ];
}

/** The owner fields a message carries, for the records about it (absent fields omitted). */
export function ownerOfMessage(message: MtaMessage): MessageOwner {
  return {
    ...(message.tenant === undefined ? {} : { tenant: message.tenant }),
    ...(message.campaign === undefined ? {} : { campaign: message.campaign }),
    ...(message.pool === undefined ? {} : { pool: message.pool }),
  };
}
