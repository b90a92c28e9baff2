/**
 * Where an authenticated message goes, per recipient: inbox, spam or discarded by placement;
 * traps accept everything; gateways that validate downstream accept now and bounce later. What
 * the people behind inbox mail do (opens, clicks, complaints) is scheduled for later. A
 * provider that rejects spam at SMTP refuses the whole message instead of filing it.
 */
import { DAY_MS } from '../../../kernel/index.ts';
import type { Cause } from '../../../kernel/index.ts';
import type { AsyncBounceEvent } from '../../later/events.ts';
import type { MessageParts } from '../../mechanisms/auth/message-parts.ts';
import { placeMessage } from '../../mechanisms/placement.ts';
import type { Placement } from '../../mechanisms/placement.ts';
import type { ReputationBand } from '../../mechanisms/reputation.ts';
import type { Engagement } from '../../world/mailboxes.ts';
import type { ReceiverSession } from '../receiver.ts';
import type { BounceLater, Decision, ReceiverEffect, TruthDraft } from './decision.ts';
import type { DecisionContext } from './decision-context.ts';
import { replyContextOf } from './decision-context.ts';
import type { RuleMark } from './rule-marks.ts';

/**
 * What people do with bulk mail in their inbox, per engagement profile.
 * @assumption: typical marketing figures (opens 10-45 %, clicks 1-8 %); complaint shares chosen
 * so a list of passive readers stays under Gmail's 0.1 % and a dormant list crosses 0.3 %.
 */
const ENGAGEMENT_RATES: Record<Engagement, { open: number; click: number; complaint: number }> = {
  engaged: { open: 0.45, click: 0.08, complaint: 0.0002 },
  passive: { open: 0.12, click: 0.01, complaint: 0.0008 },
  dormant: { open: 0.01, click: 0, complaint: 0.005 },
};
/** People act within two days of delivery. @assumption */
const REACTION_WINDOW_MS = 2 * DAY_MS;

const PLACEMENT_MARKS: Record<Placement, { readonly cause: Cause; readonly rule: RuleMark }> = {
  inbox: { cause: 'delivered-inbox', rule: 'data.inbox' },
  spam: { cause: 'delivered-spam', rule: 'data.spam' },
  discard: { cause: 'discarded', rule: 'data.discard' },
};

export interface Authenticated<H> {
  readonly parts: MessageParts;
  /** The message met every authentication requirement (one-click unsubscribe included). */
  readonly compliant: boolean;
  readonly band: ReputationBand;
  /** What the authentication step already decided to change. */
  readonly effects: readonly ReceiverEffect<H>[];
}

export function deliverMessage<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  message: Authenticated<H>,
): Decision<H> {
  const { profile, state, nowMs } = context;
  const { replies } = profile;
  const recipients = session.transaction?.recipients ?? [];
  const mailFrom = session.transaction?.mailFrom ?? '';
  const keys = state.identityKeys(session);
  const placements = recipients.map((recipient) => ({
    recipient,
    mailbox: context.mailboxes.get(recipient, nowMs),
    placement: placeMessage({ band: message.band, compliant: message.compliant, draw: context.chance.float() }),
  }));
  if (
    profile.spamHandling === 'reject' &&
    replies.contentSpam !== undefined &&
    placements.some((item) => item.mailbox?.status !== 'trap' && item.placement === 'spam')
  ) {
    // A rejecting provider files nothing in spam: the verdict refuses the message.
    const refused = replies.contentSpam(replyContextOf(context, session));
    const truth = recipients.map((recipient): TruthDraft => ({
      recipient,
      stage: 'data',
      cause: 'content-spam',
      reply: refused,
      rule: 'data.spam-rejected',
    }));
    return { reply: refused, truth, effects: message.effects };
  }
  const accepted = replies.dataOk(replyContextOf(context, session));
  // The header block goes into complaints and later bounces only: joined when one needs it.
  let headerBlock: string | undefined;
  const headersOf = (): string => (headerBlock ??= message.parts.headers.map((field) => field.raw).join(''));
  const truth: TruthDraft[] = [];
  const effects: ReceiverEffect<H>[] = [...message.effects];
  const pendingBounces = state.pendingBounces(session);
  for (const { recipient, mailbox, placement } of placements) {
    const bounce = pendingBounces?.get(recipient.toLowerCase());
    if (bounce !== undefined) {
      const later = bounceLater(context, session, { recipient, mailFrom, bounce, headers: headersOf() });
      truth.push({
        recipient,
        stage: 'data',
        cause: 'delivered-inbox',
        reply: accepted,
        rule: bounce.rule,
        later: { cause: bounce.cause, atMs: later.atMs },
      });
      effects.push(later);
      continue;
    }
    if (mailbox?.status === 'trap') {
      const trap = mailbox.trap ?? 'pristine';
      truth.push({ recipient, stage: 'data', cause: 'delivered-trap', reply: accepted, rule: `trap.${trap}` });
      effects.push({ kind: 'signal', keys, signal: 'trap-hit' });
      continue;
    }
    const { cause, rule } = PLACEMENT_MARKS[placement];
    truth.push({ recipient, stage: 'data', cause, reply: accepted, rule });
    effects.push({ kind: 'signal', keys, signal: 'accepted' }, { kind: 'count-clean', peerIp: session.peerIp });
    if (placement === 'inbox')
      effects.push(
        ...reactionsOf(context, session, {
          recipient,
          mailFrom,
          engagement: mailbox?.engagement ?? 'passive',
          headers: headersOf,
        }),
      );
  }
  effects.push({ kind: 'message-accepted' });
  return { reply: accepted, truth, effects };
}

