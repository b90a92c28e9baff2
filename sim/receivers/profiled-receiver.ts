/**
 * The shell that turns a `ProviderProfile` into a Receiver. The decisions live in
 * ./decisions/, one pure function per stage over the receiver's state record:
 *
 * - connect and MAIL FROM: decisions/decide-session.ts (outages, faults, the per-IP connection
 *   limit, the connection-time reputation gate where the profile has one, messages per connection);
 * - RCPT: decisions/decide-rcpt.ts (TLS, PTR, reputation, the hourly allowance, greylisting, a
 *   family's own policy, then the mailbox itself);
 * - DATA: decisions/decide-data.ts (size, authentication against the sim DNS) and
 *   decisions/deliver.ts (placement, traps, later bounces, complaints and engagement).
 *
 * Each decision returns `{ reply, truth, effects }`; this shell records the truth (rule
 * `<receiver id>.<mark>`, marks from decisions/rule-marks.ts), applies the effects in order,
 * and emits what falls due later. Nothing here decides anything.
 */
import type { EpochMs, SmtpReply } from '../../kernel/index.ts';
import { Authenticator } from '../mechanisms/auth/authentication.ts';
import { MailauthJudge } from '../mechanisms/auth/mailauth-verdicts.ts';
import { splitMessage } from '../mechanisms/auth/message-parts.ts';
import { NO_FAULTS } from '../mechanisms/faults.ts';
import { reputationBand, reputationScore } from '../mechanisms/reputation.ts';
import type { ReputationBand } from '../mechanisms/reputation.ts';
import type { ReceiverIncidents } from './incidents.ts';
import type { ProviderProfile } from './profile.ts';
import type {
  ArrivingMessage,
  Receiver,
  ReceiverContext,
  ReceiverIdentity,
  ReceiverLimit,
  ReceiverSession,
} from './receiver.ts';
import type { Sourced } from './profile.ts';
import type { Decision, ReceiverHooks } from './decisions/decision.ts';
import type { DecisionContext } from './decisions/decision-context.ts';
import { replyContextOf } from './decisions/decision-context.ts';
import { decideData, decideDataBegins } from './decisions/decide-data.ts';
import { decideRecipient } from './decisions/decide-rcpt.ts';
import { decideConnect, decideMailFrom } from './decisions/decide-session.ts';
import { ReceiverState } from './decisions/receiver-state.ts';

export type {
  BounceLater,
  HookAnswer,
  PolicyRefusal,
  ReceiverHooks,
  RecipientDecision,
  RecipientQuestion,
} from './decisions/decision.ts';

export interface ProfiledReceiverOptions {
  /** Turn admission limits off (throughput benchmarks): no connection cap, no hourly allowance. */
  readonly limitsOff: boolean;
  /** Outages and policy changes scheduled for this receiver; none when absent. */
  readonly incidents?: ReceiverIncidents;
}

/** The shared decisions every profiled receiver takes, stage by stage. */
const SHARED_DECISIONS: readonly string[] = [
  'sim/receivers/decisions/decide-session.ts (connect, MAIL FROM)',
  'sim/receivers/decisions/decide-rcpt.ts (RCPT)',
  'sim/receivers/decisions/decide-data.ts (DATA: size, authentication)',
  'sim/receivers/decisions/deliver.ts (DATA: placement, traps, later bounces, reactions)',
];

