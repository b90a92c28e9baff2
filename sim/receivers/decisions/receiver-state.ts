/**
 * Everything a receiver remembers between verbs, as one record: reputation per identity, open
 * connections, the rolling counts its limits read, greylists, bulk senders, what is scheduled
 * for later and which accepted recipients will bounce later. Decisions read it through the
 * methods below; only `apply` changes it, effect by effect, in the shell.
 */
import { DAY_MS, EventHeap, HOUR_MS, MINUTE_MS } from '../../../kernel/index.ts';
import type { EpochMs } from '../../../kernel/index.ts';
import { hourlyAllowance } from '../../mechanisms/admission.ts';
import { domainOf } from '../../mechanisms/auth/authentication.ts';
import { organizationalDomain } from '../../mechanisms/auth/dmarc.ts';
import { Greylist } from '../../mechanisms/greylist.ts';
import { RollingWindow } from '../../mechanisms/rate-window.ts';
import {
  GOOD_SIGNAL_HALF_LIFE_MS,
  applySignal,
  decayReputation,
  newReputation,
  reputationBand,
  reputationScore,
} from '../../mechanisms/reputation.ts';
import type { ReputationBand, ReputationSignal, ReputationState } from '../../mechanisms/reputation.ts';
import { DEFAULT_GREYLIST, DEFAULT_GREYLIST_REPLY } from '../incidents.ts';
import type { ReceiverIncidents } from '../incidents.ts';
import type { ProviderProfile, ReplyMaker } from '../profile.ts';
import type { ReceiverSession, SenderHistory } from '../receiver.ts';
import type { BounceLater, ReceiverEffect, Scheduled } from './decision.ts';

const BAND_ORDER: readonly ReputationBand[] = ['bad', 'low', 'medium', 'high'];

export class ReceiverState {
  private readonly reputations = new Map<string, ReputationState>();
  private readonly openConnections = new Map<string, number>();
  private readonly acceptedLastHour = new RollingWindow(HOUR_MS, MINUTE_MS);
  private readonly cleanLastDay = new RollingWindow(DAY_MS, HOUR_MS);
  private readonly domainLastDay = new RollingWindow(DAY_MS, HOUR_MS);
  private readonly bulkDomains = new Set<string>();
  private readonly greylist: Greylist | null;
  /** The greylist a policy change starts on a profile that has none (empty until then). */
  private readonly addedGreylist = new Greylist(DEFAULT_GREYLIST.delayMs, DEFAULT_GREYLIST.memoryMs);
  /** Recipients accepted now that will bounce later, per session. */
  private readonly bouncesLater = new WeakMap<ReceiverSession, Map<string, BounceLater>>();
  /** The keys of a session's last MAIL FROM: asked for several times per message, made once. */
  private readonly sessionKeys = new WeakMap<
    ReceiverSession,
    { readonly mailFrom: string; readonly keys: readonly string[] }
  >();
  readonly scheduled = new EventHeap<Scheduled>();

  constructor(
    private readonly profile: ProviderProfile,
    private readonly incidents: ReceiverIncidents | undefined,
    private readonly senderHistory: ((key: string) => SenderHistory | undefined) | undefined,
  ) {
    this.greylist =
      profile.greylist === null ? null : new Greylist(profile.greylist.delayMs.value, profile.greylist.memoryMs.value);
  }

  /**
   * An identity the receiver knew before the run stands on its history: clean volume over the
   * good-signal half-life (two weeks of steady sending), and the engagement it earned.
   */
  private historyOf(key: string, nowMs: EpochMs): ReputationState {
    const history = this.senderHistory?.(key);
    if (history === undefined) return newReputation(nowMs);
    const accepted = history.cleanPerDay * (GOOD_SIGNAL_HALF_LIFE_MS / DAY_MS);
    return { ...newReputation(nowMs), accepted, engagements: accepted * history.engagedShare };
  }

  reputation(key: string, nowMs: EpochMs): ReputationState {
    return decayReputation(this.reputations.get(key) ?? this.historyOf(key, nowMs), nowMs);
  }

  bandOf(key: string, nowMs: EpochMs): ReputationBand {
    return reputationBand(reputationScore(this.reputation(key, nowMs)));
  }

  /** The sending IP, and the organizational domain of the session's MAIL FROM when there is one. */
  identityKeys(session: ReceiverSession): readonly string[] {
    const mailFrom = session.transaction?.mailFrom ?? '';
    const known = this.sessionKeys.get(session);
    if (known !== undefined && known.mailFrom === mailFrom) return known.keys;
    const senderDomain = domainOf(mailFrom);
    const keys =
      senderDomain === ''
        ? [`ip:${session.peerIp}`]
        : [`ip:${session.peerIp}`, `domain:${organizationalDomain(senderDomain)}`];
    this.sessionKeys.set(session, { mailFrom, keys });
    return keys;
  }

  /**
   * The worse of the IP's and the sending domain's bands: either can get mail refused.
   * `pending`: a signal the decision is about to send, counted as if it had been applied.
   */
  senderBand(session: ReceiverSession, nowMs: EpochMs, pending?: ReputationSignal): ReputationBand {
    let worst = BAND_ORDER.length - 1;
    for (const key of this.identityKeys(session)) {
      const state =
        pending === undefined ? this.reputation(key, nowMs) : applySignal(this.reputation(key, nowMs), pending, nowMs);
      worst = Math.min(worst, BAND_ORDER.indexOf(reputationBand(reputationScore(state))));
    }
    return BAND_ORDER[worst] ?? 'high';
  }

