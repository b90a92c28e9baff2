/**
 * The detector's judgements on one refusal under review: pass the classifier's word through,
 * hold a lone gateway refusal as unconfirmed, suspect a disguise (and slow the path down), or
 * corroborate and suppress. Each says why in a Policy record. The state they read and change
 * (the address book, the gateway traffic, the slow-downs) belongs to the detector, which hands
 * it over here.
 */
import type { EpochMs, RecipientOutcome } from '../../../../kernel/index.ts';
import type { PolicyRecord } from '../../../accounting.ts';
import type { Verdict } from '../../core/classify.ts';
import type { AttemptContext, DecisionEmitter, Judgement } from '../../core/policy.ts';
import { formatDuration, formatInstant } from '../_internal/format.ts';
import type { AddressBook, RefusalHistory } from './address-book.ts';
import type { GatewayKey, GatewayTraffic } from './gateway-traffic.ts';
import type { ResolvedBogusBounceOptions } from './options.ts';
import type { Signals } from './signals.ts';
import type { SlowDowns } from './slow-downs.ts';

export interface ReviewInput {
  /** The stateless classifier's verdict on this attempt. */
  readonly verdict: Verdict;
  readonly outcome: RecipientOutcome;
  readonly context: AttemptContext;
}

/** Classes a gateway may use as a disguise: the ones that would suppress a live address. */
export const ADDRESS_CLASSES: ReadonlySet<string> = new Set(['unknown-user', 'mailbox-disabled']);
/** One refusal under review, with everything the decision needs. */
export interface Case {
  readonly input: ReviewInput;
  readonly key: GatewayKey;
  readonly signals: Signals;
  readonly history: RefusalHistory | undefined;
  readonly nowMs: EpochMs;
}

/** What the judgements read and change: the detector's own state, and where its records go. */
export interface DetectorParts {
  readonly options: ResolvedBogusBounceOptions;
  readonly book: AddressBook;
  readonly traffic: GatewayTraffic;
  readonly slowDowns: SlowDowns;
  readonly emitter: () => DecisionEmitter;
}

export class Judgements {
  constructor(private readonly parts: DetectorParts) {}

