/**
 * Bogus-bounce detection, stateful (issue 5; research/engines.md §9.2 item 1). The stateless
 * classifier reads a gateway's "550 5.1.1 user unknown" as a dead address, because one reply
 * alone cannot tell a real miss from a policy block worded as one (facts/isp-behaviors.md §6).
 * The detector uses what the engine knows besides the reply — whether the address lived
 * before, bursts of such replies at the domain and across the gateway, the sender's own
 * velocity to it, known disguise texts — and answers a suspect refusal with TAXONOMY's right
 * action for `disguised-policy-block`: do not suppress, mark suspect, slow down to that domain,
 * retry after a cool-down. A gateway's lone first refusal is retried once (Postal's 2-in-24 h,
 * research/engines.md §7). It suppresses only on corroboration, and every suppression expires:
 *
 *   refused again after the wait, at low velocity, not many at once,
 *     while the gateway accepts others from the source               → suppress (`bogus.corroborated.low-velocity`)
 *   N refusals across ≥ 2 cool-downs while it accepts others         → suppress (`bogus.corroborated.repeated`);
 *                                                                     the only way for an address that lived
 *   otherwise                                                         → suspect again, a longer cool-down
 *
 * Consumer providers (Gmail, Outlook.com, Yahoo …) and unknown MTAs pass through: their
 * "user unknown" is taken at its word, as the classifier says. Time comes only from the
 * attempts and records it is given (DESIGN rule 1).
 */
import { domainOf, replyText } from '../../../../kernel/index.ts';
import type { EpochMs, RecipientOutcome } from '../../../../kernel/index.ts';
import type { AccountingRecord, AsyncBounceRecord, PolicyRecord } from '../../../accounting.ts';
import type { Verdict } from '../../core/classify.ts';
import { GATEWAY_FAMILIES, familyOfMx } from '../../core/classifier/family.ts';
import { classifyFacts } from '../../core/classify.ts';
import type { AttemptContext, DecisionEmitter, Judgement } from '../../core/policy.ts';
import { formatDuration, formatInstant } from '../_internal/format.ts';
import { AddressBook } from './address-book.ts';
import type { RefusalHistory } from './address-book.ts';
import { fingerprintOf } from './fingerprints.ts';
import type { GatewayFingerprint } from './fingerprints.ts';
import { GatewayTraffic } from './gateway-traffic.ts';
import type { GatewayKey } from './gateway-traffic.ts';
import { resolveBogusBounceOptions } from './options.ts';
import type { BogusBounceOptions, ResolvedBogusBounceOptions } from './options.ts';
import { readSignals } from './signals.ts';
import type { Signals } from './signals.ts';
import { SlowDowns } from './slow-downs.ts';

export interface ReviewInput {
  /** The stateless classifier's verdict on this attempt. */
  readonly verdict: Verdict;
  readonly outcome: RecipientOutcome;
  readonly context: AttemptContext;
}

/** Classes a gateway may use as a disguise: the ones that would suppress a live address. */
const ADDRESS_CLASSES: ReadonlySet<string> = new Set(['unknown-user', 'mailbox-disabled']);
const GATEWAYS: ReadonlySet<string> = new Set(GATEWAY_FAMILIES);

/** One refusal under review, with everything the decision needs. */
interface Case {
  readonly input: ReviewInput;
  readonly key: GatewayKey;
  readonly signals: Signals;
  readonly history: RefusalHistory | undefined;
  readonly nowMs: EpochMs;
}

export class BogusBounceDetector {
  readonly options: ResolvedBogusBounceOptions;
  private emitter: DecisionEmitter = () => undefined;
  private readonly traffic: GatewayTraffic;
  private readonly book: AddressBook;
  private readonly slowDowns: SlowDowns;
  /** Recipient domains known to sit behind a gateway, and its family (the first one seen). */
  private readonly gatewayDomains = new Map<string, string>();
  /** Paths (`source->site`) known to lead to a gateway: the standing cap applies to them. */
  private readonly gatewayPaths = new Set<string>();