/** The downstream server's bounce, scheduled for when the gateway sends it. */
function bounceLater<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  pending: {
    readonly recipient: string;
    readonly mailFrom: string;
    readonly bounce: BounceLater;
    readonly headers: string;
  },
): ReceiverEffect<H> & { readonly kind: 'schedule' } {
  const { profile, nowMs } = context;
  const { recipient, bounce } = pending;
  const atMs = nowMs + bounce.delayMs;
  const format = bounce.format ?? profile.bounceMail?.format;
  const event: AsyncBounceEvent = {
    kind: 'async-bounce',
    atMs,
    receiver: profile.id,
    recipient,
    mailFrom: pending.mailFrom,
    peerIp: session.peerIp,
    cause: bounce.cause,
    reply: bounce.maker(replyContextOf(context, session, recipient)),
    originalHeaders: pending.headers,
    reportingMta: profile.hostname,
    arrivalMs: nowMs,
    ...(format === undefined ? {} : { format }),
  };
  return { kind: 'schedule', atMs, item: { kind: 'emit', event } };
}

/** What the person behind an inbox delivery will do: open, click or complain, within two days. */
function reactionsOf<H>(
  context: DecisionContext<H>,
  session: ReceiverSession,
  delivery: {
    readonly recipient: string;
    readonly mailFrom: string;
    readonly engagement: Engagement;
    readonly headers: () => string;
  },
): ReceiverEffect<H>[] {
  const { profile, chance, nowMs } = context;
  const rates = ENGAGEMENT_RATES[delivery.engagement];
  const base = {
    receiver: profile.id,
    recipient: delivery.recipient,
    mailFrom: delivery.mailFrom,
    peerIp: session.peerIp,
  };
  const keys = context.state.identityKeys(session);
  const draw = chance.float();
  if (draw < rates.complaint) {
    const atMs = nowMs + Math.floor(chance.float() * REACTION_WINDOW_MS);
    const effects: ReceiverEffect<H>[] = [
      { kind: 'schedule', atMs, item: { kind: 'signal', keys, signal: 'complaint' } },
    ];
    if (profile.feedbackLoop?.kind === 'arf') {
      const loop = { feedbackLoop: profile.feedbackLoop.name, reportingMta: profile.hostname };
      effects.push({
        kind: 'schedule',
        atMs,
        item: {
          kind: 'emit',
          event: { kind: 'complaint', atMs, ...base, ...loop, originalHeaders: delivery.headers(), arrivalMs: nowMs },
        },
      });
    }
    return effects;
  }
  if (draw < rates.complaint + rates.open) {
    const atMs = nowMs + Math.floor(chance.float() * REACTION_WINDOW_MS);
    const action = chance.chance(rates.click / rates.open) ? 'click' : 'open';
    return [
      { kind: 'schedule', atMs, item: { kind: 'signal', keys, signal: 'engagement' } },
      { kind: 'schedule', atMs, item: { kind: 'emit', event: { kind: 'engagement', atMs, ...base, action } } },
    ];
  }
  return [];
}
