/**
 * The shared engine that turns a `ProviderProfile` into a Receiver. It runs the shared
 * mechanisms with the profile's numbers and answers with the profile's texts:
 *
 * - connect: faults, then the per-IP connection limit and the reputation gate;
 * - RCPT: TLS, PTR, reputation, the hourly allowance, greylisting, then the mailbox itself.
 *   Client- and sender-level refusals are given at RCPT, one per recipient, as Postfix does
 *   by default (smtpd_delay_reject = yes), so every refused recipient has its own truth;
 * - DATA: size, authentication against the sim DNS (SPF, DKIM, DMARC, bulk-sender rules),
 *   then placement (inbox, spam, discard; traps accept everything), complaints and engagement
 *   scheduled for later.
 *
 * Ground truth is written where a recipient's fate is decided: at RCPT for refusals, at the
 * end of DATA for acceptances and DATA-time refusals. Each decision carries a rule mark
 * (`<provider>.<area>.<what>`) that tests assert on.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../kernel/clock/clock.ts';
import type { BounceMailFormat } from '../later/bounce-mail.ts';
import type { EpochMs } from '../../kernel/clock/clock.ts';
import { EventHeap } from '../../kernel/clock/event-heap.ts';
import type { AsyncBounceEvent, ComplaintEvent, EngagementEvent } from '../later/events.ts';
import { admitConnection, admitRecipient, hourlyAllowance } from '../mechanisms/admission.ts';
import { Authenticator, domainOf, fromAddress, judgeAuthentication } from '../mechanisms/auth/authentication.ts';
import type { AuthVerdict } from '../mechanisms/auth/authentication.ts';
import { organizationalDomain } from '../mechanisms/auth/dmarc.ts';
import { splitMessage } from '../mechanisms/auth/message-parts.ts';
import { NO_FAULTS, drawDataFault, faultHappens } from '../mechanisms/faults.ts';
import { Greylist } from '../mechanisms/greylist.ts';
import { placeMessage } from '../mechanisms/placement.ts';
import { RollingWindow } from '../mechanisms/rate-window.ts';
import { GOOD_SIGNAL_HALF_LIFE_MS, applySignal, decayReputation, newReputation, reputationBand, reputationScore } from '../mechanisms/reputation.ts';
import type { ReputationBand, ReputationSignal, ReputationState } from '../mechanisms/reputation.ts';
import { reply } from '../../kernel/smtp/reply.ts';
import type { SmtpReply } from '../../kernel/smtp/reply.ts';
import type { SmtpStage } from '../../kernel/smtp/stage.ts';
import type { Cause } from '../../kernel/taxonomy.ts';
import type { Engagement, Mailbox } from '../world/mailboxes.ts';
import { DEFAULT_GREYLIST, DEFAULT_GREYLIST_REPLY, TEMPFAIL_REPLY, outageReplyOf } from './incidents.ts';
import type { ReceiverIncidents } from './incidents.ts';
import type { ProviderProfile, ReplyContext, ReplyMaker, Sourced } from './profile.ts';
import type { Receiver, ReceiverContext, ReceiverIdentity, ReceiverLimit, ReceiverSession } from './receiver.ts';

export interface ProfiledReceiverOptions {
  /** Turn admission limits off (throughput benchmarks): no connection cap, no hourly allowance. */
  readonly limitsOff: boolean;
  /** Outages and policy changes scheduled for this receiver; none when absent. */
  readonly incidents?: ReceiverIncidents;
}

/** A refusal decided by a receiver's own policy: its text, its true cause, its rule mark. */
export interface PolicyRefusal {
  readonly maker: ReplyMaker;
  readonly cause: Cause;
  readonly rule: string;
}

