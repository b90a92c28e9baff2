/**
 * RCPT: whether one recipient is taken. In order: an outage, TLS, the PTR, reputation and the
 * hourly allowance, greylisting, the family's own policy (gateways), then the mailbox itself.
 * Client- and sender-level refusals are given here, one per recipient, as Postfix does by
 * default (smtpd_delay_reject = yes), so every refused recipient has its own truth.
 */
import { admitRecipient } from '../../mechanisms/admission.ts';
import { faultHappens } from '../../mechanisms/faults.ts';
import type { Cause } from '../../../kernel/index.ts';
import type { ReputationBand } from '../../mechanisms/reputation.ts';
import { TEMPFAIL_REPLY } from '../incidents.ts';
import type { ReplyMaker } from '../profile.ts';
import type { ReceiverSession } from '../receiver.ts';
import type { Decision, ReceiverEffect } from './decision.ts';
import type { DecisionContext } from './decision-context.ts';
import { answer, refusal, replyContextOf } from './decision-context.ts';
import type { RuleMark } from './rule-marks.ts';

type Refuse<H> = (
  maker: ReplyMaker,
  cause: Cause,
  rule: RuleMark,
  effects?: readonly ReceiverEffect<H>[],
) => Decision<H>;

/** The refusals that concern the client and the sender, not the mailbox: outage, TLS, PTR, reputation, the hourly allowance. */
function clientLevelRefusal<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  band: ReputationBand,
  refuse: Refuse<H>,
): Decision<H> | null {
  const { profile, state, nowMs } = context;
  const { replies } = profile;
  if (context.incidents?.outageAt(nowMs) === 'tempfail')
    return refuse(TEMPFAIL_REPLY, 'server-error', 'outage.tempfail');
  if (profile.tls === 'required' && !session.tls) return refuse(replies.tlsRequired, 'tls-required', 'tls.required');
  if (profile.authentication.ptrRequired && !context.authenticator.ptrConfirmed(session.peerIp))
    return refuse(replies.ptrFailure, 'auth-failure', 'auth.ptr');
  if (context.limitsOff) return null;
  const verdict = admitRecipient(
    band,
    state.acceptedThisHour(session.peerIp, nowMs),
    state.hourlyAllowanceOf(session.peerIp, band, nowMs),
  );
  switch (verdict) {
    case 'reputation-block':
      return refuse(replies.reputationBlock, 'reputation-block', 'reputation.block');
    case 'rate-limited':
      return refuse(replies.rateLimited, 'rate-limited', 'rate.hourly');
    case 'admit':
      return null;
  }
}

export function decideRecipient<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  address: string,
): Decision<H> {
  const { profile, state, nowMs } = context;
  const { replies } = profile;
  const refuse: Refuse<H> = (maker, cause, rule, effects = []) =>
    refusal(context, session, { stage: 'rcpt', recipient: address, maker, cause, rule }, effects);
  const unknownUserSignal: ReceiverEffect<H> = {
    kind: 'signal',
    keys: state.identityKeys(session),
    signal: 'unknown-user',
  };

  const band = state.senderBand(session, nowMs);
  const refusedClient = clientLevelRefusal(context, session, band, refuse);
  if (refusedClient !== null) return refusedClient;
  // Effects every answer from here on carries, whatever it is.
  const carried: ReceiverEffect<H>[] = [];
  const greylisting = state.greylistAt(nowMs);
  if (greylisting !== null) {
    const mailFrom = session.transaction?.mailFrom ?? '';
    const seen: ReceiverEffect<H> = {
      kind: 'greylist-seen',
      list: greylisting.list,
      peerIp: session.peerIp,
      mailFrom,
      recipient: address,
    };
    if (greylisting.list.verdict(session.peerIp, mailFrom, address, nowMs) === 'defer')
      return refuse(greylisting.maker, 'greylisted', 'greylist.new-triplet', [seen]);
    carried.push(seen);
  }
  const accept = (effects: readonly ReceiverEffect<H>[]): Decision<H> =>
    answer(replies.rcptOk(replyContextOf(context, session, address)), [
      ...effects,
      { kind: 'count-accepted', peerIp: session.peerIp },
      { kind: 'add-recipient', recipient: address },
    ]);

  const mailbox = context.mailboxes.get(address, nowMs);
  const family = context.hooks.decideRecipient?.({ session, recipient: address, mailbox, nowMs, band });
  for (const effect of family?.effects ?? []) carried.push({ kind: 'hook', effect });
  const decision = family?.decision ?? null;
  if (decision !== null && 'refuse' in decision) {
    const { maker, cause, rule } = decision.refuse;
    return refuse(maker, cause, rule, cause === 'unknown-user' ? [...carried, unknownUserSignal] : carried);
  }
  if (decision !== null)
    return accept([...carried, { kind: 'bounce-later', recipient: address, bounce: decision.bounceLater }]);
  if (mailbox === undefined)
    return refuse(replies.unknownUser, 'unknown-user', 'rcpt.unknown-user', [...carried, unknownUserSignal]);
  if (mailbox.status === 'disabled')
    return refuse(replies.mailboxDisabled, 'mailbox-disabled', 'rcpt.disabled', carried);
  if (mailbox.status === 'full') return refuse(replies.mailboxFull, 'mailbox-full', 'rcpt.over-quota', carried);
  if (faultHappens(context.chance, context.faults.serverError))
    return refuse(replies.serverError, 'server-error', 'fault.server-error', carried);
  return accept(carried);
}
