/**
 * The session-level decisions: whether a connection is taken (connect) and whether a new
 * message may start on it (MAIL FROM). Refusals here come before any recipient, so each
 * records one session-level truth (recipient '').
 */
import { reply } from '../../../kernel/index.ts';
import { admitConnection } from '../../mechanisms/admission.ts';
import { faultHappens } from '../../mechanisms/faults.ts';
import { outageReplyOf } from '../incidents.ts';
import type { ReplyMaker } from '../profile.ts';
import type { ReceiverSession } from '../receiver.ts';
import type { Decision } from './decision.ts';
import type { DecisionContext } from './decision-context.ts';
import { answer, refusal, replyContextOf } from './decision-context.ts';

/** RFC 5321 §4.2.3's own text, for providers that document no per-connection limit reply. */
const CLOSING_CHANNEL: ReplyMaker = () => reply(421, '4.7.0', 'Service not available, closing transmission channel');

export interface ConnectDecision<H> extends Decision<H> {
  /** Whether the session goes on after the greeting. */
  readonly admitted: boolean;
  /** A tarpit: the greeting comes this late. */
  readonly delayMs: number;
}

/**
 * Connect: an outage first, then faults, then the per-IP connection limit and, for a receiver
 * that judges reputation when the connection opens (the profile's `reputationGate`), the
 * sending IP's band. Every other receiver judges reputation at RCPT, where the sender's
 * domain is known too.
 */
export function decideConnect<H>(context: DecisionContext<H>, session: ReceiverSession): ConnectDecision<H> {
  const { profile, state, nowMs, faults } = context;
  const refuse = (
    maker: ReplyMaker,
    cause: 'server-error' | 'too-many-connections' | 'reputation-block',
    rule: Parameters<typeof refusal>[2]['rule'],
  ): ConnectDecision<H> => ({
    ...refusal(context, session, { stage: 'connect', recipient: '', maker, cause, rule }),
    admitted: false,
    delayMs: 0,
  });
  // A receiver that is down refuses before anything else it would do, faults included.
  if (context.incidents?.outageAt(nowMs) === 'connect-421')
    return refuse(outageReplyOf(profile.id), 'server-error', 'outage.connect-421');
  if (faultHappens(context.chance, faults.refuseAtConnect))
    return refuse(profile.replies.serverError, 'server-error', 'fault.refuse-at-connect');
  if (!context.limitsOff) {
    const verdict = admitConnection({
      band: state.bandOf(`ip:${session.peerIp}`, nowMs),
      openConnections: state.openConnectionsOf(session.peerIp),
      connectionsPerIp: state.connectionsPerIpAt(nowMs),
      judgesReputationAtConnect: profile.admission.reputationGate?.stage === 'connect',
    });
    switch (verdict) {
      case 'reputation-block':
        return refuse(profile.replies.reputationBlock, 'reputation-block', 'connect.reputation-block');
      case 'too-many-connections':
        return refuse(profile.replies.tooManyConnections, 'too-many-connections', 'connect.too-many-connections');
      case 'admit':
        break;
    }
  }
  const delayMs = faultHappens(context.chance, faults.slowBanner) ? faults.slowBannerMs : 0;
  return {
    ...answer(profile.replies.greeting(replyContextOf(context, session)), [{ kind: 'open-connection' }]),
    admitted: true,
    delayMs,
  };
}

/** MAIL FROM: a new message, unless the connection has carried as many as the receiver takes. */
export function decideMailFrom<H>(context: DecisionContext<H>, session: ReceiverSession, address: string): Decision<H> {
  const { profile } = context;
  if (session.messagesAccepted >= profile.admission.messagesPerConnection.value && !context.limitsOff) {
    const maker = profile.replies.tooManyMessages ?? CLOSING_CHANNEL;
    return refusal(
      context,
      session,
      { stage: 'mail', recipient: '', maker, cause: 'too-many-connections', rule: 'mail.messages-per-connection' },
      [{ kind: 'close-session' }],
    );
  }
  return answer(profile.replies.mailOk(replyContextOf(context, session, '', address)), [
    { kind: 'begin-transaction', mailFrom: address },
  ]);
}
