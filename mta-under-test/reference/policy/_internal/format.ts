/**
 * How the policy components write figures into evidence and reasons: short, with units, the
 * same everywhere, so a report can quote them ("deferral share 0.34 over 180 attempts in 10 min").
 */
import { HOUR_MS, MINUTE_MS } from '../../../../kernel/index.ts';
import type { EpochMs, Milliseconds } from '../../../../kernel/index.ts';

/** A duration in the largest whole-ish unit: `45 s`, `10 min`, `2 h`, `90 d`. */
export function formatDuration(durationMs: Milliseconds): string {
  if (durationMs < MINUTE_MS) return `${round(durationMs / 1_000, 1)} s`;
  if (durationMs < 2 * HOUR_MS) return `${round(durationMs / MINUTE_MS, 1)} min`;
  if (durationMs < 48 * HOUR_MS) return `${round(durationMs / HOUR_MS, 1)} h`;
  return `${round(durationMs / (24 * HOUR_MS), 1)} d`;
}

/** A share with two decimals: `0.34`. */
export function formatShare(share: number): string {
  return share.toFixed(2);
}

/** A rate per hour, rounded to a whole message: `240/h`, or `unlimited`. */
export function formatRate(ratePerHour: number | null): string {
  return ratePerHour === null ? 'unlimited' : `${Math.round(ratePerHour)}/h`;
}

/** An instant as ISO 8601 (the accounting log's readers convert; this is for humans). */
export function formatInstant(atMs: EpochMs): string {
  return new Date(atMs).toISOString();
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
