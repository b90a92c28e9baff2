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
import type { AccountingRecord, AsyncBounceRecord } from '../../../accounting.ts';
import type { Verdict } from '../../core/classify.ts';
import { GATEWAY_FAMILIES, familyOfMx } from '../../core/classifier/family.ts';
import { classifyFacts } from '../../core/classify.ts';
import type { DecisionEmitter, Judgement } from '../../core/policy.ts';
import { formatInstant } from '../_internal/format.ts';
import { AddressBook } from './address-book.ts';
import type { RefusalHistory } from './address-book.ts';
import { fingerprintOf } from './fingerprints.ts';
import type { GatewayFingerprint } from './fingerprints.ts';
import { GatewayTraffic } from './gateway-traffic.ts';
import type { GatewayKey } from './gateway-traffic.ts';
import { resolveBogusBounceOptions } from './options.ts';
import type { BogusBounceOptions, ResolvedBogusBounceOptions } from './options.ts';
import { readSignals } from './signals.ts';
import { SlowDowns } from './slow-downs.ts';
import { ADDRESS_CLASSES, Judgements } from './judgements.ts';
import type { ReviewInput } from './judgements.ts';

export type { ReviewInput } from './judgements.ts';

const GATEWAYS: ReadonlySet<string> = new Set(GATEWAY_FAMILIES);

export class BogusBounceDetector {
  readonly options: ResolvedBogusBounceOptions;
  private emitter: DecisionEmitter = () => undefined;
  private readonly traffic: GatewayTraffic;
  private readonly book: AddressBook;
  private readonly slowDowns: SlowDowns;
  private readonly judgements: Judgements;
  /** Recipient domains known to sit behind a gateway, and its family (the first one seen). */
  private readonly gatewayDomains = new Map<string, string>();
  /** Paths (`source->site`) known to lead to a gateway: the standing cap applies to them. */
  private readonly gatewayPaths = new Set<string>();

  constructor(options: BogusBounceOptions = {}) {
    this.options = resolveBogusBounceOptions(options);
    this.traffic = new GatewayTraffic(this.options.burstWindowMs, this.options.gatewayWindowMs);
    this.book = new AddressBook(
      this.options.deliveredMemoryMs,
      this.options.suspectMemoryMs,
      this.options.maxTrackedAddresses,
    );
    this.slowDowns = new SlowDowns(
      {
        startPerHour: this.options.slowDownRatePerHour,
        increasePerHour: this.options.slowDownIncreasePerHour,
        stepMs: this.options.coolDownMs,
        holdMs: this.options.slowDownMs,
      },
      () => this.emitter,
    );
    this.judgements = new Judgements({
      options: this.options,
      book: this.book,
      traffic: this.traffic,
      slowDowns: this.slowDowns,
      emitter: () => this.emitter,
    });
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
    if (gateway === null) return this.judgements.passThrough(verdict, nowMs);
    if (knownFamily === undefined) this.gatewayDomains.set(context.domain, gateway.family);
    const key: GatewayKey = {
      source: context.source.name,
      family: this.gatewayDomains.get(context.domain) ?? gateway.family,
      domain: context.domain,
    };
    this.gatewayPaths.add(`${context.source.name}->${context.site}`);
    this.traffic.recordFamilyAttempt(key, nowMs);
    if (verdict.class === 'delivered') this.traffic.recordDelivery(key, nowMs);
    if (!ADDRESS_CLASSES.has(verdict.class)) return this.judgements.passThrough(verdict, nowMs);
    // Only first refusals count towards bursts and gateway-wide shares: once a campaign's live
    // addresses are delivered, the retries left are the refused ones, and their refusals all
    // together would look like a block that is not there.
    if (this.book.history(context.recipient, nowMs) === undefined)
      this.traffic.recordRefusal(key, nowMs, context.recipient);
    // A temporary "user unknown" is retried by the classifier already: nothing to protect.
    if (verdict.action !== 'suppress') return { verdict };
    const signals = readSignals(
      { key, recipient: context.recipient, nowMs, fingerprint: gateway.fingerprint },
      this.traffic,
      this.book,
      this.options,
    );
    if (signals.reasons.includes('burst')) this.judgements.suspectBurst(key, context, nowMs);
    return this.judgements.decide({ input, key, signals, history: this.book.history(context.recipient, nowMs), nowMs });
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
    const named =
      record.diagnostic === undefined
        ? undefined
        : classifyFacts({ code: null, enhanced: record.status, text: record.diagnostic }).family;
    const family = this.gatewayDomains.get(domain) ?? (named !== undefined && GATEWAYS.has(named) ? named : undefined);
    if (record.action !== 'suppress') return { suppress: false };
    if (family === undefined) {
      const untilMs = this.judgements.suppressUntil(record.atMs);
      return untilMs === undefined ? { suppress: true } : { suppress: true, untilMs };
    }
    this.judgements.policyRecord(
      'bogus.async-suspect',
      record.recipient,
      record.atMs,
      `a later DSN (${record.status}${record.diagnostic === undefined ? '' : `, ${record.diagnostic.slice(0, 80)}`}) from behind ${family} at ${domain}: not suppressed on a DSN alone`,
      'bogus.async-suspect',
      record.tenant,
    );
    return { suppress: false };
  }