export function identityOf(profile: ProviderProfile, familyDecisions?: string): ReceiverIdentity {
  const limit = (name: string, value: Sourced): ReceiverLimit => ({
    name,
    value: value.value,
    unit: value.unit,
    source: value.source,
  });
  const { admission, greylist, authentication } = profile;
  const limits: ReceiverLimit[] = [
    limit('connectionsPerIp', admission.connectionsPerIp),
    limit('messagesPerConnection', admission.messagesPerConnection),
    limit('newIpPerHour', admission.newIpPerHour),
    limit('maxPerHour', admission.maxPerHour),
    limit('rampFactor', admission.rampFactor),
    limit('maxMessageBytes', profile.maxMessageBytes),
  ];
  if (greylist !== null)
    limits.push(limit('greylistDelayMs', greylist.delayMs), limit('greylistMemoryMs', greylist.memoryMs));
  if (authentication.bulkPerDay !== null) limits.push(limit('bulkPerDay', authentication.bulkPerDay));
  return {
    id: profile.id,
    name: profile.name,
    kind: profile.kind,
    domains: profile.domains,
    mxHosts: profile.mxHosts,
    ...(profile.mxPattern === undefined ? {} : { mxPattern: profile.mxPattern }),
    hostname: profile.hostname,
    maxMessageBytes: profile.maxMessageBytes.value,
    limits,
    sources: profile.sources,
    decidedIn: familyDecisions === undefined ? SHARED_DECISIONS : [...SHARED_DECISIONS, familyDecisions],
    reputationJudgedAt: profile.admission.reputationGate ?? {
      stage: 'rcpt',
      source: 'sim/receivers/decisions/decide-rcpt.ts: with the sending domain known',
    },
  };
}

/** The reputation a receiver holds of one IP or domain, for tests and reports. */
export interface ReputationView {
  reputationOf(
    key: `ip:${string}` | `domain:${string}`,
    nowMs: EpochMs,
  ): { readonly score: number; readonly band: ReputationBand };
}

/** A provider or gateway: on the wire it always authenticates with mailauth before it answers DATA. */
export type ProfiledReceiver = Receiver & ReputationView & Required<Pick<Receiver, 'prepareData'>>;

export function createProfiledReceiver<H = never>(
  profile: ProviderProfile,
  context: ReceiverContext,
  options: ProfiledReceiverOptions,
  hooks: ReceiverHooks<H> = {},
): ProfiledReceiver {
  return new ProfiledReceiverShell(profile, context, options, hooks);
}

/** Asks the decisions, records their truth, applies their effects; decides nothing itself. */
class ProfiledReceiverShell<H> implements ProfiledReceiver {
  readonly identity: ReceiverIdentity;
  readonly ehloExtensions: readonly string[];
  private readonly state: ReceiverState;
  private readonly authenticator: Authenticator;
  /** The judge on the wire, made at the first message that comes over it. */
  private mailauth: MailauthJudge | undefined;
  private sessions = 0;

  constructor(
    private readonly profile: ProviderProfile,
    private readonly context: ReceiverContext,
    private readonly options: ProfiledReceiverOptions,
    private readonly hooks: ReceiverHooks<H>,
  ) {
    this.identity = identityOf(profile, hooks.decidedIn);
    this.ehloExtensions = profile.ehloExtensions;
    this.state = new ReceiverState(profile, options.incidents, context.senderHistory);
    this.authenticator = new Authenticator(context.dns);
  }

  reputationOf(
    key: `ip:${string}` | `domain:${string}`,
    nowMs: EpochMs,
  ): { readonly score: number; readonly band: ReputationBand } {
    const score = reputationScore(this.state.reputation(key, nowMs));
    return { score, band: reputationBand(score) };
  }

  /** Applies the reputation signals that fell due and emits the later events (complaints, bounces, engagement). */
  settle(nowMs: EpochMs): void {
    const { scheduled } = this.state;
    for (let next = scheduled.peek(); next !== undefined && next.atMs <= nowMs; next = scheduled.peek()) {
      scheduled.pop();
      const item = next.value;
      if (item.kind === 'signal') this.state.signal(item.keys, item.signal, next.atMs);
      else this.context.later.emit(item.event);
    }
  }

  open(peer: { readonly peerIp: string }): ReturnType<Receiver['open']> {
    const nowMs = this.context.clock.now();
    this.settle(nowMs);
    this.sessions++;
    const session: ReceiverSession = {
      id: `${this.profile.id}-${this.sessions}`,
      peerIp: peer.peerIp,
      heloName: '',
      tls: false,
      transaction: null,
      messagesAccepted: 0,
      closing: false,
      fault: 'none',
    };
    const decision = decideConnect(this.decisionContext(nowMs), session);
    const reply = this.carryOut(session, decision, nowMs);
    return decision.admitted ? { reply, session, delayMs: decision.delayMs } : { reply, session: null };
  }

  startTls(session: ReceiverSession): void {
    session.tls = true;
  }

