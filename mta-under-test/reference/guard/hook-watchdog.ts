/**
 * Stops a user's policy hook that never returns. Hooks are synchronous and run on the engine's
 * thread, so nothing on that thread can stop an endless loop: a watchdog worker watches a
 * shared clock of when the thread entered a hook and, past the deadline, asks V8 through the
 * inspector to terminate the JavaScript running on the main thread (Runtime.terminateExecution).
 * The thread then goes on with its event loop, where the watchdog's message rejects `tripped`;
 * the run races that promise and ends with the error naming the hook and the message.
 *
 * Entering and leaving a hook cost two stores into shared memory (tens of nanoseconds); a vm
 * timeout per call, the other way to interrupt, cost 80-500 µs a call (a watchdog thread each).
 * The inspector reaches the process's main thread only, so off it (vitest's `threads` pool)
 * `available()` is false and the guard falls back to the vm timeout.
 */
import { isMainThread, Worker } from 'node:worker_threads';
import { wallClockMs } from '../../../kernel/index.ts';

/** Polls, in the worker, for a hook past its deadline; terminates it and says so. */
const WATCHDOG_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const inspector = require('node:inspector');
const enteredAt = new Float64Array(workerData.shared);
const session = new inspector.Session();
session.connectToMainThread();
setInterval(() => {
  const at = enteredAt[0];
  if (at !== 0 && Date.now() - at > workerData.deadlineMs) {
    enteredAt[0] = 0;
    session.post('Runtime.terminateExecution', () => parentPort.postMessage('terminated'));
  }
}, workerData.pollMs);
`;

/** `T`: what the guard says about a hook call on entering it, handed back if the call is stopped. */
export class HookWatchdog<T> {
  /** Rejects with the hook that was stopped; never resolves. */
  readonly tripped: Promise<never>;
  private readonly enteredAt: Float64Array;
  private readonly worker: Worker;
  /** The hook call entered last: the one stopped, if the watchdog trips (termination skips `finally`). */
  private lastEntered: T | undefined;

  /** True where the watchdog can stop the thread (the process's main thread). */
  static available(): boolean {
    return isMainThread;
  }

  constructor(
    readonly deadlineMs: number,
    onTrip: (stopped: T | undefined) => Error,
  ) {
    const shared = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT);
    this.enteredAt = new Float64Array(shared);
    const pollMs = Math.max(10, Math.min(250, Math.floor(deadlineMs / 10)));
    this.worker = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { shared, deadlineMs, pollMs } });
    // The watchdog never keeps the process alive by itself.
    this.worker.unref();
    this.tripped = new Promise<never>((_, reject) => {
      this.worker.once('message', () => reject(onTrip(this.lastEntered)));
    });
    // A run that never trips must not leave an unhandled rejection behind.
    this.tripped.catch(() => undefined);
  }

  /** The thread enters a hook call, described by `call` for the error if it never comes back. */
  enter(call: T): void {
    this.lastEntered = call;
    this.enteredAt[0] = wallClockMs();
  }

  leave(): void {
    this.enteredAt[0] = 0;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