  openConnectionsOf(peerIp: string): number {
    return this.openConnections.get(peerIp) ?? 0;
  }

  acceptedThisHour(peerIp: string, nowMs: EpochMs): number {
    return this.acceptedLastHour.count(peerIp, nowMs);
  }

  // A policy change scales the profile's limits from its time on (incidents.ts).
  private rateFactorAt(nowMs: EpochMs): number {
    return this.incidents?.policyAt(nowMs).ratePerHourFactor ?? 1;
  }

  connectionsPerIpAt(nowMs: EpochMs): number {
    const limit = this.profile.admission.connectionsPerIp.value;
    const factor = this.incidents?.policyAt(nowMs).connectionsFactor ?? 1;
    return factor === 1 ? limit : Math.max(1, Math.floor(limit * factor));
  }

  hourlyAllowanceOf(peerIp: string, band: ReputationBand, nowMs: EpochMs): number {
    const { admission } = this.profile;
    return hourlyAllowance({
      band,
      // An established IP's allowance rests on its past days too, not only on what this run sent.
      cleanLastDay: Math.max(
        this.cleanLastDay.count(peerIp, nowMs),
        this.senderHistory?.(`ip:${peerIp}`)?.cleanPerDay ?? 0,
      ),
      newIpPerHour: admission.newIpPerHour.value * this.rateFactorAt(nowMs),
      maxPerHour: admission.maxPerHour.value * this.rateFactorAt(nowMs),
      rampFactor: admission.rampFactor.value,
    });
  }

  /** The greylist in force at `nowMs` and its text, or null when the receiver does not greylist then. */
  greylistAt(nowMs: EpochMs): { readonly list: Greylist; readonly maker: ReplyMaker } | null {
    const wanted = this.incidents?.policyAt(nowMs).greylisting ?? null;
    const { greylisted } = this.profile.replies;
    if (wanted === false) return null;
    if (this.greylist !== null && greylisted !== undefined) return { list: this.greylist, maker: greylisted };
    if (wanted !== true) return null;
    return { list: this.greylist ?? this.addedGreylist, maker: greylisted ?? DEFAULT_GREYLIST_REPLY };
  }

  sentByDomainToday(domain: string, nowMs: EpochMs): number {
    return this.domainLastDay.count(domain, nowMs);
  }

  isBulk(domain: string): boolean {
    return this.bulkDomains.has(domain);
  }

  pendingBounces(session: ReceiverSession): ReadonlyMap<string, BounceLater> | undefined {
    return this.bouncesLater.get(session);
  }

  /** Carries out one effect of a decision taken at `nowMs` on `session`. */
  apply<H>(effect: ReceiverEffect<H>, session: ReceiverSession, nowMs: EpochMs, applyHook: (effect: H) => void): void {
    switch (effect.kind) {
      case 'signal':
        return this.signal(effect.keys, effect.signal, nowMs);
      case 'count-accepted':
        return this.acceptedLastHour.add(effect.peerIp, nowMs);
      case 'count-clean':
        return this.cleanLastDay.add(effect.peerIp, nowMs);
      case 'count-domain':
        return this.domainLastDay.add(effect.domain, nowMs, effect.amount);
      case 'mark-bulk':
        this.bulkDomains.add(effect.domain);
        return;
      case 'greylist-seen':
        effect.list.check(effect.peerIp, effect.mailFrom, effect.recipient, nowMs);
        return;
      case 'schedule':
        this.scheduled.push(effect.atMs, effect.item);
        return;
      case 'bounce-later': {
        const pending = this.bouncesLater.get(session) ?? new Map<string, BounceLater>();
        this.bouncesLater.set(session, pending.set(effect.recipient.toLowerCase(), effect.bounce));
        return;
      }
      case 'open-connection':
        this.openConnections.set(session.peerIp, this.openConnectionsOf(session.peerIp) + 1);
        return;
      case 'begin-transaction':
        session.transaction = { mailFrom: effect.mailFrom, recipients: [] };
        return;
      case 'add-recipient':
        session.transaction?.recipients.push(effect.recipient);
        return;
      case 'close-session':
        session.closing = true;
        return;
      case 'fault':
        session.fault = effect.fault;
        return;
      case 'message-accepted':
        session.messagesAccepted++;
        return;
      case 'hook':
        return applyHook(effect.effect);
    }
  }

  signal(keys: readonly string[], what: ReputationSignal, nowMs: EpochMs): void {
    for (const key of keys) this.reputations.set(key, applySignal(this.reputation(key, nowMs), what, nowMs));
  }

  /** The session ends or its transaction does: forget what it held. */
  forgetTransaction(session: ReceiverSession): void {
    session.transaction = null;
    this.bouncesLater.delete(session);
  }

  closeConnection(session: ReceiverSession): void {
    this.forgetTransaction(session);
    const open = this.openConnectionsOf(session.peerIp) - 1;
    if (open <= 0) this.openConnections.delete(session.peerIp);
    else this.openConnections.set(session.peerIp, open);
  }
}
