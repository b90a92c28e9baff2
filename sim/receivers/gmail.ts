/**
 * Gmail, first profile: MX names, a new IP's hourly budget, and Gmail's own reply texts for
 * acceptance, unknown, disabled and full mailboxes, and the 4.7.28 rate limit.
 *
 * Policy is a set of pure decisions on (session, address, clock); the transports drive the
 * verbs. Ground truth is written where a recipient's fate is decided: at RCPT for refusals,
 * at the end of DATA for acceptances (Gmail accepts the message, then files it).
 */
import { HOUR_MS, MINUTE_MS } from '../clock/clock.ts';
import { RollingWindow } from '../mechanisms/rate-window.ts';
import type { SmtpReply } from '../smtp/reply.ts';
import type { SmtpStage } from '../smtp/stage.ts';
import type { Cause } from '../taxonomy.ts';
import { gmailReplies } from './gmail-replies.ts';
import type { Receiver, ReceiverContext, ReceiverIdentity, ReceiverSession } from './receiver.ts';

/**
 * Accepted recipients per hour a new IP gets before Gmail answers 421 4.7.28.
 * @assumption Google publishes no number. It says quotas are tracked per IP (facts/
 * isp-behaviors.md §2, G-GUIDE) and that new IPs must ramp up slowly; 2,000 per hour is a
 * conservative day-one figure that senders' warm-up plans commonly start from.
 */
export const GMAIL_NEW_IP_MESSAGES_PER_HOUR = 2_000;

export const GMAIL_IDENTITY: ReceiverIdentity = {
  id: 'gmail',
  name: 'Gmail',
  kind: 'provider',
  domains: ['gmail.com', 'googlemail.com'],
  // Gmail's published MX set for gmail.com, in preference order.
  mxHosts: [
    'gmail-smtp-in.l.google.com',
    'alt1.gmail-smtp-in.l.google.com',
    'alt2.gmail-smtp-in.l.google.com',
    'alt3.gmail-smtp-in.l.google.com',
    'alt4.gmail-smtp-in.l.google.com',
  ],
  hostname: 'mx.google.com',
  // Gmail's message size limit is 25 MB (support.google.com/mail/answer/6584).
  maxMessageBytes: 25 * 1024 * 1024,
  limits: [
    {
      name: 'newIpMessagesPerHour',
      value: GMAIL_NEW_IP_MESSAGES_PER_HOUR,
      unit: 'recipients per sending IP per rolling hour',
      source: '@assumption: Google publishes no number; quotas are per IP (facts/isp-behaviors.md §2, G-GUIDE)',
    },
    { name: 'maxMessageBytes', value: 25 * 1024 * 1024, unit: 'bytes', source: 'https://support.google.com/mail/answer/6584' },
  ],
  sources: [
    'https://support.google.com/a/answer/3726730 (Gmail SMTP errors and codes)',
    'https://support.google.com/mail/answer/81126 (Email sender guidelines)',
    'KumoCorp/kumomta@3ebc1e8:examples/smart-sink-docker/policy/responses.toml (reply texts)',
    '../shared/facts/responses.jsonl, ../shared/facts/isp-behaviors.md',
  ],
};

export interface GmailOptions {
  /** Turn the rate limit off (throughput benchmarks). */
  readonly limitsOff: boolean;
  /** Override of GMAIL_NEW_IP_MESSAGES_PER_HOUR, for tests and scenarios. */
  readonly newIpMessagesPerHour?: number;
}

export function createGmail(context: ReceiverContext, options: GmailOptions): Receiver {
  const identity = GMAIL_IDENTITY;
  const budgetPerHour = options.newIpMessagesPerHour ?? GMAIL_NEW_IP_MESSAGES_PER_HOUR;
  const acceptedPerIp = new RollingWindow(HOUR_MS, MINUTE_MS);
  const rng = context.rng;
  let sessions = 0;

  const queueToken = (): string => rng.token(12);

  const recordTruth = (session: ReceiverSession, recipient: string, stage: SmtpStage, cause: Cause, smtpReply: SmtpReply, rule: string): void => {
    context.truth.record({
      atMs: context.clock.now(),
      receiver: identity.id,
      peerIp: session.peerIp,
      mailFrom: session.transaction?.mailFrom ?? '',
      recipient,
      stage,
      cause,
      reply: smtpReply,
      rule,
    });
  };

  /** The budget counts recipients accepted at RCPT, whether or not the DATA follows. */
  const overHourlyBudget = (session: ReceiverSession): boolean =>
    !options.limitsOff && acceptedPerIp.count(session.peerIp, context.clock.now()) >= budgetPerHour;

  return {
    identity,

    open(peer) {
      sessions++;
      const session: ReceiverSession = {
        id: `${identity.id}-${sessions}`,
        peerIp: peer.peerIp,
        heloName: '',
        tls: false,
        transaction: null,
        messagesAccepted: 0,
        closing: false,
      };
      return { reply: gmailReplies.greeting(identity.hostname, queueToken()), session };
    },

    helo(session, heloName) {
      session.heloName = heloName;
      return gmailReplies.ehlo(identity.hostname, session.peerIp);
    },

    mailFrom(session, address) {
      session.transaction = { mailFrom: address, recipients: [] };
      return gmailReplies.mailOk(queueToken());
    },

    rcptTo(session, address) {
      if (overHourlyBudget(session)) {
        const refusal = gmailReplies.ipRateLimited(session.peerIp, queueToken());
        recordTruth(session, address, 'rcpt', 'rate-limited', refusal, 'gmail.rate.new-ip-hourly');
        // Gmail drops the connection after a 421.
        session.closing = true;
        return refusal;
      }
      switch (context.mailboxes.status(address)) {
        case 'unknown': {
          const refusal = gmailReplies.unknownUser(queueToken());
          recordTruth(session, address, 'rcpt', 'unknown-user', refusal, 'gmail.rcpt.unknown-user');
          return refusal;
        }
        case 'disabled': {
          const refusal = gmailReplies.mailboxDisabled(queueToken());
          recordTruth(session, address, 'rcpt', 'mailbox-disabled', refusal, 'gmail.rcpt.disabled');
          return refusal;
        }
        case 'full': {
          const refusal = gmailReplies.mailboxFull(queueToken());
          recordTruth(session, address, 'rcpt', 'mailbox-full', refusal, 'gmail.rcpt.over-quota');
          return refusal;
        }
        case 'active':
          acceptedPerIp.add(session.peerIp, context.clock.now());
          session.transaction?.recipients.push(address);
          return gmailReplies.rcptOk(queueToken());
      }
    },

    data(session) {
      const accepted = gmailReplies.dataOk(queueToken());
      for (const recipient of session.transaction?.recipients ?? []) {
        recordTruth(session, recipient, 'data', 'delivered-inbox', accepted, 'gmail.data.accepted');
      }
      session.messagesAccepted++;
      return accepted;
    },

    reset(session) {
      session.transaction = null;
    },

    close(session) {
      session.transaction = null;
    },
  };
}
