/**
 * Our throttle, as a mailbench send policy: additive increase, multiplicative decrease per path
 * (sending IP → receiving site). Every quarter of an hour of the run clock it looks at the share of the
 * path's attempts that were deferred (a 4xx): above 2 % it halves the path's hourly rate,
 * below 0.5 % it adds a tenth of the starting rate back. The judging is the built-in classifier's
 * (`basicJudgement`); this policy only decides how fast.
 */
import { basicJudgement } from 'mailbench';
import type { AccountingRecord, SendPolicy } from 'mailbench';

export interface AimdOptions {
  /** The hourly rate a path starts at. */
  readonly startPerHour: number;
  /** Never below this, so a path always drains. */
  readonly floorPerHour: number;
}

interface PathState {
  ratePerHour: number;
  windowStartMs: number;
  attempts: number;
  deferred: number;
}

/** How often a path's rate is reconsidered, on the run clock. */
const WINDOW_MS = 15 * 60_000;

export function aimdThrottle(options: AimdOptions = { startPerHour: 1_000, floorPerHour: 100 }): SendPolicy {
  const paths = new Map<string, PathState>();
  const stateOf = (key: string, nowMs: number): PathState => {
    let state = paths.get(key);
    if (state === undefined) {
      state = { ratePerHour: options.startPerHour, windowStartMs: nowMs, attempts: 0, deferred: 0 };
      paths.set(key, state);
    }
    return state;
  };
  const adjust = (state: PathState, nowMs: number): void => {
    if (nowMs - state.windowStartMs < WINDOW_MS || state.attempts === 0) return;
    const deferredShare = state.deferred / state.attempts;
    if (deferredShare > 0.02) state.ratePerHour = Math.max(options.floorPerHour, state.ratePerHour / 2);
    else if (deferredShare < 0.005) state.ratePerHour += options.startPerHour / 10;
    state.windowStartMs = nowMs;
    state.attempts = 0;
    state.deferred = 0;
  };
  return {
    judge: basicJudgement,
    observe(record: AccountingRecord) {
      if (record.type !== 'Delivery' && record.type !== 'TransientFailure' && record.type !== 'Bounce') return;
      const state = stateOf(`${record.source ?? record.sourceIp} ${record.site}`, record.atMs);
      state.attempts += 1;
      if (record.type === 'TransientFailure') state.deferred += 1;
      adjust(state, record.atMs);
    },
    // The path's source is the sending IP's name, as the records' `source` gives it.
    pathRatePerHour(path) {
      const state = paths.get(`${path.source} ${path.site}`);
      return state === undefined ? options.startPerHour : state.ratePerHour;
    },
  };
}
