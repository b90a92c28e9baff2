/**
 * One interface for every sender the bench can drive (DESIGN rule 3: a black box behind an
 * adapter). The bench talks to it only through its front door (`inject`) and learns its
 * decisions only through what it emits (`onDecision`: its accounting log, or records the
 * adapter derives from the sender's own logs or from the DSNs it sends to the return path).
 *
 * Adapters: `reference` (the reference engine, in-process or as a child process),
 * `smtp-relay` (any MTA that accepts SMTP), `postfix` (a private Postfix instance).
 */
import type { AccountingRecord } from '../accounting.ts';

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
}

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
  /** The MTA's own version string, known after `start`. */
  version(): string;
  start(environment: MtaEnvironment): Promise<void>;
  /** Resolves when the MTA has accepted every message (for a durable MTA: durably). */
  inject(messages: readonly MtaMessage[]): Promise<void>;
  /** Every decision the adapter learns, in the order it learns them. */
  onDecision(listener: (record: AccountingRecord) => void): void;
  /** Stops the MTA and releases its ports and files; safe to call twice. */
  stop(): Promise<void>;
}
