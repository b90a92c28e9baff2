/** Adaptive throttling: AIMD on the deferral share, and strong signals that suspend. */
export { AdaptiveThrottle } from './throttle.ts';
export type { ThrottleScope } from './throttle.ts';
export {
  ADAPTIVE_THROTTLE_DEFAULTS,
  resolveAdaptiveThrottleOptions,
  validateAdaptiveThrottleOptions,
} from './options.ts';
export type { AdaptiveThrottleOptions, ResolvedAdaptiveThrottleOptions } from './options.ts';
export { STRONG_SIGNALS, strongSignalOf } from './strong-signals.ts';
export type { StrongSignal } from './strong-signals.ts';
export { decideAimd, describeSample, sampleOf } from './aimd.ts';
export type { AimdDecision, AimdRule, AimdState, Sample } from './aimd.ts';
