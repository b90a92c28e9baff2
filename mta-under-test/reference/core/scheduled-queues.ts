/**
 * Scheduled queues (`campaign:tenant@domain`): deliveries waiting for their time, a retry or
 * the end of a suspension. Each waits on a timer set at its due time or its expiry, whichever
 * comes first, so expiry holds wherever a delivery waits (KumoCorp/kumomta#539).
 */
import type { EpochMs, TimerHandle } from '../../../kernel/index.ts';
import type { ScheduledQueueView } from './admin-view.ts';
import type { Delivery } from './delivery.ts';
import type { EngineTimers } from './engine-timers.ts';

interface Waiting {
  readonly delivery: Delivery;
  readonly dueMs: EpochMs;
  /** Handed back by a suspended path: woken early if an operator resumes. */
  readonly handedBack: boolean;
  handle?: TimerHandle;
}

/** What happens to a delivery when its time comes. */
export interface DueHandler {
  /** Its time came before its expiry: it goes to be routed. */
  route(delivery: Delivery): void;
  expire(delivery: Delivery): void;
}

export class ScheduledQueues {
  private readonly waiting = new Map<string, Set<Waiting>>();

  constructor(
    private readonly timers: EngineTimers,
    private readonly due: DueHandler,
  ) {}

  /** Waits in its scheduled queue until `dueMs`, or until it expires if that comes first. */
  schedule(delivery: Delivery, dueMs: EpochMs, handedBack = false): void {
    if (this.timers.stopped) return;
    const entry: Waiting = { delivery, dueMs: Math.min(dueMs, delivery.expiresAtMs), handedBack };
    let queue = this.waiting.get(delivery.queue);
    if (queue === undefined) {
      queue = new Set();
      this.waiting.set(delivery.queue, queue);
    }
    queue.add(entry);
    const waitingIn = queue;
    entry.handle = this.timers.at(entry.dueMs, () => {
      waitingIn.delete(entry);
      if (waitingIn.size === 0) this.waiting.delete(delivery.queue);
      if (this.timers.now() >= delivery.expiresAtMs) this.due.expire(delivery);
      else this.due.route(delivery);
    });
  }

  /** Deliveries a suspension handed back go again now (an operator lifted it early). */
  wakeHandedBack(nowMs: EpochMs): void {
    for (const queue of this.waiting.values()) {
      for (const entry of [...queue]) {
        if (!entry.handedBack || entry.dueMs <= nowMs || entry.handle === undefined) continue;
        this.timers.cancel(entry.handle);
        queue.delete(entry);
        this.schedule(entry.delivery, nowMs);
      }
    }
    for (const [name, queue] of this.waiting) if (queue.size === 0) this.waiting.delete(name);
  }

  /** Recipients waiting in every scheduled queue. */
  recipientsWaiting(): number {
    let recipients = 0;
    for (const queue of this.waiting.values())
      for (const entry of queue) recipients += entry.delivery.recipients.length;
    return recipients;
  }

  views(): ScheduledQueueView[] {
    return [...this.waiting.entries()].map(([name, entries]) => {
      const first = entries.values().next().value as Waiting;
      let recipients = 0;
      let nextDueAtMs = Number.POSITIVE_INFINITY;
      for (const entry of entries) {
        recipients += entry.delivery.recipients.length;
        nextDueAtMs = Math.min(nextDueAtMs, entry.dueMs);
      }
      return {
        name,
        tenant: first.delivery.owner.tenant ?? '',
        campaign: first.delivery.owner.campaign ?? '',
        domain: first.delivery.domain,
        recipients,
        nextDueAtMs,
      };
    });
  }
}
