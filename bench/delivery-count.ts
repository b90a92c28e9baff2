/**
 * The end-to-end figure both MTAs are measured by: recipients the fleet's receivers recorded
 * as delivered (their truth, not the sender's word), per wall second from the first injection
 * to the last delivery.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { World } from '../runner/index.ts';
import { isDeliveredCause } from '../kernel/index.ts';

export interface EndToEndFigure {
  readonly messages: number;
  readonly seconds: number;
  readonly deliveredPerSecond: number;
}

export interface DeliveryCount {
  delivered(): number;
  /** Resolves when `expected` recipients are delivered; rejects after `timeoutMs` with `hint()` in the message. */
  waitFor(expected: number, startedAtMs: number, timeoutMs: number, hint: () => string): Promise<EndToEndFigure>;
}

const POLL_MS = 10;

export function countDeliveries(world: World): DeliveryCount {
  let delivered = 0;
  world.truth.subscribe((truth) => {
    if (isDeliveredCause(truth.cause)) delivered++;
  });
  return {
    delivered: () => delivered,
    async waitFor(expected, startedAtMs, timeoutMs, hint) {
      while (delivered < expected) {
        if (performance.now() - startedAtMs > timeoutMs)
          throw new Error(`only ${delivered} of ${expected} delivered within ${timeoutMs} ms; ${hint()}`);
        await sleep(POLL_MS);
      }
      const seconds = (performance.now() - startedAtMs) / 1000;
      return { messages: expected, seconds, deliveredPerSecond: expected / seconds };
    },
  };
}
