/**
 * Admission: how much a provider lets one sending IP do, as pure functions of the profile's
 * numbers, the IP's reputation band and its clean history. A new IP gets little; steady clean
 * volume earns more (the hourly allowance follows the last day's clean volume times the
 * provider's ramp factor); a worse band lowers the ceiling, and the worst band admits nothing.
 */
import type { ReputationBand } from './reputation.ts';

/**
 * Share of the provider's best hourly rate each band may use.
 * @assumption: providers publish no table; Postmaster Tools describes LOW as "likely
 * filtered" and BAD as "almost always rejected at SMTP" (peers.md §6.3), so LOW keeps a trickle
 * and BAD nothing.
 */
export const BAND_SHARE_OF_MAX_RATE: Record<ReputationBand, number> = { high: 1, medium: 0.5, low: 0.05, bad: 0 };

export interface AllowanceInput {
  readonly band: ReputationBand;
  /** Recipients from this IP accepted in the last 24 hours without a bad signal. */
  readonly cleanLastDay: number;
  readonly newIpPerHour: number;
  readonly maxPerHour: number;
  readonly rampFactor: number;
}

/** Recipients per rolling hour this IP may have accepted. */
export function hourlyAllowance(input: AllowanceInput): number {
  const earned = Math.max(input.newIpPerHour, (input.rampFactor * input.cleanLastDay) / 24);
  const ceiling = input.maxPerHour * BAND_SHARE_OF_MAX_RATE[input.band];
  return Math.floor(Math.min(earned, ceiling));
}

export type ConnectionVerdict = 'admit' | 'too-many-connections' | 'reputation-block';

export interface ConnectionQuestion {
  readonly band: ReputationBand;
  readonly openConnections: number;
  readonly connectionsPerIp: number;
  /** The receiver refuses an IP of the worst band as it connects (a connection-time reputation check). */
  readonly judgesReputationAtConnect: boolean;
}

/**
 * Whether a new connection from an IP is admitted. A receiver that judges reputation later
 * (at RCPT) still holds a bad IP to the connection limit: a bad band is no way around it.
 */
export function admitConnection(question: ConnectionQuestion): ConnectionVerdict {
  if (question.judgesReputationAtConnect && question.band === 'bad') return 'reputation-block';
  return question.openConnections >= question.connectionsPerIp ? 'too-many-connections' : 'admit';
}

export type RecipientVerdict = 'admit' | 'rate-limited' | 'reputation-block';

/** Whether one more recipient from an IP is admitted this hour. */
export function admitRecipient(band: ReputationBand, acceptedThisHour: number, allowance: number): RecipientVerdict {
  if (band === 'bad') return 'reputation-block';
  return acceptedThisHour >= allowance ? 'rate-limited' : 'admit';
}
