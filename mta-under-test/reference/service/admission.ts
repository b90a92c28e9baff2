/**
 * Pushback: the engine service takes new mail only while it has room, so no client can drive
 * it out of memory or disk. Room is measured in what the spool holds for mail not yet final
 * (bytes on disk, messages whose envelopes are in memory) and in the requests being read and
 * written at this moment (each holds its bodies in memory until the spool has them). Past any
 * of these, the HTTP API answers 503 with Retry-After and SMTP submission 452 4.3.1, before a
 * byte of the new message is read; the client keeps its mail and comes back.
 */

export interface AdmissionLimits {
  /** Bytes of spooled mail not yet final. @defaultValue 2 GiB */
  readonly spoolBytesMax: number;
  /** Messages not yet final (their envelopes and queue entries live in memory). @defaultValue 1,000,000 */
  readonly messagesMax: number;
  /** Injection requests and SMTP transactions being received at once. @defaultValue 8 */
  readonly requestsInFlightMax: number;
}

export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = {
  spoolBytesMax: 2 * 1024 * 1024 * 1024,
  messagesMax: 1_000_000,
  requestsInFlightMax: 8,
};

export interface SpoolUsage {
  readonly liveBytes: number;
  readonly liveMessages: number;
}

/** A place taken by one request; give it back with `leave` whatever happens. */
export interface AdmissionTicket {
  leave(): void;
}

export type AdmissionDecision =
  | { readonly admitted: true; readonly ticket: AdmissionTicket }
  | { readonly admitted: false; readonly reason: string; readonly retryAfterSeconds: number };

export interface Admission {
  /** Takes a place for one request, or says why there is no room now. */
  enter(): AdmissionDecision;
  /** Requests refused so far, for the metrics. */
  readonly refused: number;
}

/** How long a refused client should wait: long enough for deliveries to free room. */
const RETRY_AFTER_SECONDS = 5;

export function admission(limits: AdmissionLimits, usage: () => SpoolUsage): Admission {
  let inFlight = 0;
  let refused = 0;
  const refuse = (reason: string): AdmissionDecision => {
    refused++;
    return { admitted: false, reason, retryAfterSeconds: RETRY_AFTER_SECONDS };
  };
  return {
    get refused() {
      return refused;
    },
    enter() {
      const { liveBytes, liveMessages } = usage();
      if (liveBytes >= limits.spoolBytesMax)
        return refuse(
          `the spool holds ${liveBytes} bytes of mail not yet final, at its ${limits.spoolBytesMax}-byte budget`,
        );
      if (liveMessages >= limits.messagesMax)
        return refuse(`${liveMessages} messages are not yet final, at the budget of ${limits.messagesMax}`);
      if (inFlight >= limits.requestsInFlightMax)
        return refuse(`${inFlight} injections are being received, at the budget of ${limits.requestsInFlightMax}`);
      inFlight++;
      let left = false;
      return {
        admitted: true,
        ticket: {
          leave() {
            if (left) return;
            left = true;
            inFlight--;
          },
        },
      };
    },
  };
}
