/**
 * What the sender has recently done to each gateway-hosted domain, per source: attempts in the
 * last hour (velocity) and unknown-user refusals in the burst window, keyed by
 * `source|family|domain`, the unit a gateway counts velocity in (a tenant, from one sending IP:
 * Cisco HAT, Microsoft's per-IP restrictions, facts §5). And the same gateway as a whole, keyed
 * by `source|family`: refusals and attempts across its domains (a reputation block hits every
 * tenant at once), the last delivery, and the last time refusals came many at once.
 */
import { HOUR_MS } from '../../../../kernel/index.ts';
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';
import { KeyedWindows } from '../_internal/time-window.ts';

/** Where an attempt went, as the detector counts it. */
export interface GatewayKey {
  readonly source: string;
  readonly family: string;
  readonly domain: string;
}

/** A domain's counts: the domain names its gateway, so the family is not part of the key (it may be learnt late). */
export function gatewayKeyString(key: GatewayKey): string {
  return `${key.source}|${key.domain.toLowerCase()}`;
}

export interface BurstFigures {
  readonly refusals: number;
  readonly attempts: number;
  readonly share: number;
}

/** A velocity count saturates here: far above any threshold, and it bounds memory. */
const MAX_EVENTS_PER_KEY = 20_000;

/** The whole gateway as one source sees it: every domain behind the family. */
function familyKeyString(key: GatewayKey): string {
  return `${key.source}|${key.family}`;
}

export class GatewayTraffic {
  private readonly attempts = new KeyedWindows<null>(HOUR_MS, MAX_EVENTS_PER_KEY);
  private readonly refusals: KeyedWindows<string>;
  private readonly familyAttempts: KeyedWindows<null>;
  private readonly familyRefusals: KeyedWindows<null>;
  /** Per `source|family`: the last delivery, and the last time refusals came many at once. */
  private readonly lastDelivery = new Map<string, EpochMs>();
  private readonly lastBlock = new Map<string, EpochMs>();

  constructor(
    private readonly burstWindowMs: Milliseconds,
    familyWindowMs: Milliseconds,
  ) {
    this.refusals = new KeyedWindows<string>(burstWindowMs, MAX_EVENTS_PER_KEY);
    this.familyAttempts = new KeyedWindows<null>(familyWindowMs, MAX_EVENTS_PER_KEY);
    this.familyRefusals = new KeyedWindows<null>(familyWindowMs, MAX_EVENTS_PER_KEY);
  }

  /** The gateway accepted a recipient from this source. */
  recordDelivery(key: GatewayKey, atMs: EpochMs): void {
    this.lastDelivery.set(familyKeyString(key), atMs);
  }

  /** Refusals from the gateway came many at once (a burst, a large share): it looked like a block. */
  recordBlock(key: GatewayKey, atMs: EpochMs): void {
    this.lastBlock.set(familyKeyString(key), atMs);
  }

  /**
   * When the gateway last accepted a recipient from this source, if it did within `memoryMs` and
   * after it last looked like a block: it accepts others, so it is not blocking the sender now.
   */
  acceptingSince(
    key: GatewayKey,
    nowMs: EpochMs,
    memoryMs: Milliseconds,
  ): {
    readonly lastDeliveryAtMs: EpochMs | null;
    readonly lastBlockAtMs: EpochMs | null;
    readonly accepting: boolean;
  } {
    const lastDeliveryAtMs = this.lastDelivery.get(familyKeyString(key)) ?? null;
    const lastBlockAtMs = this.lastBlock.get(familyKeyString(key)) ?? null;
    const recent = lastDeliveryAtMs !== null && lastDeliveryAtMs > nowMs - memoryMs;
    return {
      lastDeliveryAtMs,
      lastBlockAtMs,
      accepting: recent && (lastBlockAtMs === null || lastDeliveryAtMs > lastBlockAtMs),
    };
  }

  /** An attempt to a domain (any domain: its gateway may be known only later). */
  recordAttempt(key: GatewayKey, atMs: EpochMs): void {
    this.attempts.add(gatewayKeyString(key), atMs, null);
  }

  /** An attempt to a domain known to be behind the key's gateway family. */
  recordFamilyAttempt(key: GatewayKey, atMs: EpochMs): void {
    this.familyAttempts.add(familyKeyString(key), atMs, null);
  }

  recordRefusal(key: GatewayKey, atMs: EpochMs, recipient: string): void {
    this.refusals.add(gatewayKeyString(key), atMs, recipient);
    this.familyRefusals.add(familyKeyString(key), atMs, null);
  }

  /** Unknown-user refusals and attempts across every domain of the family, from this source, in the family window. */
  familyWide(key: GatewayKey, nowMs: EpochMs): BurstFigures {
    const refusals = this.familyRefusals.count(familyKeyString(key), nowMs);
    const attempts = Math.max(refusals, this.familyAttempts.count(familyKeyString(key), nowMs));
    return { refusals, attempts, share: attempts === 0 ? 0 : refusals / attempts };
  }

  /** The addresses refused in the burst window, oldest first. */
  refusedRecently(key: GatewayKey, nowMs: EpochMs): readonly string[] {
    return this.refusals.within(gatewayKeyString(key), nowMs).map((event) => event.value);
  }

  /** Attempts in the last hour, the current one included once recorded. */
  velocityPerHour(key: GatewayKey, nowMs: EpochMs): number {
    return this.attempts.count(gatewayKeyString(key), nowMs);
  }

  burst(key: GatewayKey, nowMs: EpochMs): BurstFigures {
    const id = gatewayKeyString(key);
    const refusals = this.refusals.count(id, nowMs);
    const attempts = Math.max(refusals, this.attempts.count(id, nowMs, this.burstWindowMs));
    return { refusals, attempts, share: attempts === 0 ? 0 : refusals / attempts };
  }
}