  /** Learns from the engine's records: deliveries (and complaints) prove an address alive. */
  observe(record: AccountingRecord): void {
    if (record.type === 'Delivery') {
      this.book.markLived(record.recipient, record.atMs, 'delivered');
      const history = this.book.clearHistory(record.recipient);
      if (history !== undefined) {
        const detail = `delivered after ${history.refusals} refusal${history.refusals === 1 ? '' : 's'} (${history.status} since ${formatInstant(history.firstRefusedAtMs)}; ${history.reasons.join(', ') || 'no signal'})`;
        this.judgements.policyRecord(
          'bogus.cleared',
          record.recipient,
          record.atMs,
          detail,
          'bogus.cleared',
          record.tenant,
        );
      }
    } else if (record.type === 'Feedback' && this.options.feedbackIsProofOfLife) {
      this.book.markLived(record.recipient, record.atMs, 'feedback');
    }
  }

  /** The detector's cap on a path (the engine's `pathRatePerHour`), or null. */
  ratePerHour(path: { readonly source: string; readonly site: string }, nowMs: EpochMs): number | null {
    const slowDown = this.slowDowns.ratePerHour(path, nowMs);
    const standing =
      this.options.gatewayPathRatePerHour !== null && this.gatewayPaths.has(`${path.source}->${path.site}`)
        ? this.options.gatewayPathRatePerHour
        : null;
    if (slowDown === null) return standing;
    return standing === null ? slowDown : Math.min(slowDown, standing);
  }

  /** What the detector holds against an address now: unconfirmed, suspect, or nothing. */
  statusOf(address: string, nowMs: EpochMs): RefusalHistory | undefined {
    return this.book.history(address, nowMs);
  }
}

/** The gateway family that answered (from the verdict, the MX name, or a fingerprint), or null for consumer providers and unknown MTAs. */
function gatewayOf(
  verdict: Verdict,
  outcome: RecipientOutcome,
  mxHost: string,
): { readonly family: string; readonly fingerprint: GatewayFingerprint | undefined } | null {
  // The MX name first: it is the same for every answer from a domain, where the reply texts
  // (and so the verdict's family) vary, and the counts per gateway must not split.
  const family = familyOfMx(mxHost) ?? verdict.family ?? null;
  if (family !== null && !GATEWAYS.has(family)) return null;
  const line =
    outcome.kind === 'reply'
      ? [String(outcome.reply.code), outcome.reply.enhanced ?? '', replyText(outcome.reply)]
          .filter((part) => part !== '')
          .join(' ')
      : '';
  const fingerprint = line === '' ? undefined : fingerprintOf(line);
  if (family !== null) return { family, fingerprint: fingerprint?.family === family ? fingerprint : undefined };
  return fingerprint === undefined ? null : { family: fingerprint.family, fingerprint };
}
