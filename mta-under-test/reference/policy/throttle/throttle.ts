/**
 * Adaptive throttling (issue 5; research/engines.md §9.2 item 4): AIMD per source IP ×
 * provider, driven by the share of deferrals over a window — the closed loop with gradual
 * recovery that KumoCorp/kumomta#54 asked for in 2023 and PR #594 still drafts — plus strong
 * signals (Yahoo TSS04, Outlook S3150 and 4.7.650, a burst of Gmail 4.7.28, repeated blocklist
 * refusals) that suspend at
 * once and then restart at the floor and ramp up (PowerMTA's backoff mode returns to normal in
 * one step, §4.3; KumoMTA's TSA overrides simply expire, §3.4).
 *
 * The provider is the path's shaping provider, or the receiver family when no provider block
 * matched, or the site itself. A provider with several sites (a gateway's tenants) shares its
 * rate evenly between the sites active in the window. Time comes only from the attempts and
 * queries (DESIGN rule 1); every rate change is a Throttle record.
 */
import { replyText } from '../../../../kernel/index.ts';
import type { EpochMs, RecipientOutcome } from '../../../../kernel/index.ts';
import type { PathScope } from '../../../accounting.ts';
import type { Verdict } from '../../core/classify.ts';
import type { AttemptContext, DecisionEmitter, SuspensionRequest } from '../../core/policy.ts';
import { formatDuration, formatInstant, formatRate } from '../_internal/format.ts';
import { TimeWindow } from '../_internal/time-window.ts';
import { decideAimd, sampleOf } from './aimd.ts';
import type { AimdState, Sample } from './aimd.ts';
import { resolveAdaptiveThrottleOptions } from './options.ts';
import type { AdaptiveThrottleOptions, ResolvedAdaptiveThrottleOptions } from './options.ts';
import { strongSignalOf } from './strong-signals.ts';
import type { StrongSignal } from './strong-signals.ts';

/** A window of attempts never holds more than this (far above any minAttempts): bounded memory. */
const MAX_ATTEMPTS_KEPT = 50_000;
/** Past this many sites under one key, idle ones are forgotten. */
const MAX_SITES_KEPT = 1_024;

interface KeyState {
  readonly recordScope: PathScope;
  aimd: AimdState;
  readonly attempts: TimeWindow<boolean>;
  readonly firstAttemptAtMs: EpochMs;
  /** Attempts at or before this do not count (a decrease or a suspension started afresh). */
  sampleFromMs: EpochMs;
  nextDecisionAtMs: EpochMs;
  suspendedUntilMs: EpochMs;
  readonly signalHits: Map<string, TimeWindow<null>>;
  /** Each site's last attempt, to share the rate between the active ones. */
  readonly sites: Map<string, EpochMs>;
}

export interface ThrottleScope {
  readonly source: string;
  readonly site: string;
  readonly provider: string | null;
}

export class AdaptiveThrottle {
  readonly options: ResolvedAdaptiveThrottleOptions;
  private emitter: DecisionEmitter = () => undefined;
  private readonly states = new Map<string, KeyState>();
  /** `source->site` → the state key it was last counted under (for queries without a provider). */
  private readonly siteKeys = new Map<string, string>();
  private readonly deferralClasses: ReadonlySet<string>;

  constructor(options: AdaptiveThrottleOptions = {}) {
    this.options = resolveAdaptiveThrottleOptions(options);
    this.deferralClasses = new Set(this.options.deferralClasses);
  }

  attach(emit: DecisionEmitter): void {
    this.emitter = emit;
  }

  /**
   * Records one attempt and, at most once per adjustment interval with enough attempts in the
   * window, adjusts the rate; a strong signal suspends at once. Returns the suspensions to ask for.
   */
  onAttempt(verdict: Verdict, context: AttemptContext, outcome?: RecipientOutcome): SuspensionRequest[] {
    const nowMs = context.atMs;
    const state = this.stateFor(verdict, context);
    state.attempts.add(nowMs, this.deferralClasses.has(verdict.class));
    state.sites.set(context.site, nowMs);
    if (state.sites.size > MAX_SITES_KEPT)
      for (const [site, lastAtMs] of state.sites)
        if (lastAtMs <= nowMs - this.options.windowMsMax) state.sites.delete(site);
    const line =
      outcome?.kind === 'reply'
        ? [String(outcome.reply.code), outcome.reply.enhanced ?? '', replyText(outcome.reply)]
            .filter((part) => part !== '')
            .join(' ')
        : '';
    const signal = strongSignalOf(this.options.strongSignals, line, verdict.class);
    if (signal !== undefined) {
      const request = this.strongSignal(state, signal, context);
      if (request !== null) return [request];
    }
    if (nowMs >= state.nextDecisionAtMs && nowMs >= state.suspendedUntilMs) this.adjust(state, nowMs);
    return [];
  }

