/**
 * Gmail's own reply texts, as Gmail sends them, each cited from ../shared/facts/responses.jsonl
 * (whose `source` names the upstream page or file). Lines are split where Gmail splits its
 * multi-line replies (`550-5.1.1 …` continuation lines); `token` stands for the per-reply
 * queue id Gmail appends (e.g. `a640c23a62f3a-abc123 - gsmtp`).
 */
import { reply } from '../smtp/reply.ts';
import type { SmtpReply } from '../smtp/reply.ts';

export const gmailReplies = {
  /** Greeting. Shape of Gmail's banner: `220 mx.google.com ESMTP <id> - gsmtp`. */
  greeting: (hostname: string, token: string): SmtpReply => reply(220, null, `${hostname} ESMTP ${token} - gsmtp`),
  ehlo: (hostname: string, peerIp: string): SmtpReply => reply(250, null, `${hostname} at your service, [${peerIp}]`),
  mailOk: (token: string): SmtpReply => reply(250, '2.1.0', `OK ${token} - gsmtp`),
  rcptOk: (token: string): SmtpReply => reply(250, '2.1.5', `OK ${token} - gsmtp`),
  dataOk: (token: string): SmtpReply => reply(250, '2.0.0', `OK ${token} - gsmtp`),
  /**
   * responses.jsonl: gmail 550 5.1.1 "The email account that you tried to reach does not
   * exist…" (KumoCorp/kumomta@3ebc1e8:examples/smart-sink-docker/policy/responses.toml).
   */
  unknownUser: (token: string): SmtpReply =>
    reply(
      550,
      '5.1.1',
      'The email account that you tried to reach does not exist. Please try',
      "double-checking the recipient's email address for typos or",
      'unnecessary spaces. Learn more at',
      `https://support.google.com/mail/?p=NoSuchUser ${token} - gsmtp`,
    ),
  /**
   * responses.jsonl: gmail 550 5.2.1 "The email account that you tried to reach is disabled…"
   * (KumoCorp/kumomta@3ebc1e8:examples/smart-sink-docker/policy/responses.toml).
   */
  mailboxDisabled: (token: string): SmtpReply =>
    reply(550, '5.2.1', 'The email account that you tried to reach is disabled. Learn more at', `https://support.google.com/mail/?p=DisabledUser ${token} - gsmtp`),
  /**
   * responses.jsonl: gmail 452 4.2.2 "The email account that you tried to reach is over quota…"
   * (KumoCorp/kumomta@3ebc1e8:examples/smart-sink-docker/policy/responses.toml).
   */
  mailboxFull: (token: string): SmtpReply =>
    reply(452, '4.2.2', 'The email account that you tried to reach is over quota. Please direct', `the recipient to https://support.google.com/mail/?p=OverQuotaTemp ${token} - gsmtp`),
  /**
   * responses.jsonl: gmail 421 4.7.28 "[192.0.2.10] Our system has detected an unusual rate of
   * unsolicited mail originating from your IP address…" (KumoCorp/kumomta@3ebc1e8:
   * examples/smart-sink-docker/policy/responses.toml), with the peer's address in brackets.
   */
  ipRateLimited: (peerIp: string, token: string): SmtpReply =>
    reply(
      421,
      '4.7.28',
      `[${peerIp}] Our system has detected an unusual rate of`,
      'unsolicited mail originating from your IP address. To protect our',
      'users from spam, mail sent from your IP address has been temporarily',
      'rate limited. Please visit',
      'https://support.google.com/mail/?p=UnsolicitedRateLimitError to',
      ` review our Bulk Email Senders Guidelines. ${token} - gsmtp`,
    ),
} as const;
