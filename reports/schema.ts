/**
 * The report, version 1: the contract (DESIGN rule 5). Renderers and compare read only this
 * JSON, so any saved run can be re-rendered. Field names here are stable from v1 on: fields
 * may be added, never renamed or removed within a major version.
 *
 * Counts are per recipient: a message to N recipients counts N times.
 */
import type { ResolvedScenario } from '../scenarios/index.ts';
import type { Cause, Class, ErrorCode } from '../kernel/index.ts';
import type { RunSeries } from './series.ts';

export const REPORT_SCHEMA_VERSION = 1;

export type RunMode = 'sim' | 'wire';

/** How the run ended. `passed`: it finished and every check held. */
export type Outcome =
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly failedChecks: readonly string[] }
  /** The run stopped at one of its own limits before every message was final. */
  | { readonly status: 'interrupted'; readonly reason: string; readonly atMs: number }
  | { readonly status: 'errored'; readonly error: { readonly code: ErrorCode; readonly message: string } };

export interface ThroughputFigures {
  /**
   * Recipients accepted (2xx) per second of the run's clock: simulated seconds in sim mode,
   * the (possibly scaled) run clock in wire mode; with scale 1 that is real seconds.
   */
  readonly acceptedPerSecond: number;
  /** Recipient attempts the receivers answered, per second of the run's clock. */
  readonly simulatedPerSecond: number;
}

export interface MessageFigures {
  readonly injected: number;
  readonly delivered: number;
  readonly bounced: number;
  readonly expired: number;
  /** Neither delivered, bounced nor expired when the run ended (0 for a complete run). */
  readonly inFlight: number;
}

export interface AttemptFigures {
  /** Recipient attempts the sender reported (deliveries, transient failures, bounces). */
  readonly total: number;
  /** Receiver truth records with no sender attempt to pair with. */
  readonly truthWithoutAttempt: number;
  /** Sender attempts with no receiver truth (e.g. a connection that failed before any reply). */
  readonly attemptsWithoutTruth: number;
  /**
   * Receiver answers the sender reported no attempt for because it reports final outcomes
   * only (an MTA known by its DSNs: the deferrals it retried through). Absent for a sender
   * that reports every attempt.
   */
  readonly unreportedAnswers?: number;
}

export interface Figures {
  readonly throughput: ThroughputFigures;
  readonly messages: MessageFigures;
  readonly attempts: AttemptFigures;
  /** Receiver truth records by cause (every cause present, zeros included). */
  readonly causes: Record<Cause, number>;
  /** Sender attempts by class (every class present, zeros included). */
  readonly classes: Record<Class, number>;
  /**
   * Paired attempts, cause (row) × class (column). Every cause is a row; a row lists only the
   * classes it met (an absent class is 0), which keeps the 22 × 23 matrix readable.
   */
  readonly confusion: Record<Cause, Partial<Record<Class, number>>>;
  /**
   * Receiver truth records by receiver id (e.g. `gmail`, `microsoft-365`) and cause: what each
   * receiver really meant by its replies. A receiver lists only the causes it met. @since 0.2
   */
  readonly causesByReceiver?: Record<string, Partial<Record<Cause, number>>>;
  readonly later?: LaterFigures;
  /** How well the sender read the receivers (issue 5). @since 0.3 */
  readonly classification?: ClassificationFigures;
  /** Each campaign of the timeline: what it sent and how long it took. @since 0.4 */
  readonly campaigns?: readonly CampaignFigures[];
  /** Who judged the messages' SPF, DKIM and DMARC, and in sim mode how far mailauth checked it. @since 0.5 */
  readonly authentication?: AuthenticationFigures;
}

/**
 * On the wire the receivers take mailauth's verdicts; in sim mode their own verifier's, and
 * mailauth judges a sample of the same messages beside the run (the first 20 each receiver
 * authenticates under each version of the DNS zone). @since 0.5
 */
export interface AuthenticationFigures {
  readonly judgedBy: 'mailauth' | 'receivers-verifier';
  readonly auditedByMailauth?: {
    readonly messages: number;
    /** Messages where both gave the same SPF, DKIM, DMARC and one-click verdicts. */
    readonly agreed: number;
    /** Up to ten disagreements, each naming the receiver and both verdicts. */
    readonly disagreements: readonly string[];
  };
}

/**
 * One campaign's outcome (a ramp's day is a campaign): plan A vs plan B and dedicated vs grid
 * compare on these. Times are on the run clock; hours from the first injection.
 * @since 0.4
 */
