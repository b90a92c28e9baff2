/**
 * DATA: the message arrived for the recipients taken at RCPT. In order: an outage, a fault
 * (the connection cut or hung, no reply), the size, then authentication against the sim DNS
 * (SPF, DKIM, DMARC, the bulk-sender rules): mailauth's verdicts when the wire brought them
 * (receiver.ts `prepareData`), else the receiver's own verifier's. What passes goes on to placement (deliver.ts).
 * Refusals here answer for every recipient of the message, each with its own truth.
 */
import { reply } from '../../../kernel/index.ts';
import type { Cause, SmtpReply } from '../../../kernel/index.ts';
import { domainOf, fromAddress, judgeAuthentication } from '../../mechanisms/auth/authentication.ts';
import type { AuthVerdict } from '../../mechanisms/auth/authentication.ts';
import { organizationalDomain } from '../../mechanisms/auth/dmarc.ts';
import { splitMessage } from '../../mechanisms/auth/message-parts.ts';
import { drawDataFault, faultHappens } from '../../mechanisms/faults.ts';
import { TEMPFAIL_REPLY } from '../incidents.ts';
import type { ReplyMaker } from '../profile.ts';
import type { ArrivingMessage, ReceiverSession } from '../receiver.ts';
import type { Decision, ReceiverEffect } from './decision.ts';
import type { DecisionContext } from './decision-context.ts';
import { replyContextOf } from './decision-context.ts';
import { deliverMessage } from './deliver.ts';
import type { RuleMark } from './rule-marks.ts';

/** One reply for every recipient of the message, each with its truth. */
function refuseAll<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  refused: { maker: ReplyMaker; cause: Cause; rule: RuleMark },
  effects: readonly ReceiverEffect<H>[] = [],
): Decision<H> {
  const answer = refused.maker(replyContextOf(context, session));
  const recipients = session.transaction?.recipients ?? [];
  return {
    reply: answer,
    truth: recipients.map((recipient) => ({
      recipient,
      stage: 'data',
      cause: refused.cause,
      reply: answer,
      rule: refused.rule,
    })),
    effects,
  };
}

/** The connection is cut or hangs: no reply reaches the sender, and the truth says so (unanswered). */
function cutOff<H>(
  session: ReceiverSession,
  fault: 'drop' | 'timeout',
  answer: SmtpReply,
  rule: RuleMark,
): Decision<H> {
  const recipients = session.transaction?.recipients ?? [];
  return {
    reply: answer,
    truth: recipients.map((recipient) => ({
      recipient,
      stage: 'data',
      cause: 'network-error',
      reply: answer,
      rule,
      unanswered: true,
    })),
    effects: [{ kind: 'fault', fault }, { kind: 'close-session' }],
  };
}

/** DATA was accepted and the body starts to arrive: a fault may cut it in the middle. */
export function decideDataBegins<H>(context: DecisionContext<H>, session: ReceiverSession): Decision<H> | null {
  if (!faultHappens(context.chance, context.faults.dropMidData)) return null;
  // Cut while the body is still arriving: nothing was taken.
  return cutOff(
    session,
    'drop',
    reply(451, '4.4.2', 'connection dropped while the message was arriving'),
    'fault.drop-mid-data',
  );
}

export function decideData<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  message: ArrivingMessage,
): Decision<H> {
  const { profile, state, nowMs } = context;
  const recipients = session.transaction?.recipients ?? [];
  // Recipients accepted before the outage began meet it at DATA.
  if (context.incidents?.outageAt(nowMs) === 'tempfail')
    return refuseAll(context, session, { maker: TEMPFAIL_REPLY, cause: 'server-error', rule: 'outage.tempfail' });
  const fault = drawDataFault(context.chance, context.faults);
  switch (fault) {
    case 'drop':
      return cutOff(session, fault, reply(451, '4.4.2', 'connection dropped in DATA'), 'fault.drop-in-data');
    case 'timeout':
      return cutOff(session, fault, reply(451, '4.4.2', 'connection timed out in DATA'), 'fault.timeout-in-data');
    case 'none':
      break;
  }
  if (message.sizeBytes > profile.maxMessageBytes.value)
    return refuseAll(context, session, {
      maker: profile.replies.messageTooLarge,
      cause: 'message-too-large',
      rule: 'data.too-large',
    });

  const parts = splitMessage(message.data);
  const mailFrom = session.transaction?.mailFrom ?? '';
  const results = message.authentication ?? context.authenticator.authenticate(session.peerIp, mailFrom, parts);
  const sendingDomain = organizationalDomain(domainOf(fromAddress(parts)) || domainOf(mailFrom));
  const effects: ReceiverEffect<H>[] = [{ kind: 'count-domain', domain: sendingDomain, amount: recipients.length }];
  const bulkPerDay = profile.authentication.bulkPerDay?.value;
  // Gmail: once a domain reaches the bulk threshold, bulk status is permanent (G-FAQ).
  const crossesBulk =
    bulkPerDay !== undefined && state.sentByDomainToday(sendingDomain, nowMs) + recipients.length >= bulkPerDay;
  if (crossesBulk) effects.push({ kind: 'mark-bulk', domain: sendingDomain });
  const verdict = judgeAuthentication(profile.authentication, results, crossesBulk || state.isBulk(sendingDomain));
  const failed = verdict === 'dmarc-reject' || verdict === 'unauthenticated' || verdict === 'bulk-requirements';
  if (failed) effects.push({ kind: 'signal', keys: state.identityKeys(session), signal: 'auth-failure' });
  const refused = authRefusal(context, verdict);
  if (refused !== null) return refuseAll(context, session, refused, effects);
  return deliverMessage(context, session, {
    parts,
    compliant: verdict === 'pass',
    band: state.senderBand(session, nowMs, failed ? 'auth-failure' : undefined),
    effects,
  });
}

/** The SMTP answer to an authentication verdict, or null when the verdict costs placement only. */
function authRefusal(
  context: DecisionContext<unknown>,
  verdict: AuthVerdict,
): { maker: ReplyMaker; cause: Cause; rule: RuleMark } | null {
  const { replies, authentication } = context.profile;
  if ((context.incidents?.policyAt(context.nowMs).authFailure ?? authentication.onFailure) === 'spam') return null;
  switch (verdict) {
    case 'dmarc-reject':
      return { maker: replies.dmarcFailure, cause: 'auth-failure', rule: 'auth.dmarc-reject' };
    case 'unauthenticated':
      return { maker: replies.authFailure, cause: 'auth-failure', rule: 'auth.unauthenticated' };
    case 'bulk-requirements':
      return {
        maker: replies.bulkRequirements ?? replies.dmarcFailure,
        cause: 'auth-failure',
        rule: 'auth.bulk-requirements',
      };
    case 'pass':
    case 'no-one-click':
      // Missing one-click unsubscribe costs placement, not the SMTP answer (G-FAQ).
      return null;
  }
}
