/**
 * Receiver faults at scripted rates: the ways real servers misbehave that a sender must
 * survive. Each is drawn from the receiver's own stream at a fixed point of the dialogue, so
 * the same seed gives the same faults.
 */
import type { Rng } from '../../kernel/index.ts';

export interface FaultRates {
  /** Share of connections answered `421` at the greeting. */
  readonly refuseAtConnect: number;
  /** Share of connections whose greeting comes late (tarpit), by `slowBannerMs`. */
  readonly slowBanner: number;
  readonly slowBannerMs: number;
  /** Share of recipients answered with a transient server error. */
  readonly serverError: number;
  /** Share of DATA transfers where the connection drops while the body is still arriving. */
  readonly dropMidData: number;
  /** Share of DATA transfers where the connection drops after the body, before the reply (a reset after DATA). */
  readonly dropInData: number;
  /** Share of DATA transfers never answered: the server hangs until the client gives up. */
  readonly timeoutInData: number;
}

export const NO_FAULTS: FaultRates = {
  refuseAtConnect: 0,
  slowBanner: 0,
  slowBannerMs: 0,
  serverError: 0,
  dropMidData: 0,
  dropInData: 0,
  timeoutInData: 0,
};

export type DataFault = 'none' | 'drop' | 'timeout';

/** Draws nothing when the rate is zero, so a run without faults keeps its other draws. */
export function faultHappens(rng: Rng, rate: number): boolean {
  return rate > 0 && rng.chance(rate);
}

export function drawDataFault(rng: Rng, rates: FaultRates): DataFault {
  if (faultHappens(rng, rates.dropInData)) return 'drop';
  if (faultHappens(rng, rates.timeoutInData)) return 'timeout';
  return 'none';
}