  constructor(options: BogusBounceOptions = {}) {
    this.options = resolveBogusBounceOptions(options);
    this.traffic = new GatewayTraffic(this.options.burstWindowMs, this.options.gatewayWindowMs);
    this.book = new AddressBook(this.options.deliveredMemoryMs, this.options.suspectMemoryMs, this.options.maxTrackedAddresses);
    this.slowDowns = new SlowDowns({ startPerHour: this.options.slowDownRatePerHour, increasePerHour: this.options.slowDownIncreasePerHour, stepMs: this.options.coolDownMs, holdMs: this.options.slowDownMs }, () => this.emitter);
  }

  /** Where the detector's Policy and Throttle records go. */
  attach(emit: DecisionEmitter): void {
    this.emitter = emit;
  }

  /** The judgement for one attempt, given the classifier's verdict. Called for every attempt: it counts them all. */
  review(input: ReviewInput): Judgement {
    const { verdict, outcome, context } = input;
    const nowMs = context.atMs;
    this.slowDowns.advance(nowMs);
    // Every attempt counts towards its domain's velocity, before anyone knows a gateway is
    // behind it: a gateway counts the messages it accepted before it began to refuse.
    const velocityKey: GatewayKey = { source: context.source.name, family: '', domain: context.domain };
    this.traffic.recordAttempt(velocityKey, nowMs);
    // A domain once known to sit behind a gateway stays so: its deliveries, whose texts may not
    // name the gateway, must count towards its acceptance like its refusals.
    const found = gatewayOf(verdict, outcome, context.mxHost);
    const knownFamily = this.gatewayDomains.get(context.domain);
    const gateway = found ?? (knownFamily === undefined ? null : { family: knownFamily, fingerprint: undefined });
    if (gateway === null) return this.passThrough(verdict, nowMs);
    if (knownFamily === undefined) this.gatewayDomains.set(context.domain, gateway.family);
    const key: GatewayKey = { source: context.source.name, family: this.gatewayDomains.get(context.domain) ?? gateway.family, domain: context.domain };
    this.gatewayPaths.add(`${context.source.name}->${context.site}`);
    this.traffic.recordFamilyAttempt(key, nowMs);
    if (verdict.class === 'delivered') this.traffic.recordDelivery(key, nowMs);
    if (!ADDRESS_CLASSES.has(verdict.class)) return this.passThrough(verdict, nowMs);
    // Only first refusals count towards bursts and gateway-wide shares: once a campaign's live
    // addresses are delivered, the retries left are the refused ones, and their refusals all
    // together would look like a block that is not there.
    if (this.book.history(context.recipient, nowMs) === undefined) this.traffic.recordRefusal(key, nowMs, context.recipient);
    // A temporary "user unknown" is retried by the classifier already: nothing to protect.
    if (verdict.action !== 'suppress') return { verdict };
    const signals = readSignals({ key, recipient: context.recipient, nowMs, fingerprint: gateway.fingerprint }, this.traffic, this.book, this.options);
    if (signals.reasons.includes('burst')) this.suspectBurst(key, context, nowMs);
    return this.decide({ input, key, signals, history: this.book.history(context.recipient, nowMs), nowMs });
  }

  /**
   * A later bounce (a DSN) for an address at a domain behind a gateway: gateways that validate
   * downstream answer policy refusals of real users with the same "recipient not found" DSN
   * (facts/isp-behaviors.md §7), and a DSN gives no velocity or burst to tell them apart by, so
   * it is put on record as a suspect and does not suppress; at a consumer provider or any other
   * MTA the DSN's verdict stands (with the detector's expiry).
   */
  reviewAsyncBounce(record: AsyncBounceRecord): { readonly suppress: boolean; readonly untilMs?: EpochMs } {
    const domain = domainOf(record.recipient);
    // The domain's gateway as its SMTP answers showed it, or as the DSN's own words name it (an
    // on-premise Exchange that validates downstream has no tell-tale MX name).
    const named = record.diagnostic === undefined ? undefined : classifyFacts({ code: null, enhanced: record.status, text: record.diagnostic }).family;
    const family = this.gatewayDomains.get(domain) ?? (named !== undefined && GATEWAYS.has(named) ? named : undefined);
    if (record.action !== 'suppress') return { suppress: false };
    if (family === undefined) {
      const untilMs = this.suppressUntil(record.atMs);
      return untilMs === undefined ? { suppress: true } : { suppress: true, untilMs };
    }
    this.policyRecord('bogus.async-suspect', record.recipient, record.atMs, `a later DSN (${record.status}${record.diagnostic === undefined ? '' : `, ${record.diagnostic.slice(0, 80)}`}) from behind ${family} at ${domain}: not suppressed on a DSN alone`, 'bogus.async-suspect', record.tenant);
    return { suppress: false };
  }

