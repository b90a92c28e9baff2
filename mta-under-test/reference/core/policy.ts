/**
 * The hooks where send policy plugs into the engine core (issue 5's judgment: bogus-bounce
 * detection, adaptive throttling, warm-up plans, grid graduation). The core asks; the policy
 * answers with values — a verdict, a suppression, suspensions, a source, a rate — and the core
 * carries them out and puts each on record. A policy never touches queues or connections.
 *
 * `basicPolicy` is what a careful generic sender does: the stateless classifier decides, a
 * `suppress` verdict suppresses, the engine's own back-off holds the path, sources rotate.
 */
import type { EpochMs, RecipientOutcome } from '../../../kernel/index.ts';
import type {
  AccountingRecord,
  AsyncBounceRecord,
  MessageOwner,
  PathScope,
  PolicyRecord,
  ThrottleRecord,
} from '../../accounting.ts';
import { classifyNetworkError, classifyReply } from './classify.ts';
import type { Verdict } from './classify.ts';
import type { EgressSource } from './egress.ts';

/** Everything the core knows about one recipient attempt when it asks for a judgement. */
export interface AttemptContext {
  /** When the answer came, on the run's clock. */
  readonly atMs: EpochMs;
  /** The engine's id of the message (the accounting records carry the same). */
  readonly messageId: string;
  /** The envelope recipient the answer is about. */
  readonly recipient: string;
  /** The recipient's domain, lower case. */
  readonly domain: string;
  /** The destination site: the MX rollup the engine queues by (the sorted MX host set). */
  readonly site: string;
  /** The MX host that answered (gateway families are named from it, e.g. `*.mimecast.com`). */
  readonly mxHost: string;
  /** The provider block that matched the destination, e.g. `gmail`; null when none did. */
  readonly provider: string | null;
  /** The egress source (sending IP and HELO name) the attempt left from. */
  readonly source: EgressSource;
  /** The tenant, campaign and pool the message was injected for. */
  readonly owner: MessageOwner;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/** A suspension the policy asks for. */
export interface SuspensionRequest {
  /** What stops: a source, a source towards a site or a provider. */
  readonly scope: PathScope;
  /** Until when, on the run's clock. */
  readonly untilMs: EpochMs;
  /** Why, in words, for the Suspend record. */
  readonly reason: string;
  /** The rule that asked, for the Suspend record. */
  readonly rule: string;
}

export interface Judgement {
  /** What the answer means (class from the taxonomy) and what to do (action), with the rule and evidence. */
  readonly verdict: Verdict;
  /** Put the address on the suppression list, until `untilMs` when given. */
  readonly suppress?: { readonly untilMs?: EpochMs; readonly evidence?: readonly string[] };
  /** Suspend scopes (a path, a source towards a provider …). */
  readonly suspend?: readonly SuspensionRequest[];
  /** Retry at this time instead of the class schedule's (e.g. after a cool-down at low velocity). */
  readonly retryAtMs?: EpochMs;
}

/** What the core asks when a delivery needs an egress source. */
export interface SourceRequest {
  /** Now, on the run's clock. */
  readonly atMs: EpochMs;
  /** The pool the delivery is for (its tenant's, or the default pool). */
  readonly pool: string;
  /** The pool's sources in configuration order, those suspended towards this site left out (all of them when every one is). */
  readonly candidates: readonly EgressSource[];
  /** The recipient domain the delivery goes to. */
  readonly domain: string;
  /** The provider block that matched it, e.g. `gmail`; null when none did. */
  readonly provider: string | null;
  /** The tenant, campaign and pool of the message. */
  readonly owner: MessageOwner;
  /** How many recipients the delivery carries. */
  readonly recipients: number;
}

/**
 * A source; or a pool, whose weighted rotation picks the source (skipping suspended ones); or
 * "no source may take it before `holdUntilMs`" (a warm-up cap is spent).
 */
export type SourceChoice =
  { readonly source: EgressSource } | { readonly pool: string } | { readonly holdUntilMs: EpochMs };

/** What a policy may put on record itself: its own decisions (rates, stages, pool moves). */
export type DecisionEmitter = (record: ThrottleRecord | PolicyRecord) => void;

export interface SendPolicy {
  /** Called once by the engine with the emitter for the policy's decision records. */
  attach?(emit: DecisionEmitter): void;
  /** What an answer means and what to do about it. */
  judge(outcome: RecipientOutcome, context: AttemptContext): Judgement;
  /** Which source carries a delivery; undefined leaves it to the pool's rotation. */
  chooseSource?(request: SourceRequest): SourceChoice | undefined;
  /** A cap on a path's message rate now, in messages per hour (adaptive throttling, warm-up); null: none. */
  pathRatePerHour?(
    path: { readonly source: string; readonly site: string; readonly provider: string | null },
    nowMs: EpochMs,
  ): number | null;
  /**
   * Whether a later bounce (a DSN joined to one of the engine's messages) suppresses its
   * address. @defaultValue suppress when the DSN's verdict says `suppress`
   */
  judgeAsyncBounce?(record: AsyncBounceRecord): { readonly suppress: boolean; readonly untilMs?: EpochMs };
  /** Sees every accounting record the engine emits, after it is emitted (policies learn from them). */
  observe?(record: AccountingRecord): void;
}

/** The stateless classifier's verdict, and a suppression when it says `suppress`. */
export function basicJudgement(outcome: RecipientOutcome, context: AttemptContext): Judgement {
  const replyContext = { mxHost: context.mxHost, domain: context.domain, stage: outcome.stage };
  const verdict: Verdict =
    outcome.kind === 'reply'
      ? classifyReply(outcome.reply, replyContext)
      : classifyNetworkError(outcome.message, replyContext);
  return verdict.action === 'suppress' ? { verdict, suppress: {} } : { verdict };
}

export function basicPolicy(): SendPolicy {
  return { judge: basicJudgement };
}
