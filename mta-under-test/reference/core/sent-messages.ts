/**
 * The messages the engine sent, remembered for joining later reports (DSNs, complaints) to
 * them; bounded, the oldest forgotten first, so a long run's memory does not grow with it.
 */
import type { KnownMessage } from '../inbound/join.ts';

/** How many sent messages are remembered. */
const KNOWN_MESSAGES_MAX = 1_000_000;

export class SentMessages {
  private readonly known = new Map<string, KnownMessage>();

  remember(message: KnownMessage): void {
    if (this.known.size >= KNOWN_MESSAGES_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(message.messageId, message);
  }

  get(messageId: string): KnownMessage | undefined {
    return this.known.get(messageId);
  }
}