  /** Learns from the engine's records: deliveries (and complaints) prove an address alive. */
  observe(record: AccountingRecord): void {
    if (record.type === 'Delivery') {
      this.book.markLived(record.recipient, record.atMs, 'delivered');
      const history = this.book.clearHistory(record.recipient);
      if (history !== undefined) {
        const detail = `delivered after ${history.refusals} refusal${history.refusals === 1 ? '' : 's'} (${history.status} since ${formatInstant(history.firstRefusedAtMs)}; ${history.reasons.join(', ') || 'no signal'})`;
        this.policyRecord('bogus.cleared', record.recipient, record.atMs, detail, 'bogus.cleared', record.tenant);
      }
    } else if (record.type === 'Feedback' && this.options.feedbackIsProofOfLife) {
      this.book.markLived(record.recipient, record.atMs, 'feedback');
    }
  }

  /** The detector's cap on a path (the engine's `pathRatePerHour`), or null. */
  ratePerHour(path: { readonly source: string; readonly site: string }, nowMs: EpochMs): number | null {
    const slowDown = this.slowDowns.ratePerHour(path, nowMs);
    const standing = this.options.gatewayPathRatePerHour !== null && this.gatewayPaths.has(`${path.source}->${path.site}`) ? this.options.gatewayPathRatePerHour : null;
    if (slowDown === null) return standing;
    return standing === null ? slowDown : Math.min(slowDown, standing);
  }

  /** What the detector holds against an address now: unconfirmed, suspect, or nothing. */
  statusOf(address: string, nowMs: EpochMs): RefusalHistory | undefined {
    return this.book.history(address, nowMs);
  }

  private decide(current: Case): Judgement {
    const { history, signals, nowMs } = current;
    if (history !== undefined && nowMs < history.waitUntilMs) {
      // Refused again before its retry was due (other messages to it, or still in flight): when
      // the traffic says the gateway is still disguising, a new cool-down; otherwise the same retry.
      if (signals.pathPressure) return this.suspect(current, history.refusals + 1, history.coolDownsPassed);
      return this.refusedWhileWaiting(current, history);
    }
    if (history !== undefined) {
      const refusals = history.refusals + 1;
      const coolDownsPassed = history.coolDownsPassed + 1;
      // A refusal at low velocity corroborates when the gateway is accepting others from this
      // source meanwhile; many refusals at once (a burst at the domain, a large share across the
      // gateway), or nothing accepted at all, say it is blocking the sender — a reputation block
      // in disguise — and only repetition corroborates then.
      const low = signals.velocityPerHour <= this.options.lowVelocityPerHour && !signals.manyAtOnce && signals.gatewayAccepting;
      if (!signals.lived && low) return this.corroborate(current, 'low-velocity', refusals, `refused again after the ${history.status === 'suspect' ? 'cool-down' : 'confirmation wait'} at ${signals.velocityPerHour} attempts/h (≤ ${this.options.lowVelocityPerHour}/h) while the gateway accepts others`);
      if (refusals >= this.options.refusalsToCorroborate && coolDownsPassed >= 2 && signals.gatewayAccepting) return this.corroborate(current, 'repeated', refusals, `${refusals} refusals across ${coolDownsPassed} cool-downs (≥ ${this.options.refusalsToCorroborate} across ≥ 2)`);
      return this.suspect(current, refusals, coolDownsPassed);
    }
    if (signals.reasons.length > 0) return this.suspect(current, 1, 0);
    if (this.options.confirmLoneRefusals) return this.unconfirmed(current);
    return this.passThrough(current.input.verdict, nowMs);
  }