  decide(current: Case): Judgement {
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
      const low =
        signals.velocityPerHour <= this.parts.options.lowVelocityPerHour &&
        !signals.manyAtOnce &&
        signals.gatewayAccepting;
      if (!signals.lived && low)
        return this.corroborate(
          current,
          'low-velocity',
          refusals,
          `refused again after the ${history.status === 'suspect' ? 'cool-down' : 'confirmation wait'} at ${signals.velocityPerHour} attempts/h (≤ ${this.parts.options.lowVelocityPerHour}/h) while the gateway accepts others`,
        );
      if (refusals >= this.parts.options.refusalsToCorroborate && coolDownsPassed >= 2 && signals.gatewayAccepting)
        return this.corroborate(
          current,
          'repeated',
          refusals,
          `${refusals} refusals across ${coolDownsPassed} cool-downs (≥ ${this.parts.options.refusalsToCorroborate} across ≥ 2)`,
        );
      return this.suspect(current, refusals, coolDownsPassed);
    }
    if (signals.reasons.length > 0) return this.suspect(current, 1, 0);
    if (this.parts.options.confirmLoneRefusals) return this.unconfirmed(current);
    return this.passThrough(current.input.verdict, nowMs);
  }

  /** Disguised: no suppression; mark suspect, slow the path down when the sender's traffic may be the cause, retry after a cool-down. */
  private suspect(current: Case, refusals: number, coolDownsPassed: number): Judgement {
    const { input, signals, nowMs } = current;
    const { verdict, context } = input;
    const reasons = signals.reasons.length > 0 ? signals.reasons : (['repeat'] as const);
    const coolDownMs = Math.min(
      this.parts.options.coolDownMsMax,
      this.parts.options.coolDownMs * this.parts.options.coolDownGrowth ** coolDownsPassed,
    );
    const waitUntilMs = nowMs + coolDownMs;
    const firstRefusedAtMs = current.history?.firstRefusedAtMs ?? nowMs;
    this.parts.book.setHistory(context.recipient, {
      status: 'suspect',
      refusals,
      coolDownsPassed,
      firstRefusedAtMs,
      lastRefusedAtMs: nowMs,
      waitUntilMs,
      reasons,
    });
    const rule = `bogus.${reasons[0] as string}`;
    const evidence = [
      ...verdict.evidence,
      `classifier: ${verdict.class} (${verdict.rule})`,
      ...signals.evidence,
      `refusal ${refusals}; retry after a ${formatDuration(coolDownMs)} cool-down`,
    ];
    this.policyRecord(
      'bogus.suspect',
      context.recipient,
      nowMs,
      `${reasons.join(', ')} at ${context.domain} (${current.key.family}); refusal ${refusals}; retry at ${formatInstant(waitUntilMs)}`,
      rule,
      context.owner.tenant,
    );
    const disguised: Verdict = {
      ...verdict,
      class: 'disguised-policy-block',
      action: 'backoff',
      rule,
      hard: false,
      evidence,
      family: current.key.family,
    };
    if (!signals.pathPressure) return { verdict: disguised, retryAtMs: waitUntilMs };
    const why = `disguised ${verdict.class} at ${context.domain} (${reasons.join(', ')})`;
    this.parts.slowDowns.slowDown({ source: context.source.name, site: context.site }, nowMs, why);
    const pathUntilMs = nowMs + this.parts.options.coolDownMs;
    return {
      verdict: disguised,
      retryAtMs: waitUntilMs,
      suspend: [
        {
          scope: { source: context.source.name, site: context.site },
          untilMs: pathUntilMs,
          reason: `${why}: cool-down ${formatDuration(this.parts.options.coolDownMs)}`,
          rule: 'bogus.cool-down',
        },
      ],
    };
  }

  /**
   * A burst casts doubt on the refusals that made it: the addresses of the window still waiting
   * to be confirmed become suspects, with the cool-down of the burst.
   */
  suspectBurst(key: GatewayKey, context: AttemptContext, nowMs: EpochMs): void {
    const waitUntilMs = nowMs + this.parts.options.coolDownMs;
    for (const address of new Set(this.parts.traffic.refusedRecently(key, nowMs))) {
      if (address.toLowerCase() === context.recipient.toLowerCase()) continue;
      const history = this.parts.book.history(address, nowMs);
      if (history?.status !== 'unconfirmed') continue;
      this.parts.book.setHistory(address, {
        ...history,
        status: 'suspect',
        reasons: ['burst'],
        waitUntilMs: Math.max(history.waitUntilMs, waitUntilMs),
      });
      this.policyRecord(
        'bogus.suspect',
        address,
        nowMs,
        `burst at ${key.domain} (${key.family}) after its refusal; retry not before ${formatInstant(Math.max(history.waitUntilMs, waitUntilMs))}`,
        'bogus.burst',
        context.owner.tenant,
      );
    }
  }

  /** Refused again before its wait was over, with no fresh signal: the same answer, the same retry time. */
  private refusedWhileWaiting(current: Case, history: RefusalHistory): Judgement {
    const { verdict, context } = current.input;
    this.parts.book.setHistory(context.recipient, {
      ...history,
      refusals: history.refusals + 1,
      lastRefusedAtMs: current.nowMs,
    });
    const evidence = [
      ...verdict.evidence,
      `classifier: ${verdict.class} (${verdict.rule})`,
      ...current.signals.evidence,
      `${history.status} until ${formatInstant(history.waitUntilMs)}`,
    ];
    if (history.status === 'unconfirmed') return confirmLater(current, evidence, history.waitUntilMs);
    const rule = `bogus.${history.reasons[0] ?? 'repeat'}`;
    return {
      verdict: {
        ...verdict,
        class: 'disguised-policy-block',
        action: 'backoff',
        rule,
        hard: false,
        evidence,
        family: current.key.family,
      },
      retryAtMs: history.waitUntilMs,
    };
  }

  /** A gateway's lone refusal with no sign of disguise: probably dead, but confirmed once before suppressing. */
  private unconfirmed(current: Case): Judgement {
    const { verdict, context } = current.input;
    const waitUntilMs = current.nowMs + this.parts.options.confirmAfterMs;
    this.parts.book.setHistory(context.recipient, {
      status: 'unconfirmed',
      refusals: 1,
      coolDownsPassed: 0,
      firstRefusedAtMs: current.nowMs,
      lastRefusedAtMs: current.nowMs,
      waitUntilMs,
      reasons: [],
    });
    const evidence = [
      ...verdict.evidence,
      ...current.signals.evidence,
      `gateway refusal without a sign of disguise: confirm in ${formatDuration(this.parts.options.confirmAfterMs)} before suppressing`,
    ];
    return confirmLater(current, evidence, waitUntilMs);
  }

  /** Corroborated: suppress, with an expiry, as the classifier's class. */
  private corroborate(current: Case, how: 'low-velocity' | 'repeated', refusals: number, why: string): Judgement {
    const { verdict, context } = current.input;
    this.parts.book.clearHistory(context.recipient);
    const rule = `bogus.corroborated.${how}`;
    const untilMs = this.suppressUntil(current.nowMs);
    const evidence = [
      ...verdict.evidence,
      `classifier: ${verdict.class} (${verdict.rule})`,
      ...current.signals.evidence,
      why,
    ];
    const expiry = untilMs === undefined ? 'no expiry' : `suppressed until ${formatInstant(untilMs)}`;
    this.policyRecord(
      'bogus.corroborated',
      context.recipient,
      current.nowMs,
      `${why}; refusal ${refusals}; ${expiry}`,
      rule,
      context.owner.tenant,
    );
    return {
      verdict: { ...verdict, action: 'suppress', rule, hard: true, evidence, family: current.key.family },
      suppress: { ...(untilMs === undefined ? {} : { untilMs }), evidence: [why] },
    };
  }

  /** The classifier's word stands; a suppression gets the detector's expiry. */
  passThrough(verdict: Verdict, nowMs: EpochMs): Judgement {
    if (verdict.action !== 'suppress') return { verdict };
    const untilMs = this.suppressUntil(nowMs);
    return { verdict, suppress: untilMs === undefined ? {} : { untilMs } };
  }

  suppressUntil(nowMs: EpochMs): EpochMs | undefined {
    return this.parts.options.suppressionTtlMs === null ? undefined : nowMs + this.parts.options.suppressionTtlMs;
  }

  policyRecord(
    decision: string,
    subject: string,
    atMs: EpochMs,
    detail: string,
    rule: string,
    tenant: string | undefined,
  ): void {
    const record: PolicyRecord = {
      type: 'Policy',
      atMs,
      decision,
      subject,
      detail,
      rule,
      ...(tenant === undefined ? {} : { tenant }),
    };
    this.parts.emitter()(record);
  }
}

/** A gateway's refusal held as unconfirmed: retried at `retryAtMs` to confirm it before anything is suppressed. */
function confirmLater(current: Case, evidence: readonly string[], retryAtMs: EpochMs): Judgement {
  const verdict = current.input.verdict;
  return {
    verdict: { ...verdict, action: 'retry', rule: 'bogus.confirm', hard: false, evidence, family: current.key.family },
    retryAtMs,
  };
}
