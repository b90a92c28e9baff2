/**
 * The progress bar of a long run, on stderr, drawn by cli-progress: how many messages are
 * final out of the planned total, how many the sender has taken in, and the day on the run's
 * clock. Only for a person at a terminal: with `--json`, or when the stream is not a TTY (a
 * pipe, a CI log), nothing at all is written, so machine-read output stays clean.
 */
import { SingleBar } from 'cli-progress';
import { DAY_MS, DEFAULT_EPOCH_MS } from '../kernel/index.ts';

export interface RunProgressOptions {
  readonly stream: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** False for `--json` (and whenever the caller wants silence); a non-TTY stream is silent anyway. */
  readonly enabled: boolean;
  /** Messages the run will have final when it is done (the bar's 100 %). */
  readonly total: number;
  /** The run clock's start (epoch ms), day 1 of the simulated days. @defaultValue DEFAULT_EPOCH_MS */
  readonly startMs?: number;
}

export interface RunProgressState {
  readonly injected: number;
  readonly final: number;
  readonly clockMs: number;
}

export interface RunProgress {
  update(progress: RunProgressState): void;
  /** Removes the bar; safe to call more than once, and on a bar that never drew. */
  stop(): void;
}

const SILENT: RunProgress = { update: () => undefined, stop: () => undefined };

export function createRunProgress(options: RunProgressOptions): RunProgress {
  if (!options.enabled || options.stream.isTTY !== true) return SILENT;
  if (!Number.isInteger(options.total) || options.total < 0)
    throw new RangeError(`progress total must be a whole number ≥ 0 (got ${options.total})`);
  const startMs = options.startMs ?? DEFAULT_EPOCH_MS;
  const bar = new SingleBar({
    stream: options.stream,
    format: 'run [{bar}] {percentage}% | {value}/{total} final | {injected} injected | simulated day {day}',
    barsize: 30,
    // The summary follows the run: a finished bar would only repeat it.
    clearOnComplete: true,
    hideCursor: false,
    fps: 5,
  });
  let started = false;
  let stopped = false;
  const payloadOf = (progress: RunProgressState): { injected: string; day: number } => ({
    injected: progress.injected.toLocaleString('en-US'),
    day: Math.floor(Math.max(progress.clockMs - startMs, 0) / DAY_MS) + 1,
  });
  return {
    update(progress) {
      if (stopped) return;
      const value = Math.min(progress.final, options.total);
      if (started) {
        bar.update(value, payloadOf(progress));
        return;
      }
      bar.start(options.total, value, payloadOf(progress));
      started = true;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (started) bar.stop();
    },
  };
}
