/**
 * What a receiver's decisions read: its profile, its incidents and faults, the world's
 * mailboxes and DNS (through the authenticator), its own chance stream and its state record.
 * Decisions draw from the chance stream in a fixed order, so the same seed gives the same
 * answers; they change nothing else.
 */
import type { Cause, EpochMs, Rng, SmtpReply, SmtpStage } from '../../../kernel/index.ts';
import type { Authenticator } from '../../mechanisms/auth/authentication.ts';
import { domainOf } from '../../mechanisms/auth/authentication.ts';
import type { FaultRates } from '../../mechanisms/faults.ts';
import type { MailboxDirectory } from '../../world/mailboxes.ts';
import type { ReceiverIncidents } from '../incidents.ts';
import type { ProviderProfile, ReplyContext, ReplyMaker } from '../profile.ts';
import type { ReceiverSession } from '../receiver.ts';
import type { Decision, ReceiverEffect, ReceiverHooks, TruthDraft } from './decision.ts';
import type { RuleMark } from './rule-marks.ts';
import type { ReceiverState } from './receiver-state.ts';

export interface DecisionContext<H = never> {
  readonly profile: ProviderProfile;
  /** Admission limits off (throughput benchmarks): no connection cap, no hourly allowance. */
  readonly limitsOff: boolean;
  readonly incidents: ReceiverIncidents | undefined;
  readonly faults: FaultRates;
  /** The receiver's own stream, forked from the run seed by receiver id. */
  readonly chance: Rng;
  readonly mailboxes: MailboxDirectory;
  readonly authenticator: Authenticator;
  readonly hooks: ReceiverHooks<H>;
  readonly state: ReceiverState;
  readonly nowMs: EpochMs;
}

/**
 * What a reply may mention. Each call draws the reply's token, as a real server names each
 * answer; `mailFrom` overrides the session's when the reply answers a new MAIL FROM.
 */
export function replyContextOf(
  context: DecisionContext<unknown>,
  session: ReceiverSession,
  recipient = '',
  mailFrom = session.transaction?.mailFrom ?? '',
): ReplyContext {
  return {
    peerIp: session.peerIp,
    recipient,
    senderDomain: domainOf(mailFrom),
    token: context.chance.token(12),
    hostname: context.profile.hostname,
  };
}

/** An answer that changes nothing and records nothing. */
export function answer<H>(reply: SmtpReply, effects: readonly ReceiverEffect<H>[] = []): Decision<H> {
  return { reply, truth: [], effects };
}

/**
 * A refusal with one truth record: for `recipient`, or for the whole session ('') before any
 * recipient was named. A 421 closes the session (RFC 5321 §3.8).
 */
export function refusal<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  refused: {
    readonly stage: SmtpStage;
    readonly recipient: string;
    readonly maker: ReplyMaker;
    readonly cause: Cause;
    readonly rule: RuleMark;
  },
  effects: readonly ReceiverEffect<H>[] = [],
): Decision<H> {
  const reply = refused.maker(replyContextOf(context, session, refused.recipient));
  const truth: TruthDraft = {
    recipient: refused.recipient,
    stage: refused.stage,
    cause: refused.cause,
    reply,
    rule: refused.rule,
  };
  const closes: readonly ReceiverEffect<H>[] =
    reply.code === 421 && refused.stage === 'rcpt' ? [{ kind: 'close-session' }] : [];
  return { reply, truth: [truth], effects: [...effects, ...closes] };
}
