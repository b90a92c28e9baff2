/**
 * Scaled time for wire mode: one simulated hour per N real seconds. Receivers' hourly
 * windows and the sender's retry schedules then play out in seconds over real SMTP.
 */
import type { EpochMs } from './clock.ts';
import { HOUR_MS, SECOND_MS } from './clock.ts';
import { RealScheduler } from './real-clock.ts';

export interface ScaledSchedulerOptions {
  /** Real seconds that one simulated hour takes. */
  readonly realSecondsPerSimulatedHour: number;
  /** The simulated time at which the run starts. */
  readonly startMs: EpochMs;
  readonly onTaskError?: (error: unknown) => void;
}

export function scaledScheduler(options: ScaledSchedulerOptions): RealScheduler {
  if (!(options.realSecondsPerSimulatedHour > 0)) {
    throw new RangeError(`realSecondsPerSimulatedHour must be > 0 (got ${options.realSecondsPerSimulatedHour})`);
  }
  const scale = HOUR_MS / (options.realSecondsPerSimulatedHour * SECOND_MS);
  return new RealScheduler({
    startMs: options.startMs,
    scale,
    ...(options.onTaskError === undefined ? {} : { onTaskError: options.onTaskError }),
  });
}
