/**
 * Placement of an accepted message: inbox, spam folder or silent discard, as a function of
 * the sender's reputation band, whether it met the provider's rules, and one uniform draw
 * from the receiver's own stream (so the same seed files the same messages the same way).
 * Traps are decided before placement: a trap address accepts everything.
 */
import type { ReputationBand } from './reputation.ts';

export type Placement = 'inbox' | 'spam' | 'discard';

/**
 * Share of accepted mail filed in the inbox, and silently discarded, per band.
 * @assumption: Postmaster Tools says HIGH mail "will rarely trigger spam filters", LOW is
 * "likely filtered" and BAD "almost always rejected at SMTP or marked spam" (peers.md §6.3).
 */
const INBOX_SHARE: Record<ReputationBand, number> = { high: 0.98, medium: 0.9, low: 0.45, bad: 0.1 };
const DISCARD_SHARE: Record<ReputationBand, number> = { high: 0, medium: 0, low: 0.02, bad: 0.1 };
/** Mail that misses the provider's sender rules keeps this share of its inbox chance. @assumption */
const NON_COMPLIANT_INBOX_FACTOR = 0.2;

export interface PlacementInput {
  readonly band: ReputationBand;
  /** Authentication and bulk-sender rules met. */
  readonly compliant: boolean;
  /** A uniform draw in [0, 1). */
  readonly draw: number;
}

export function placeMessage(input: PlacementInput): Placement {
  const inbox = INBOX_SHARE[input.band] * (input.compliant ? 1 : NON_COMPLIANT_INBOX_FACTOR);
  const discard = DISCARD_SHARE[input.band];
  if (input.draw < discard) return 'discard';
  return input.draw < discard + inbox ? 'inbox' : 'spam';
}