  /** The cap on a path now (the engine's `pathRatePerHour`): the provider's rate shared by its active sites; null when unconstrained. */
  ratePerHour(scope: ThrottleScope, nowMs: EpochMs): number | null {
    const key =
      scope.provider !== null
        ? `${scope.source}|${scope.provider}`
        : this.siteKeys.get(`${scope.source}->${scope.site}`);
    const state = key === undefined ? undefined : this.states.get(key);
    if (state?.aimd.ratePerHour === undefined || state.aimd.ratePerHour === null) return null;
    let active = state.sites.has(scope.site) ? 0 : 1;
    for (const lastAtMs of state.sites.values()) if (lastAtMs > nowMs - this.options.windowMsMax) active++;
    return state.aimd.ratePerHour / Math.max(1, active);
  }

  /** The rate of a source towards a provider (or family, or site) as the throttle holds it; undefined when never seen. */
  rateOf(source: string, provider: string): number | null | undefined {
    return this.states.get(`${source}|${provider}`)?.aimd.ratePerHour;
  }

  private stateFor(verdict: Verdict, context: AttemptContext): KeyState {
    const provider = context.provider ?? verdict.family ?? null;
    const key = `${context.source.name}|${provider ?? `site:${context.site}`}`;
    this.siteKeys.set(`${context.source.name}->${context.site}`, key);
    let state = this.states.get(key);
    if (state === undefined) {
      state = {
        recordScope:
          provider === null
            ? { source: context.source.name, site: context.site }
            : { source: context.source.name, provider },
        aimd: { ratePerHour: null, calmSinceMs: null, holding: false },
        attempts: new TimeWindow<boolean>(this.options.windowMsMax, MAX_ATTEMPTS_KEPT),
        firstAttemptAtMs: context.atMs,
        sampleFromMs: context.atMs - 1,
        nextDecisionAtMs: context.atMs + this.options.adjustIntervalMs,
        suspendedUntilMs: context.atMs,
        signalHits: new Map(),
        sites: new Map(),
      };
      this.states.set(key, state);
    }
    return state;
  }

  /** The sample a decision reads: the window, reaching back up to windowMsMax when it holds too few attempts. */
  private sample(state: KeyState, nowMs: EpochMs): Sample {
    const fresh = (spanMs: number) =>
      state.attempts.within(nowMs, spanMs).filter((event) => event.atMs > state.sampleFromMs);
    const inWindow = fresh(this.options.windowMs);
    if (inWindow.length >= this.options.minAttempts)
      return sampleOf(
        inWindow,
        Math.max(nowMs - this.options.windowMs, state.sampleFromMs, state.firstAttemptAtMs),
        nowMs,
      );
    const reaching = fresh(this.options.windowMsMax).slice(-this.options.minAttempts);
    return sampleOf(reaching, Math.max(reaching[0]?.atMs ?? nowMs, state.sampleFromMs), nowMs);
  }

  private adjust(state: KeyState, nowMs: EpochMs): void {
    const sample = this.sample(state, nowMs);
    if (sample.attempts < this.options.minAttempts) return;
    state.nextDecisionAtMs = nowMs + this.options.adjustIntervalMs;
    const decision = decideAimd(state.aimd, sample, nowMs, this.options);
    state.aimd = decision.next;
    if (decision.change === null) return;
    if (decision.change.rule === 'throttle.aimd.decrease') state.sampleFromMs = nowMs;
    this.emitter({
      type: 'Throttle',
      atMs: nowMs,
      scope: state.recordScope,
      ratePerHourBefore: decision.change.before,
      ratePerHourAfter: decision.change.after,
      reason: decision.change.reason,
      rule: decision.change.rule,
    });
  }

  /** Counts a strong-signal match; when its trigger is met (and the key is not suspended yet), suspends and restarts at the floor. */
  private strongSignal(state: KeyState, signal: StrongSignal, context: AttemptContext): SuspensionRequest | null {
    const nowMs = context.atMs;
    let hits = state.signalHits.get(signal.id);
    if (hits === undefined) {
      hits = new TimeWindow<null>(signal.windowMs, Math.max(signal.count, 1) * 4);
      state.signalHits.set(signal.id, hits);
    }
    hits.add(nowMs, null);
    const count = hits.count(nowMs);
    if (count < signal.count || nowMs < state.suspendedUntilMs) return null;
    hits.clear();
    const untilMs = nowMs + signal.suspendMs;
    const before = state.aimd.ratePerHour;
    state.suspendedUntilMs = untilMs;
    state.sampleFromMs = untilMs;
    state.nextDecisionAtMs = untilMs + this.options.adjustIntervalMs;
    state.aimd = { ratePerHour: this.options.floorPerHour, calmSinceMs: null, holding: false };
    const trigger = signal.count === 1 ? 'at once' : `${count} within ${formatDuration(signal.windowMs)}`;
    const reason = `${signal.id} (${trigger}): suspended ${formatDuration(signal.suspendMs)} until ${formatInstant(untilMs)}, then restart at the floor`;
    this.emitter({
      type: 'Throttle',
      atMs: nowMs,
      scope: state.recordScope,
      ratePerHourBefore: before,
      ratePerHourAfter: this.options.floorPerHour,
      reason: `${reason} ${formatRate(this.options.floorPerHour)}`,
      rule: `throttle.signal.${signal.id}`,
    });
    const scope: PathScope =
      context.provider === null
        ? { source: context.source.name, site: context.site }
        : { source: context.source.name, provider: context.provider };
    return { scope, untilMs, reason, rule: `throttle.signal.${signal.id}` };
  }
}