/** Accept at SMTP, bounce later by DSN (gateways that validate recipients downstream). */
export interface BounceLater {
  readonly cause: Cause;
  /** The downstream reply the DSN quotes. */
  readonly maker: ReplyMaker;
  readonly rule: string;
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

/** Where a receiver family adds its own policy to the shared engine (B2B gateways). */
export interface ReceiverHooks {
  /** Decides a recipient before the ordinary mailbox check; null lets the check go on. */
  decideRecipient?(question: RecipientQuestion): RecipientDecision | null;
}

/**
 * What people do with bulk mail in their inbox, per engagement profile.
 * @assumption: typical marketing figures (opens 10-45 %, clicks 1-8 %); complaint shares chosen
 * so a list of passive readers stays under Gmail's 0.1 % and a dormant list crosses 0.3 %.
 */
const ENGAGEMENT_RATES: Record<Engagement, { open: number; click: number; complaint: number }> = {
  engaged: { open: 0.45, click: 0.08, complaint: 0.0002 },
  passive: { open: 0.12, click: 0.01, complaint: 0.0008 },
  dormant: { open: 0.01, click: 0, complaint: 0.005 },
};
/** People act within two days of delivery. @assumption */
const REACTION_WINDOW_MS = 2 * DAY_MS;

/** RFC 5321 §4.2.3's own text, for providers that document no per-connection limit reply. */
const CLOSING_CHANNEL: ReplyMaker = () => reply(421, '4.7.0', 'Service not available, closing transmission channel');

type Scheduled =
  | { readonly kind: 'signal'; readonly keys: readonly string[]; readonly signal: ReputationSignal }
  | { readonly kind: 'emit'; readonly event: ComplaintEvent | EngagementEvent | AsyncBounceEvent };

export function identityOf(profile: ProviderProfile): ReceiverIdentity {
  const limit = (name: string, value: Sourced): ReceiverLimit => ({ name, value: value.value, unit: value.unit, source: value.source });
  const { admission, greylist, authentication } = profile;
  const limits: ReceiverLimit[] = [
    limit('connectionsPerIp', admission.connectionsPerIp),
    limit('messagesPerConnection', admission.messagesPerConnection),
    limit('newIpPerHour', admission.newIpPerHour),
    limit('maxPerHour', admission.maxPerHour),
    limit('rampFactor', admission.rampFactor),
    limit('maxMessageBytes', profile.maxMessageBytes),
  ];
  if (greylist !== null) limits.push(limit('greylistDelayMs', greylist.delayMs), limit('greylistMemoryMs', greylist.memoryMs));
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
  };
}

/** The reputation a receiver holds of one IP or domain, for tests and reports. */
export interface ReputationView {
  reputationOf(key: `ip:${string}` | `domain:${string}`, nowMs: EpochMs): { readonly score: number; readonly band: ReputationBand };
}

export type ProfiledReceiver = Receiver & ReputationView;

