/**
 * Reputation of one sending identity (an IP, or a sending domain) at one provider, as a pure
 * function of what the provider has seen: clean volume, unknown users, trap hits, complaints,
 * authentication failures and engagement, each an exponentially decayed count. The score is
 * in [0, 1]; it falls with every bad signal and recovers as bad counts decay and clean,
 * engaged volume accumulates. Providers show it in their own terms (`scaleLabel`).
 *
 * Weights and half-lives are @assumption: no provider publishes its formula. They are set so
 * that the published thresholds bite where senders see them bite: a spam-complaint rate of
 * 0.3 % (Gmail and Yahoo's limit, facts/isp-behaviors.md §1) costs a band, a few trap hits in
 * a day's volume cost two, unknown-user rates above a few per cent hurt, and a new IP starts
 * in the middle (Microsoft: "IPs not previously used … don't have any reputation", MS-TRB).
 */
import { DAY_MS } from '../../kernel/index.ts';
import type { EpochMs } from '../../kernel/index.ts';

export type ReputationSignal = 'accepted' | 'unknown-user' | 'trap-hit' | 'complaint' | 'auth-failure' | 'engagement';

export interface ReputationState {
  /** When the counts were last decayed. */
  readonly atMs: EpochMs;
  readonly accepted: number;
  readonly unknownUsers: number;
  readonly trapHits: number;
  readonly complaints: number;
  readonly authFailures: number;
  readonly engagements: number;
}

/** The four bands of Google Postmaster Tools' IP and domain reputation. */
export type ReputationBand = 'bad' | 'low' | 'medium' | 'high';
export const REPUTATION_BANDS: readonly ReputationBand[] = ['bad', 'low', 'medium', 'high'];

/** Whose words a provider uses for its bands. */
export type ReputationScale = 'postmaster' | 'snds' | 'generic';

/** @assumption: bad signals fade in days (Free lifts blocks within 24 h, SFR after 2 h, Gmail after weeks of clean mail). */
export const BAD_SIGNAL_HALF_LIFE_MS = 3 * DAY_MS;
/** @assumption: history (clean volume, engagement) is remembered for weeks. */
export const GOOD_SIGNAL_HALF_LIFE_MS = 14 * DAY_MS;

/** Clean volume at which history has earned half of its weight. @assumption */
const HISTORY_SCALE = 20_000;
/** Where an identity with no history stands: the middle band. */
const NEUTRAL_SCORE = 0.55;

const BAND_FLOORS: readonly { band: ReputationBand; floor: number }[] = [
  { band: 'high', floor: 0.7 },
  { band: 'medium', floor: 0.45 },
  { band: 'low', floor: 0.2 },
  { band: 'bad', floor: -Infinity },
];

export function newReputation(atMs: EpochMs): ReputationState {
  return { atMs, accepted: 0, unknownUsers: 0, trapHits: 0, complaints: 0, authFailures: 0, engagements: 0 };
}

/** The state seen at `nowMs`: every count decayed by the time elapsed (never moved backwards). */
export function decayReputation(state: ReputationState, nowMs: EpochMs): ReputationState {
  const elapsed = nowMs - state.atMs;
  if (elapsed <= 0) return state;
  const bad = Math.pow(2, -elapsed / BAD_SIGNAL_HALF_LIFE_MS);
  const good = Math.pow(2, -elapsed / GOOD_SIGNAL_HALF_LIFE_MS);
  return {
    atMs: nowMs,
    accepted: state.accepted * good,
    unknownUsers: state.unknownUsers * bad,
    trapHits: state.trapHits * bad,
    complaints: state.complaints * bad,
    authFailures: state.authFailures * bad,
    engagements: state.engagements * good,
  };
}

export function applySignal(
  state: ReputationState,
  signal: ReputationSignal,
  nowMs: EpochMs,
  count = 1,
): ReputationState {
  const now = decayReputation(state, nowMs);
  switch (signal) {
    case 'accepted':
      return { ...now, accepted: now.accepted + count };
    case 'unknown-user':
      return { ...now, unknownUsers: now.unknownUsers + count };
    case 'trap-hit':
      return { ...now, trapHits: now.trapHits + count };
    case 'complaint':
      return { ...now, complaints: now.complaints + count };
    case 'auth-failure':
      return { ...now, authFailures: now.authFailures + count };
    case 'engagement':
      return { ...now, engagements: now.engagements + count };
  }
}

/** The score in [0, 1]: history and engagement raise it, every bad rate lowers it. */
export function reputationScore(state: ReputationState): number {
  const { accepted, unknownUsers, trapHits, complaints, authFailures, engagements } = state;
  const history = accepted / (accepted + HISTORY_SCALE);
  const engagementRate = Math.min(1, engagements / (accepted + 100) / 0.2);
  const unknownRate = unknownUsers / (accepted + unknownUsers + 50);
  const trapRate = trapHits / (accepted + 100);
  const complaintRate = complaints / (accepted + 100);
  const authRate = authFailures / (accepted + authFailures + 50);
  const score =
    NEUTRAL_SCORE +
    0.25 * history +
    0.15 * engagementRate -
    5 * unknownRate -
    200 * trapRate -
    60 * complaintRate -
    0.6 * authRate;
  return Math.min(1, Math.max(0, score));
}

export function reputationBand(score: number): ReputationBand {
  for (const { band, floor } of BAND_FLOORS) if (score >= floor) return band;
  return 'bad';
}

/** A band in the provider's words: Postmaster Tools' bands, SNDS colours, or plain. */
export function scaleLabel(scale: ReputationScale, band: ReputationBand): string {
  switch (scale) {
    case 'postmaster':
      return band;
    case 'snds':
      // SNDS has three colours: green (spam < 10 %), yellow (10-90 %), red (> 90 %) (peers.md §9).
      return band === 'high' || band === 'medium' ? 'green' : band === 'low' ? 'yellow' : 'red';
    case 'generic':
      return band;
  }
}