export interface CampaignFigures {
  readonly campaign: string;
  readonly tenant: string | null;
  readonly injected: number;
  readonly delivered: number;
  readonly bounced: number;
  readonly expired: number;
  readonly firstInjectedAtMs: number;
  /** When its last recipient was delivered, bounced or expired; null while some are in flight. */
  readonly finishedAtMs: number | null;
  /** Hours from its first injection until half, and until all, of its recipients were final. */
  readonly hoursToHalf: number | null;
  readonly hoursToFinish: number | null;
}

/**
 * The sender's judgment scored against the receivers' truth (TAXONOMY.md "Figures every
 * report carries"). Shares are in [0, 1]; null when the run gave nothing to measure.
 * @since 0.3
 */
export interface ClassificationFigures {
  /** Mean F1 over the refusal classes that occurred or were predicted. */
  readonly macroF1: number;
  /** Refused attempts whose action was the cause's right action ÷ refused attempts. */
  readonly actionAccuracy: number | null;
  /** Valid addresses that ended suppressed. */
  readonly validWronglySuppressed: number;
  /** …÷ valid addresses refused at least once (`validRefused`). */
  readonly validWronglySuppressedShare: number;
  readonly validRefused: number;
  /** Addresses mailed again after an unknown-user or bad-domain answer. */
  readonly invalidKept: number;
  /** disguised-policy-block answers classified as such ÷ all of them (`disguisedAnswers`). */
  readonly disguisedRecall: number | null;
  readonly disguisedAnswers: number;
  /** Addresses a B2B gateway truly did not know that ended suppressed ÷ all of them (`gatewayUnknownUsers`). */
  readonly unknownUserSuppressedShare: number | null;
  readonly gatewayUnknownUsers: number;
  /** Paired attempts with a refusal cause. */
  readonly refusedAttempts: number;
}

/** What the receivers sent back after the SMTP dialogue, by the end of the run. @since 0.2 */
export interface LaterFigures {
  /** Complaints reported through ARF feedback loops (providers without one only count them). */
  readonly complaints: number;
  /** Messages accepted at SMTP and bounced later by DSN. */
  readonly asyncBounces: number;
  readonly opens: number;
  readonly clicks: number;
  /** Report mails the receivers sent: ARF complaints and DSNs. */
  readonly reportsSent: { readonly arf: number; readonly dsn: number };
  /** What the return-path mailbox received and could read (mailparser), by kind. */
  readonly reportsReceived: {
    readonly arf: number;
    readonly dsn: number;
    readonly unreadable: number;
    /**
     * The DSNs by how they were written, as the engine's reader read them: `rfc3464`,
     * `rfc3464-loose` (status fields found elsewhere), `prose` (a notice without status fields,
     * qmail-style), `ses-json`. Only formats seen are listed. @since 0.4
     */
    readonly dsnFormats?: Readonly<Record<string, number>>;
    /** The DSNs by the MTA whose bounce template they are (`exchange`, `sendmail`, `qmail` …, or `unrecognised`). @since 0.4 */
    readonly dsnWriters?: Readonly<Record<string, number>>;
  };
}

export interface ClockSpan {
  /** Run clock at the start and the end (epoch ms; simulated in sim mode). */
  readonly startMs: number;
  readonly endMs: number;
}

/** A timeline event the engine under test could not carry out, and why. */
export interface NotCarriedOut {
  readonly event: 'pause';
  /** When it was due, from the start of the run clock. */
  readonly atMs: number;
  readonly forMs: number;
  readonly why: string;
}

export interface ReportV1 {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'mailbench'; readonly version: string };
  /** The seed: replaying the run with it gives the same report in sim mode, byte for byte. */
  readonly seed: string;
  readonly mode: RunMode;
  /**
   * The sender: its name and version, for the reference engine the policy it ran (@since 0.3),
   * what it can do for a run (@since 0.5) and the timeline events it could not carry out
   * (@since 0.5): the same scenario then did not mean the same for it as for an engine that could.
   */
  readonly engine: {
    readonly name: string;
    readonly version: string;
    readonly policy?: string;
    readonly capabilities?: readonly string[];
    readonly notCarriedOut?: readonly NotCarriedOut[];
  };
  readonly scenario: ResolvedScenario;
  readonly outcome: Outcome;
  readonly clock: ClockSpan;
  readonly figures: Figures;
  /** What happened on the run clock, bucket by bucket, and the sender's decisions on it. @since 0.3 */
  readonly series?: RunSeries;
}

/**
 * What a run measured on the wall clock. Kept out of report.json so that a sim-mode report is
 * a pure function of scenario and seed; written beside it as timing.json.
 */
export interface WallTiming {
  readonly wallMs: number;
  readonly acceptedPerWallSecond: number;
  readonly attemptsPerWallSecond: number;
}