export function createProfiledReceiver(
  profile: ProviderProfile,
  context: ReceiverContext,
  options: ProfiledReceiverOptions,
  hooks: ReceiverHooks = {},
): ProfiledReceiver {
  const identity = identityOf(profile);
  const { clock, rng, truth, mailboxes, later } = context;
  const faults = context.faults ?? NO_FAULTS;
  const { admission, authentication, replies } = profile;
  const authenticator = new Authenticator(context.dns);
  const greylist = profile.greylist === null ? null : new Greylist(profile.greylist.delayMs.value, profile.greylist.memoryMs.value);
  const incidents = options.incidents;
  /** Greylisting a policy change starts on a profile that has none; made when first needed. */
  let addedGreylist: Greylist | null = null;
  /** The greylist in force at `nowMs` and its text, or null when the receiver does not greylist then. */
  const greylistAt = (nowMs: EpochMs): { list: Greylist; maker: ReplyMaker } | null => {
    const wanted = incidents?.policyAt(nowMs).greylisting ?? null;
    if (wanted === false) return null;
    if (greylist !== null && replies.greylisted !== undefined) return { list: greylist, maker: replies.greylisted };
    if (wanted !== true) return null;
    addedGreylist ??= new Greylist(DEFAULT_GREYLIST.delayMs, DEFAULT_GREYLIST.memoryMs);
    return { list: greylist ?? addedGreylist, maker: replies.greylisted ?? DEFAULT_GREYLIST_REPLY };
  };
  const reputations = new Map<string, ReputationState>();
  const openConnections = new Map<string, number>();
  const acceptedLastHour = new RollingWindow(HOUR_MS, MINUTE_MS);
  const cleanLastDay = new RollingWindow(DAY_MS, HOUR_MS);
  const domainLastDay = new RollingWindow(DAY_MS, HOUR_MS);
  const bulkDomains = new Set<string>();
  const scheduled = new EventHeap<Scheduled>();
  /** Recipients accepted now that will bounce later, per session. */
  const bouncesLater = new WeakMap<ReceiverSession, Map<string, BounceLater>>();
  let sessions = 0;

  /**
   * An identity the receiver knew before the run stands on its history: clean volume over the
   * good-signal half-life (two weeks of steady sending), and the engagement it earned.
   */
  const historyOf = (key: string, nowMs: EpochMs): ReputationState => {
    const history = context.senderHistory?.(key);
    if (history === undefined) return newReputation(nowMs);
    const accepted = history.cleanPerDay * (GOOD_SIGNAL_HALF_LIFE_MS / DAY_MS);
    return { ...newReputation(nowMs), accepted, engagements: accepted * history.engagedShare };
  };

  const replyContext = (session: ReceiverSession, recipient = ''): ReplyContext => ({
    peerIp: session.peerIp,
    recipient,
    senderDomain: domainOf(session.transaction?.mailFrom ?? ''),
    token: rng.token(12),
    hostname: profile.hostname,
  });

  const reputation = (key: string, nowMs: EpochMs): ReputationState => decayReputation(reputations.get(key) ?? historyOf(key, nowMs), nowMs);
  const bandOf = (key: string, nowMs: EpochMs): ReputationBand => reputationBand(reputationScore(reputation(key, nowMs)));
  const signal = (keys: readonly string[], what: ReputationSignal, nowMs: EpochMs): void => {
    for (const key of keys) reputations.set(key, applySignal(reputation(key, nowMs), what, nowMs));
  };
  /** The keys of a session's last MAIL FROM: asked for several times per message, made once. */
  const sessionKeys = new WeakMap<ReceiverSession, { readonly mailFrom: string; readonly keys: readonly string[] }>();
  const identityKeys = (session: ReceiverSession): readonly string[] => {
    const mailFrom = session.transaction?.mailFrom ?? '';
    const known = sessionKeys.get(session);
    if (known !== undefined && known.mailFrom === mailFrom) return known.keys;
    const senderDomain = domainOf(mailFrom);
    const keys = senderDomain === '' ? [`ip:${session.peerIp}`] : [`ip:${session.peerIp}`, `domain:${organizationalDomain(senderDomain)}`];
    sessionKeys.set(session, { mailFrom, keys });
    return keys;
  };
  /** The worse of the IP's and the sending domain's bands: either can get mail refused. */
  const senderBand = (session: ReceiverSession, nowMs: EpochMs): ReputationBand => {
    const bands = identityKeys(session).map((key) => bandOf(key, nowMs));
    return bands.includes('bad') ? 'bad' : bands.includes('low') ? 'low' : bands.includes('medium') ? 'medium' : 'high';
  };

  const truthBase = (session: ReceiverSession, recipient: string, atMs: EpochMs) => ({
    atMs,
    receiver: profile.id,
    peerIp: session.peerIp,
    mailFrom: session.transaction?.mailFrom ?? '',
    recipient,
  });

  const record = (session: ReceiverSession, recipient: string, stage: SmtpStage, cause: Cause, answer: SmtpReply, rule: string, unanswered = false): void => {
    truth.record({
      ...(unanswered ? { unanswered } : {}),
      ...truthBase(session, recipient, clock.now()),
      stage,
      cause,
      reply: answer,
      rule: `${profile.id}.${rule}`,
    });
  };

  /** A refusal of the whole session before any recipient: one session-level truth (recipient ''). */
  const refuseSession = (session: ReceiverSession, stage: SmtpStage, maker: ReplyMaker, cause: Cause, rule: string): SmtpReply => {
    const answer = maker(replyContext(session));
    record(session, '', stage, cause, answer, rule);
    return answer;
  };

  /** A refusal at RCPT: the reply, its truth, and a closing session after a 421. */
  const refuse = (session: ReceiverSession, recipient: string, maker: ReplyMaker, cause: Cause, rule: string): SmtpReply => {
    const answer = maker(replyContext(session, recipient));
    record(session, recipient, 'rcpt', cause, answer, rule);
    if (answer.code === 421) session.closing = true;
    return answer;
  };

  const settle = (nowMs: EpochMs): void => {
    for (let next = scheduled.peek(); next !== undefined && next.atMs <= nowMs; next = scheduled.peek()) {
      scheduled.pop();
      const item = next.value;
      if (item.kind === 'signal') signal(item.keys, item.signal, next.atMs);
      else later.emit(item.event);
    }
  };

  // A policy change scales the profile's limits from its time on (incidents.ts).
  const rateFactorAt = (nowMs: EpochMs): number => incidents?.policyAt(nowMs).ratePerHourFactor ?? 1;
  const connectionsPerIpAt = (nowMs: EpochMs): number => {
    const factor = incidents?.policyAt(nowMs).connectionsFactor ?? 1;
    return factor === 1 ? admission.connectionsPerIp.value : Math.max(1, Math.floor(admission.connectionsPerIp.value * factor));
  };
  const hourlyAllowanceOf = (peerIp: string, band: ReputationBand, nowMs: EpochMs): number =>
    hourlyAllowance({
      band,
      // An established IP's allowance rests on its past days too, not only on what this run sent.
      cleanLastDay: Math.max(cleanLastDay.count(peerIp, nowMs), context.senderHistory?.(`ip:${peerIp}`)?.cleanPerDay ?? 0),
      newIpPerHour: admission.newIpPerHour.value * rateFactorAt(nowMs),
      maxPerHour: admission.maxPerHour.value * rateFactorAt(nowMs),
      rampFactor: admission.rampFactor.value,
    });

  /** What the people behind accepted inbox mail will do: opens, clicks, complaints, later. */
  const scheduleReactions = (session: ReceiverSession, recipient: string, engagement: Engagement, headers: () => string, nowMs: EpochMs): void => {
    const rates = ENGAGEMENT_RATES[engagement];
    const base = { receiver: profile.id, recipient, mailFrom: session.transaction?.mailFrom ?? '', peerIp: session.peerIp };
    const keys = identityKeys(session);
    const draw = rng.float();
    if (draw < rates.complaint) {
      const atMs = nowMs + Math.floor(rng.float() * REACTION_WINDOW_MS);
      scheduled.push(atMs, { kind: 'signal', keys, signal: 'complaint' });
      if (profile.feedbackLoop?.kind === 'arf') {
        const loop = { feedbackLoop: profile.feedbackLoop.name, reportingMta: profile.hostname };
        scheduled.push(atMs, { kind: 'emit', event: { kind: 'complaint', atMs, ...base, ...loop, originalHeaders: headers(), arrivalMs: nowMs } });
      }
    } else if (draw < rates.complaint + rates.open) {
      const atMs = nowMs + Math.floor(rng.float() * REACTION_WINDOW_MS);
      const action = rng.chance(rates.click / rates.open) ? 'click' : 'open';
      scheduled.push(atMs, { kind: 'signal', keys, signal: 'engagement' });
      scheduled.push(atMs, { kind: 'emit', event: { kind: 'engagement', atMs, ...base, action } });
    }
  };

  const dataRefusal = (verdict: AuthVerdict, nowMs: EpochMs): { maker: ReplyMaker; cause: Cause; rule: string } | null => {
    if ((incidents?.policyAt(nowMs).authFailure ?? authentication.onFailure) === 'spam') return null;
    switch (verdict) {
      case 'dmarc-reject':
        return { maker: replies.dmarcFailure, cause: 'auth-failure', rule: 'auth.dmarc-reject' };
      case 'unauthenticated':
        return { maker: replies.authFailure, cause: 'auth-failure', rule: 'auth.unauthenticated' };
      case 'bulk-requirements':
        return { maker: replies.bulkRequirements ?? replies.dmarcFailure, cause: 'auth-failure', rule: 'auth.bulk-requirements' };
      case 'pass':
      case 'no-one-click':
        // Missing one-click unsubscribe costs placement, not the SMTP answer (G-FAQ).
        return null;
    }
  };

  return {
    identity,
    ehloExtensions: profile.ehloExtensions,

    reputationOf(key, nowMs) {
      const score = reputationScore(reputation(key, nowMs));
      return { score, band: reputationBand(score) };
    },

    settle,

    open(peer) {
      const nowMs = clock.now();
      settle(nowMs);
      sessions++;
      const session: ReceiverSession = {
        id: `${profile.id}-${sessions}`,
        peerIp: peer.peerIp,
        heloName: '',
        tls: false,
        transaction: null,
        messagesAccepted: 0,
        closing: false,
        fault: 'none',
      };
      // A receiver that is down refuses before anything else it would do, faults included.
      if (incidents?.outageAt(nowMs) === 'connect-421') {
        return { reply: refuseSession(session, 'connect', outageReplyOf(profile.id), 'server-error', 'outage.connect-421'), session: null };
      }
      if (faultHappens(rng, faults.refuseAtConnect)) {
        return { reply: refuseSession(session, 'connect', replies.serverError, 'server-error', 'fault.refuse-at-connect'), session: null };
      }
      if (!options.limitsOff) {
        const verdict = admitConnection(bandOf(`ip:${peer.peerIp}`, nowMs), openConnections.get(peer.peerIp) ?? 0, connectionsPerIpAt(nowMs));
        if (verdict === 'too-many-connections') {
          return { reply: refuseSession(session, 'connect', replies.tooManyConnections, 'too-many-connections', 'connect.too-many-connections'), session: null };
        }
      }
      openConnections.set(peer.peerIp, (openConnections.get(peer.peerIp) ?? 0) + 1);
      const delayMs = faultHappens(rng, faults.slowBanner) ? faults.slowBannerMs : 0;
      return { reply: replies.greeting(replyContext(session)), session, delayMs };
    },

    startTls(session) {
      session.tls = true;
    },

    helo(session, heloName) {
      session.heloName = heloName;
      return replies.ehlo(replyContext(session));
    },

    mailFrom(session, address) {
      settle(clock.now());
      if (session.messagesAccepted >= admission.messagesPerConnection.value && !options.limitsOff) {
        session.closing = true;
        return refuseSession(session, 'mail', replies.tooManyMessages ?? CLOSING_CHANNEL, 'too-many-connections', 'mail.messages-per-connection');
      }
      session.transaction = { mailFrom: address, recipients: [] };
      return replies.mailOk(replyContext(session));
    },

    rcptTo(session, address) {
      const nowMs = clock.now();
      if (incidents?.outageAt(nowMs) === 'tempfail') return refuse(session, address, TEMPFAIL_REPLY, 'server-error', 'outage.tempfail');
      if (profile.tls === 'required' && !session.tls) return refuse(session, address, replies.tlsRequired, 'tls-required', 'tls.required');
      if (authentication.ptrRequired && !authenticator.ptrConfirmed(session.peerIp)) {
        return refuse(session, address, replies.ptrFailure, 'auth-failure', 'auth.ptr');
      }
      const band = senderBand(session, nowMs);
      if (!options.limitsOff) {
        const verdict = admitRecipient(band, acceptedLastHour.count(session.peerIp, nowMs), hourlyAllowanceOf(session.peerIp, band, nowMs));
        if (verdict === 'reputation-block') return refuse(session, address, replies.reputationBlock, 'reputation-block', 'reputation.block');
        if (verdict === 'rate-limited') return refuse(session, address, replies.rateLimited, 'rate-limited', 'rate.hourly');
      }
      const greylisting = greylistAt(nowMs);
      if (greylisting !== null && greylisting.list.check(session.peerIp, session.transaction?.mailFrom ?? '', address, nowMs) === 'defer') {
        return refuse(session, address, greylisting.maker, 'greylisted', 'greylist.new-triplet');
      }
      const mailbox = mailboxes.get(address, nowMs);
      const decision = hooks.decideRecipient?.({ session, recipient: address, mailbox, nowMs, band }) ?? null;
      if (decision !== null && 'refuse' in decision) {
        if (decision.refuse.cause === 'unknown-user') signal(identityKeys(session), 'unknown-user', nowMs);
        return refuse(session, address, decision.refuse.maker, decision.refuse.cause, decision.refuse.rule);
      }
      if (decision !== null) {
        const pending = bouncesLater.get(session) ?? new Map<string, BounceLater>();
        bouncesLater.set(session, pending.set(address.toLowerCase(), decision.bounceLater));
        acceptedLastHour.add(session.peerIp, nowMs);
        session.transaction?.recipients.push(address);
        return replies.rcptOk(replyContext(session, address));
      }
      if (mailbox === undefined) {
        signal(identityKeys(session), 'unknown-user', nowMs);
        return refuse(session, address, replies.unknownUser, 'unknown-user', 'rcpt.unknown-user');
      }
      if (mailbox.status === 'disabled') return refuse(session, address, replies.mailboxDisabled, 'mailbox-disabled', 'rcpt.disabled');
      if (mailbox.status === 'full') return refuse(session, address, replies.mailboxFull, 'mailbox-full', 'rcpt.over-quota');
      if (faultHappens(rng, faults.serverError)) return refuse(session, address, replies.serverError, 'server-error', 'fault.server-error');
      acceptedLastHour.add(session.peerIp, nowMs);
      session.transaction?.recipients.push(address);
      return replies.rcptOk(replyContext(session, address));
    },

    dataBegins(session) {
      if (!faultHappens(rng, faults.dropMidData)) return 'continue';
      session.fault = 'drop';
      session.closing = true;
      // Cut while the body is still arriving: nothing was taken, and the truth says so.
      const answer = reply(451, '4.4.2', 'connection dropped while the message was arriving');
      for (const recipient of session.transaction?.recipients ?? []) record(session, recipient, 'data', 'network-error', answer, 'fault.drop-mid-data', true);
      return 'drop';
    },

    data(session, message) {
      const nowMs = clock.now();
      const recipients = session.transaction?.recipients ?? [];
      const refuseAll = (maker: ReplyMaker, cause: Cause, rule: string): SmtpReply => {
        const answer = maker(replyContext(session));
        for (const recipient of recipients) record(session, recipient, 'data', cause, answer, rule);
        return answer;
      };
      // Recipients accepted before the outage began meet it at DATA.
      if (incidents?.outageAt(nowMs) === 'tempfail') return refuseAll(TEMPFAIL_REPLY, 'server-error', 'outage.tempfail');
      const fault = drawDataFault(rng, faults);
      if (fault !== 'none') {
        session.fault = fault;
        session.closing = true;
        // No reply goes out: the transport cuts the connection. The truth says so, unanswered.
        const answer = reply(451, '4.4.2', `connection ${fault === 'drop' ? 'dropped' : 'timed out'} in DATA`);
        for (const recipient of recipients) record(session, recipient, 'data', 'network-error', answer, `fault.${fault}-in-data`, true);
        return answer;
      }
      if (message.sizeBytes > profile.maxMessageBytes.value) return refuseAll(replies.messageTooLarge, 'message-too-large', 'data.too-large');

      const parts = splitMessage(message.data);
      const mailFrom = session.transaction?.mailFrom ?? '';
      const results = authenticator.authenticate(session.peerIp, mailFrom, parts);
      const sendingDomain = organizationalDomain(domainOf(fromAddress(parts)) || domainOf(mailFrom));
      domainLastDay.add(sendingDomain, nowMs, recipients.length);
      const bulkPerDay = authentication.bulkPerDay?.value;
      // Gmail: once a domain reaches the bulk threshold, bulk status is permanent (G-FAQ).
      if (bulkPerDay !== undefined && domainLastDay.count(sendingDomain, nowMs) >= bulkPerDay) bulkDomains.add(sendingDomain);
      const verdict = judgeAuthentication(authentication, results, bulkDomains.has(sendingDomain));
      const keys = identityKeys(session);
      if (verdict === 'dmarc-reject' || verdict === 'unauthenticated' || verdict === 'bulk-requirements') signal(keys, 'auth-failure', nowMs);
      const refusal = dataRefusal(verdict, nowMs);
      if (refusal !== null) return refuseAll(refusal.maker, refusal.cause, refusal.rule);

      const band = senderBand(session, nowMs);
      const compliant = verdict === 'pass';
      // The header block goes into complaints and later bounces only: joined when one needs it.
      let headerBlock: string | undefined;
      const headersOf = (): string => (headerBlock ??= parts.headers.map((field) => field.raw).join(''));
      const placements = recipients.map((recipient) => ({ recipient, mailbox: mailboxes.get(recipient, nowMs), placement: placeMessage({ band, compliant, draw: rng.float() }) }));
      if (profile.spamHandling === 'reject' && replies.contentSpam !== undefined && placements.some((item) => item.mailbox?.status !== 'trap' && item.placement === 'spam')) {
        // A rejecting provider files nothing in spam: the verdict refuses the message.
        return refuseAll(replies.contentSpam, 'content-spam', 'data.spam-rejected');
      }
      const accepted = replies.dataOk(replyContext(session));
      const pendingBounces = bouncesLater.get(session);
      for (const { recipient, mailbox, placement } of placements) {
        const bounce = pendingBounces?.get(recipient.toLowerCase());
        if (bounce !== undefined) {
          const atMs = nowMs + bounce.delayMs;
          const downstream = bounce.maker(replyContext(session, recipient));
          truth.record({ ...truthBase(session, recipient, nowMs), stage: 'data', cause: 'delivered-inbox', reply: accepted, rule: `${profile.id}.${bounce.rule}`, later: { cause: bounce.cause, atMs } });
          const event: AsyncBounceEvent = {
            kind: 'async-bounce',
            atMs,
            receiver: profile.id,
            recipient,
            mailFrom,
            peerIp: session.peerIp,
            cause: bounce.cause,
            reply: downstream,
            originalHeaders: headersOf(),
            reportingMta: profile.hostname,
            arrivalMs: nowMs,
            ...formatOf(bounce.format ?? profile.bounceMail?.format),
          };
          scheduled.push(atMs, { kind: 'emit', event });
          continue;
        }
        if (mailbox?.status === 'trap') {
          record(session, recipient, 'data', 'delivered-trap', accepted, `trap.${mailbox.trap ?? 'pristine'}`);
          signal(keys, 'trap-hit', nowMs);
          continue;
        }
        const cause: Cause = placement === 'inbox' ? 'delivered-inbox' : placement === 'spam' ? 'delivered-spam' : 'discarded';
        record(session, recipient, 'data', cause, accepted, `data.${placement}`);
        signal(keys, 'accepted', nowMs);
        cleanLastDay.add(session.peerIp, nowMs);
        if (placement === 'inbox') scheduleReactions(session, recipient, mailbox?.engagement ?? 'passive', headersOf, nowMs);
      }
      session.messagesAccepted++;
      return accepted;
    },

    reset(session) {
      session.transaction = null;
      bouncesLater.delete(session);
    },

    close(session) {
      session.transaction = null;
      bouncesLater.delete(session);
      const open = (openConnections.get(session.peerIp) ?? 1) - 1;
      if (open <= 0) openConnections.delete(session.peerIp);
      else openConnections.set(session.peerIp, open);
    },
  };
}

function formatOf(format: BounceMailFormat | undefined): { format?: BounceMailFormat } {
  return format === undefined ? {} : { format };
}