  /** Disguised: no suppression; mark suspect, slow the path down when the sender's traffic may be the cause, retry after a cool-down. */
  private suspect(current: Case, refusals: number, coolDownsPassed: number): Judgement {
    const { input, signals, nowMs } = current;
    const { verdict, context } = input;
    const reasons = signals.reasons.length > 0 ? signals.reasons : (['repeat'] as const);
    const coolDownMs = Math.min(this.options.coolDownMsMax, this.options.coolDownMs * this.options.coolDownGrowth ** coolDownsPassed);
    const waitUntilMs = nowMs + coolDownMs;
    const firstRefusedAtMs = current.history?.firstRefusedAtMs ?? nowMs;
    this.book.setHistory(context.recipient, { status: 'suspect', refusals, coolDownsPassed, firstRefusedAtMs, lastRefusedAtMs: nowMs, waitUntilMs, reasons });
    const rule = `bogus.${reasons[0] as string}`;
    const evidence = [...verdict.evidence, `classifier: ${verdict.class} (${verdict.rule})`, ...signals.evidence, `refusal ${refusals}; retry after a ${formatDuration(coolDownMs)} cool-down`];
    this.policyRecord('bogus.suspect', context.recipient, nowMs, `${reasons.join(', ')} at ${context.domain} (${current.key.family}); refusal ${refusals}; retry at ${formatInstant(waitUntilMs)}`, rule, context.owner.tenant);
    const disguised: Verdict = { ...verdict, class: 'disguised-policy-block', action: 'backoff', rule, hard: false, evidence, family: current.key.family };
    if (!signals.pathPressure) return { verdict: disguised, retryAtMs: waitUntilMs };
    const why = `disguised ${verdict.class} at ${context.domain} (${reasons.join(', ')})`;
    this.slowDowns.slowDown({ source: context.source.name, site: context.site }, nowMs, why);
    const pathUntilMs = nowMs + this.options.coolDownMs;
    return { verdict: disguised, retryAtMs: waitUntilMs, suspend: [{ scope: { source: context.source.name, site: context.site }, untilMs: pathUntilMs, reason: `${why}: cool-down ${formatDuration(this.options.coolDownMs)}`, rule: 'bogus.cool-down' }] };
  }

  /**
   * A burst casts doubt on the refusals that made it: the addresses of the window still waiting
   * to be confirmed become suspects, with the cool-down of the burst.
   */
  private suspectBurst(key: GatewayKey, context: AttemptContext, nowMs: EpochMs): void {
    const waitUntilMs = nowMs + this.options.coolDownMs;
    for (const address of new Set(this.traffic.refusedRecently(key, nowMs))) {
      if (address.toLowerCase() === context.recipient.toLowerCase()) continue;
      const history = this.book.history(address, nowMs);
      if (history?.status !== 'unconfirmed') continue;
      this.book.setHistory(address, { ...history, status: 'suspect', reasons: ['burst'], waitUntilMs: Math.max(history.waitUntilMs, waitUntilMs) });
      this.policyRecord('bogus.suspect', address, nowMs, `burst at ${key.domain} (${key.family}) after its refusal; retry not before ${formatInstant(Math.max(history.waitUntilMs, waitUntilMs))}`, 'bogus.burst', context.owner.tenant);
    }
  }

  /** Refused again before its wait was over, with no fresh signal: the same answer, the same retry time. */
  private refusedWhileWaiting(current: Case, history: RefusalHistory): Judgement {
    const { verdict, context } = current.input;
    this.book.setHistory(context.recipient, { ...history, refusals: history.refusals + 1, lastRefusedAtMs: current.nowMs });
    const evidence = [...verdict.evidence, `classifier: ${verdict.class} (${verdict.rule})`, ...current.signals.evidence, `${history.status} until ${formatInstant(history.waitUntilMs)}`];
    if (history.status === 'unconfirmed') return { verdict: { ...verdict, action: 'retry', rule: 'bogus.confirm', hard: false, evidence, family: current.key.family }, retryAtMs: history.waitUntilMs };
    const rule = `bogus.${history.reasons[0] ?? 'repeat'}`;
    return { verdict: { ...verdict, class: 'disguised-policy-block', action: 'backoff', rule, hard: false, evidence, family: current.key.family }, retryAtMs: history.waitUntilMs };
  }

