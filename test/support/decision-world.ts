/**
 * A receiver's decisions without a receiver around them: a profile, a state record and the
 * small world of receiver-world.ts, so a test can put the state where it wants (a bad band, a
 * spent allowance, open connections) and ask one decision function what it answers.
 */
import type { EpochMs } from '../../kernel/clock/clock.ts';
import { Authenticator } from '../../sim/mechanisms/auth/authentication.ts';
import { NO_FAULTS } from '../../sim/mechanisms/faults.ts';
import type { FaultRates } from '../../sim/mechanisms/faults.ts';
import type { ReputationBand } from '../../sim/mechanisms/reputation.ts';
import type { ReceiverHooks } from '../../sim/receivers/decisions/decision.ts';
import type { DecisionContext } from '../../sim/receivers/decisions/decision-context.ts';
import { ReceiverState } from '../../sim/receivers/decisions/receiver-state.ts';
import type { ReceiverIncidents } from '../../sim/receivers/incidents.ts';
import type { ProviderProfile } from '../../sim/receivers/profile.ts';
import type { ReceiverContext, ReceiverSession } from '../../sim/receivers/receiver.ts';
import type { Mailbox, MailboxStatus } from '../../sim/world/mailboxes.ts';
import { receiverWorld } from './receiver-world.ts';

export interface DecisionWorldOptions<H> {
  readonly mailboxes?: Record<string, MailboxStatus | Mailbox>;
  readonly faults?: Partial<FaultRates>;
  readonly incidents?: ReceiverIncidents;
  readonly limitsOff?: boolean;
  readonly hooks?: ReceiverHooks<H>;
}

export interface DecisionWorld<H> {
  readonly state: ReceiverState;
  readonly world: ReceiverContext;
  /** The decisions' inputs at `nowMs` (the world's start by default). */
  at(nowMs?: EpochMs): DecisionContext<H>;
  /** A session from `peerIp`, over TLS unless told, in a transaction when `mailFrom` is given. */
  session(options?: {
    readonly peerIp?: string;
    readonly tls?: boolean;
    readonly mailFrom?: string;
    readonly recipients?: readonly string[];
  }): ReceiverSession;
  /** Sends reputation signals for the session's identities until their band is `band`. */
  sinkTo(band: ReputationBand, session: ReceiverSession): void;
}

export function decisionWorld<H = never>(
  profile: ProviderProfile,
  options: DecisionWorldOptions<H> = {},
): DecisionWorld<H> {
  const { context: world, scheduler } = receiverWorld({});
  for (const [address, mailbox] of Object.entries(options.mailboxes ?? {})) world.mailboxes.set(address, mailbox);
  const state = new ReceiverState(profile, options.incidents, undefined);
  const authenticator = new Authenticator(world.dns);
  const faults = { ...NO_FAULTS, ...options.faults };
  let sessions = 0;
  const order: readonly ReputationBand[] = ['bad', 'low', 'medium', 'high'];
  return {
    state,
    world,
    at: (nowMs = scheduler.now()) => ({
      profile,
      limitsOff: options.limitsOff ?? false,
      incidents: options.incidents,
      faults,
      chance: world.rng,
      mailboxes: world.mailboxes,
      authenticator,
      hooks: options.hooks ?? {},
      state,
      nowMs,
    }),
    session: ({ peerIp = '127.0.0.2', tls = true, mailFrom, recipients = [] } = {}) => ({
      id: `test-${++sessions}`,
      peerIp,
      heloName: 'mta1.mailbench.test',
      tls,
      transaction: mailFrom === undefined ? null : { mailFrom, recipients: [...recipients] },
      messagesAccepted: 0,
      closing: false,
      fault: 'none',
    }),
    sinkTo(band, session) {
      const nowMs = scheduler.now();
      const rank = (): number => order.indexOf(state.senderBand(session, nowMs));
      // Unknown users are a mild bad signal: one at a time, the band steps down without skipping `band`.
      for (let signals = 0; signals < 10_000 && rank() > order.indexOf(band); signals++)
        state.signal(state.identityKeys(session), 'unknown-user', nowMs);
      if (rank() !== order.indexOf(band))
        throw new Error(`could not bring the sender to the ${band} band (it is ${state.senderBand(session, nowMs)})`);
    },
  };
}