  helo(session: ReceiverSession, heloName: string): SmtpReply {
    session.heloName = heloName;
    return this.profile.replies.ehlo(replyContextOf(this.decisionContext(this.context.clock.now()), session));
  }

  mailFrom(session: ReceiverSession, address: string): SmtpReply {
    const nowMs = this.context.clock.now();
    this.settle(nowMs);
    return this.carryOut(session, decideMailFrom(this.decisionContext(nowMs), session, address), nowMs);
  }

  rcptTo(session: ReceiverSession, address: string): SmtpReply {
    const nowMs = this.context.clock.now();
    return this.carryOut(session, decideRecipient(this.decisionContext(nowMs), session, address), nowMs);
  }

  dataBegins(session: ReceiverSession): 'continue' | 'drop' {
    const nowMs = this.context.clock.now();
    const cut = decideDataBegins(this.decisionContext(nowMs), session);
    if (cut === null) return 'continue';
    this.carryOut(session, cut, nowMs);
    return 'drop';
  }

  /** On the wire: mailauth authenticates the message, unless it is too large to be read at all. */
  async prepareData(session: ReceiverSession, message: ArrivingMessage): Promise<ArrivingMessage> {
    if (message.sizeBytes > this.profile.maxMessageBytes.value || session.transaction === null) return message;
    const onTheWire = {
      peerIp: session.peerIp,
      heloName: session.heloName,
      mailFrom: session.transaction.mailFrom,
      data: message.data,
      receivingHost: this.identity.hostname,
    };
    this.mailauth ??= new MailauthJudge(this.context.dns);
    return { ...message, authentication: await this.mailauth.authenticate(onTheWire) };
  }

  data(session: ReceiverSession, message: ArrivingMessage): SmtpReply {
    const nowMs = this.context.clock.now();
    if (message.authentication === undefined) this.audit(session, message);
    return this.carryOut(session, decideData(this.decisionContext(nowMs), session, message), nowMs);
  }

  /** Sim mode: a sampled message is judged by mailauth too, beside the run (mailauth-audit.ts). */
  private audit(session: ReceiverSession, message: ArrivingMessage): void {
    const audit = this.context.authenticationAudit;
    const mailFrom = session.transaction?.mailFrom;
    if (audit === undefined || mailFrom === undefined || message.sizeBytes > this.profile.maxMessageBytes.value) return;
    if (!audit.takes(this.profile.id)) return;
    const own = this.authenticator.authenticate(session.peerIp, mailFrom, splitMessage(message.data));
    const onTheWire = {
      peerIp: session.peerIp,
      heloName: session.heloName,
      mailFrom,
      data: message.data,
      receivingHost: this.identity.hostname,
    };
    audit.check(this.profile.id, onTheWire, own);
  }

  reset(session: ReceiverSession): void {
    this.state.forgetTransaction(session);
  }

  close(session: ReceiverSession): void {
    this.state.closeConnection(session);
  }

  private decisionContext(nowMs: EpochMs): DecisionContext<H> {
    const { profile, options, context } = this;
    return {
      profile,
      limitsOff: options.limitsOff,
      incidents: options.incidents,
      faults: context.faults ?? NO_FAULTS,
      chance: context.rng,
      mailboxes: context.mailboxes,
      authenticator: this.authenticator,
      hooks: this.hooks,
      state: this.state,
      nowMs,
    };
  }

  /** Records the decision's truth and carries out its effects, in order; answers its reply. */
  private carryOut(session: ReceiverSession, decision: Decision<H>, nowMs: EpochMs): SmtpReply {
    const mailFrom = session.transaction?.mailFrom ?? '';
    for (const draft of decision.truth) {
      this.context.truth.record({
        ...draft,
        atMs: nowMs,
        receiver: this.profile.id,
        peerIp: session.peerIp,
        mailFrom,
        rule: `${this.profile.id}.${draft.rule}`,
      });
    }
    const applyHook = (effect: H): void => this.hooks.applyEffect?.(effect);
    for (const effect of decision.effects) this.state.apply(effect, session, nowMs, applyHook);
    return decision.reply;
  }
}