  /** A gateway's lone refusal with no sign of disguise: probably dead, but confirmed once before suppressing. */
  private unconfirmed(current: Case): Judgement {
    const { verdict, context } = current.input;
    const waitUntilMs = current.nowMs + this.options.confirmAfterMs;
    this.book.setHistory(context.recipient, { status: 'unconfirmed', refusals: 1, coolDownsPassed: 0, firstRefusedAtMs: current.nowMs, lastRefusedAtMs: current.nowMs, waitUntilMs, reasons: [] });
    const evidence = [...verdict.evidence, ...current.signals.evidence, `gateway refusal without a sign of disguise: confirm in ${formatDuration(this.options.confirmAfterMs)} before suppressing`];
    return { verdict: { ...verdict, action: 'retry', rule: 'bogus.confirm', hard: false, evidence, family: current.key.family }, retryAtMs: waitUntilMs };
  }

  /** Corroborated: suppress, with an expiry, as the classifier's class. */
  private corroborate(current: Case, how: 'low-velocity' | 'repeated', refusals: number, why: string): Judgement {
    const { verdict, context } = current.input;
    this.book.clearHistory(context.recipient);
    const rule = `bogus.corroborated.${how}`;
    const untilMs = this.suppressUntil(current.nowMs);
    const evidence = [...verdict.evidence, `classifier: ${verdict.class} (${verdict.rule})`, ...current.signals.evidence, why];
    const expiry = untilMs === undefined ? 'no expiry' : `suppressed until ${formatInstant(untilMs)}`;
    this.policyRecord('bogus.corroborated', context.recipient, current.nowMs, `${why}; refusal ${refusals}; ${expiry}`, rule, context.owner.tenant);
    return { verdict: { ...verdict, action: 'suppress', rule, hard: true, evidence, family: current.key.family }, suppress: { ...(untilMs === undefined ? {} : { untilMs }), evidence: [why] } };
  }

  /** The classifier's word stands; a suppression gets the detector's expiry. */
  private passThrough(verdict: Verdict, nowMs: EpochMs): Judgement {
    if (verdict.action !== 'suppress') return { verdict };
    const untilMs = this.suppressUntil(nowMs);
    return { verdict, suppress: untilMs === undefined ? {} : { untilMs } };
  }

  private suppressUntil(nowMs: EpochMs): EpochMs | undefined {
    return this.options.suppressionTtlMs === null ? undefined : nowMs + this.options.suppressionTtlMs;
  }

  private policyRecord(decision: string, subject: string, atMs: EpochMs, detail: string, rule: string, tenant: string | undefined): void {
    const record: PolicyRecord = { type: 'Policy', atMs, decision, subject, detail, rule, ...(tenant === undefined ? {} : { tenant }) };
    this.emitter(record);
  }
}

/** The gateway family that answered (from the verdict, the MX name, or a fingerprint), or null for consumer providers and unknown MTAs. */
function gatewayOf(verdict: Verdict, outcome: RecipientOutcome, mxHost: string): { readonly family: string; readonly fingerprint: GatewayFingerprint | undefined } | null {
  // The MX name first: it is the same for every answer from a domain, where the reply texts
  // (and so the verdict's family) vary, and the counts per gateway must not split.
  const family = familyOfMx(mxHost) ?? verdict.family ?? null;
  if (family !== null && !GATEWAYS.has(family)) return null;
  const line = outcome.kind === 'reply' ? [String(outcome.reply.code), outcome.reply.enhanced ?? '', replyText(outcome.reply)].filter((part) => part !== '').join(' ') : '';
  const fingerprint = line === '' ? undefined : fingerprintOf(line);
  if (family !== null) return { family, fingerprint: fingerprint?.family === family ? fingerprint : undefined };
  return fingerprint === undefined ? null : { family: fingerprint.family, fingerprint };
}
