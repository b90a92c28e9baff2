/**
 * The signals that make a gateway's "user unknown" suspect (research/engines.md §9.2 item 1):
 * the address lived before, the refusal is part of a burst at that domain or of a large share
 * of refusals across the whole gateway, it came while the sender was sending fast to that
 * domain, or the reply text is a known disguise. Besides, whether the gateway is accepting
 * others from the source at all — a refusal corroborates nothing while it is not. Each signal
 * comes with the figures that tripped it, written as evidence.
 */
import type { EpochMs } from '../../../../kernel/index.ts';
import { formatInstant, formatShare } from '../_internal/format.ts';
import type { AddressBook } from './address-book.ts';
import type { GatewayFingerprint } from './fingerprints.ts';
import type { GatewayKey, GatewayTraffic } from './gateway-traffic.ts';
import type { ResolvedBogusBounceOptions } from './options.ts';

/** Why a refusal is suspect, strongest first: the order names the rule (`bogus.<reason>`). */
export const SUSPECT_REASONS = [
  'delivered',
  'complained',
  'burst',
  'gateway-wide',
  'velocity',
  'fingerprint',
  'repeat',
] as const;
export type SuspectReason = (typeof SUSPECT_REASONS)[number];

export interface Signals {
  /** Reasons found, in SUSPECT_REASONS order. */
  readonly reasons: readonly SuspectReason[];
  readonly evidence: readonly string[];
  readonly velocityPerHour: number;
  /** The address proved alive before (a delivery or a complaint). */
  readonly lived: boolean;
  /** The sender's own traffic may have caused it (burst, gateway-wide share, velocity, a disguise text): slow the path down. */
  readonly pathPressure: boolean;
  /** Many refusals at once (a burst at the domain, or across the gateway): a block, however slow the sender. */
  readonly manyAtOnce: boolean;
  /** The gateway accepted other recipients from this source lately: it is not blocking the sender wholesale. */
  readonly gatewayAccepting: boolean;
}

export interface SignalInput {
  readonly key: GatewayKey;
  readonly recipient: string;
  readonly nowMs: EpochMs;
  readonly fingerprint: GatewayFingerprint | undefined;
}

export function readSignals(
  input: SignalInput,
  traffic: GatewayTraffic,
  book: AddressBook,
  options: ResolvedBogusBounceOptions,
): Signals {
  const reasons = new Set<SuspectReason>();
  const evidence: string[] = [];
  const lived = book.livedAt(input.recipient, input.nowMs);
  if (lived !== undefined) {
    reasons.add(lived.how === 'delivered' ? 'delivered' : 'complained');
    evidence.push(`${lived.how === 'delivered' ? 'delivered' : 'complained'} before: ${formatInstant(lived.atMs)}`);
  }
  const burst = traffic.burst(input.key, input.nowMs);
  if (burst.refusals >= options.burstCount && burst.share >= options.burstShareMin) {
    reasons.add('burst');
    evidence.push(
      `burst: ${burst.refusals} unknown-user of ${burst.attempts} attempts (${formatShare(burst.share)}) to ${input.key.domain} in ${options.burstWindowMs / 60_000} min (≥ ${options.burstCount} and ≥ ${formatShare(options.burstShareMin)})`,
    );
  }
  const wide = traffic.familyWide(input.key, input.nowMs);
  if (wide.refusals >= options.gatewayRefusalsMin && wide.share >= options.gatewayShareMin) {
    reasons.add('gateway-wide');
    evidence.push(
      `gateway-wide: ${wide.refusals} unknown-user of ${wide.attempts} attempts (${formatShare(wide.share)}) from ${input.key.source} to ${input.key.family} in ${options.gatewayWindowMs / 60_000} min (≥ ${options.gatewayRefusalsMin} and ≥ ${formatShare(options.gatewayShareMin)})`,
    );
  }
  const manyAtOnce = reasons.has('burst') || reasons.has('gateway-wide');
  if (manyAtOnce) traffic.recordBlock(input.key, input.nowMs);
  const accepting = traffic.acceptingSince(input.key, input.nowMs, options.acceptingMemoryMs);
  evidence.push(describeAccepting(input.key, accepting));
  const velocityPerHour = traffic.velocityPerHour(input.key, input.nowMs);
  if (velocityPerHour >= options.highVelocityPerHour) {
    reasons.add('velocity');
    evidence.push(
      `velocity: ${velocityPerHour} attempts/h from ${input.key.source} to ${input.key.domain} (≥ ${options.highVelocityPerHour}/h)`,
    );
  } else {
    evidence.push(`velocity: ${velocityPerHour} attempts/h from ${input.key.source} to ${input.key.domain}`);
  }
  if (input.fingerprint !== undefined) {
    if (input.fingerprint.disguise) reasons.add('fingerprint');
    evidence.push(`fingerprint: ${input.fingerprint.id}${input.fingerprint.disguise ? ' (a known disguise)' : ''}`);
  }
  const ordered = SUSPECT_REASONS.filter((reason) => reasons.has(reason));
  return {
    reasons: ordered,
    evidence,
    velocityPerHour,
    lived: lived !== undefined,
    pathPressure:
      reasons.has('burst') || reasons.has('gateway-wide') || reasons.has('velocity') || reasons.has('fingerprint'),
    manyAtOnce,
    gatewayAccepting: accepting.accepting,
  };
}

function describeAccepting(
  key: { readonly source: string; readonly family: string },
  state: {
    readonly lastDeliveryAtMs: EpochMs | null;
    readonly lastBlockAtMs: EpochMs | null;
    readonly accepting: boolean;
  },
): string {
  const where = `from ${key.source} to ${key.family}`;
  if (state.lastDeliveryAtMs === null) return `gateway not accepting: no delivery ${where} yet`;
  const last = `last delivery ${where} at ${formatInstant(state.lastDeliveryAtMs)}`;
  if (state.accepting)
    return `gateway accepting: ${last}${state.lastBlockAtMs === null ? '' : `, after its last block signal at ${formatInstant(state.lastBlockAtMs)}`}`;
  return `gateway not accepting: ${last}${state.lastBlockAtMs === null ? ' (too long ago)' : `, before its last block signal at ${formatInstant(state.lastBlockAtMs)}`}`;
}
