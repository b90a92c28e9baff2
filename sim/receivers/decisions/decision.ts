/**
 * What a receiver's decision is: the reply it gives, the truth it records, and the effects the
 * shell (profiled-receiver.ts) applies to the receiver's state afterwards. Decisions read the
 * state and never change it, so "why did Gmail answer 421 here?" is one pure function call
 * over a state record, and a test can ask it without a session around it.
 */
import type { Cause, EpochMs, SmtpReply, SmtpStage } from '../../../kernel/index.ts';
import type { BounceMailFormat } from '../../later/bounce-mail.ts';
import type { AsyncBounceEvent, ComplaintEvent, EngagementEvent } from '../../later/events.ts';
import type { Greylist } from '../../mechanisms/greylist.ts';
import type { ReputationBand, ReputationSignal } from '../../mechanisms/reputation.ts';
import type { Mailbox } from '../../world/mailboxes.ts';
import type { ReplyMaker } from '../profile.ts';
import type { ReceiverSession } from '../receiver.ts';
import type { GatewayRuleMark, RuleMark } from './rule-marks.ts';

/** One truth record as a decision drafts it; the shell adds time, receiver, peer and sender. */
export interface TruthDraft {
  readonly recipient: string;
  readonly stage: SmtpStage;
  readonly cause: Cause;
  readonly reply: SmtpReply;
  readonly rule: RuleMark;
  readonly unanswered?: true;
  readonly later?: { readonly cause: Cause; readonly atMs: EpochMs };
}

/** Something that happens later: a reputation signal, or an event for the sender's inboxes. */
export type Scheduled =
  | { readonly kind: 'signal'; readonly keys: readonly string[]; readonly signal: ReputationSignal }
  | { readonly kind: 'emit'; readonly event: ComplaintEvent | EngagementEvent | AsyncBounceEvent };

/** A change to the receiver's state or to the session, applied by the shell in order. */
export type ReceiverEffect<H = never> =
  | { readonly kind: 'signal'; readonly keys: readonly string[]; readonly signal: ReputationSignal }
  | { readonly kind: 'count-accepted'; readonly peerIp: string }
  | { readonly kind: 'count-clean'; readonly peerIp: string }
  | { readonly kind: 'count-domain'; readonly domain: string; readonly amount: number }
  | { readonly kind: 'mark-bulk'; readonly domain: string }
  | {
      readonly kind: 'greylist-seen';
      readonly list: Greylist;
      readonly peerIp: string;
      readonly mailFrom: string;
      readonly recipient: string;
    }
  | { readonly kind: 'schedule'; readonly atMs: EpochMs; readonly item: Scheduled }
  | { readonly kind: 'bounce-later'; readonly recipient: string; readonly bounce: BounceLater }
  | { readonly kind: 'open-connection' }
  | { readonly kind: 'begin-transaction'; readonly mailFrom: string }
  | { readonly kind: 'add-recipient'; readonly recipient: string }
  | { readonly kind: 'close-session' }
  | { readonly kind: 'fault'; readonly fault: 'drop' | 'timeout' }
  | { readonly kind: 'message-accepted' }
  | { readonly kind: 'hook'; readonly effect: H };

export interface Decision<H = never> {
  readonly reply: SmtpReply;
  readonly truth: readonly TruthDraft[];
  readonly effects: readonly ReceiverEffect<H>[];
}

/** A refusal decided by a receiver's own policy: its text, its true cause, its rule mark. */
export interface PolicyRefusal {
  readonly maker: ReplyMaker;
  readonly cause: Cause;
  readonly rule: GatewayRuleMark;
}

/** Accept at SMTP, bounce later by DSN (gateways that validate recipients downstream). */
export interface BounceLater {
  readonly cause: Cause;
  /** The downstream reply the DSN quotes. */
  readonly maker: ReplyMaker;
  readonly rule: GatewayRuleMark;
  readonly delayMs: number;
  /** Who writes the bounce, when not the receiver itself (a gateway's downstream server). */
  readonly format?: BounceMailFormat;
}

export type RecipientDecision = { readonly refuse: PolicyRefusal } | { readonly bounceLater: BounceLater };

export interface RecipientQuestion {
  readonly session: ReceiverSession;
  readonly recipient: string;
  /** The mailbox as the world knows it (undefined: it does not exist). */
  readonly mailbox: Mailbox | undefined;
  readonly nowMs: EpochMs;
  /** The worse of the sending IP's and domain's reputation bands here. */
  readonly band: ReputationBand;
}

/** A family's own answer to a recipient, and what it changes in the family's own state. */
export interface HookAnswer<H> {
  readonly decision: RecipientDecision | null;
  readonly effects: readonly H[];
}

/** Where a receiver family adds its own policy to the shared decisions (B2B gateways). */
export interface ReceiverHooks<H = never> {
  /** Decides a recipient before the ordinary mailbox check; a null decision lets the check go on. Reads only. */
  decideRecipient?(question: RecipientQuestion): HookAnswer<H>;
  /** Applies one of the family's effects, after the decision. */
  applyEffect?(effect: H): void;
  /** The module that holds the family's decisions, for the receiver's identity. */
  readonly decidedIn?: string;
}
