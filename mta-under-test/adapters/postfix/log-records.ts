/**
 * Postfix's log lines → the bench's accounting records (mta-under-test/accounting.ts), the
 * only way the bench learns what Postfix decided (DESIGN rule 3). One interpreter per
 * instance; it keeps, per queue id, what it needs to number attempts and to name the
 * recipients of a message that expires.
 *
 * - Only messages that came in through smtpd (a `client=` line) are reported. Postfix's own
 *   DSNs (created by its bounce daemon, null sender) are not mail the bench injected.
 * - Reception: one per recipient, dated by the message's arrival, emitted with the first log
 *   line that names the recipient (Postfix logs recipients only when it tries them). The
 *   message id is the queue id, which the injector also reads from smtpd's 250 reply.
 * - Delivery / TransientFailure / Bounce: one per `status=sent|deferred|bounced` line, with
 *   the attempt number per recipient, `site` and `mxHost` = the relay host, the source from
 *   the `postfix/egress-N` syslog name, the reply parsed with parseReply, and the class read
 *   from `dsn=` alone (dsn-class.ts).
 * - Expiration: per recipient still queued when Postfix logs `status=expired`.
 */
import type { AccountingRecord, MessageOwner } from '../../accounting.ts';
import type { EpochMs } from '../../../kernel/index.ts';
import { ACTION_OF_STATUS, classifyDsn } from './dsn-class.ts';
import type { EgressService } from './instance-plan.ts';
import type { ExpiredLine, PostfixLogLine, RecipientLine } from './log-line.ts';
import { readAttemptText } from './reply-text.ts';
import { nextAttemptDelayS } from './timers.ts';
import type { PostfixTimers } from './timers.ts';

export interface InterpreterOptions {
  readonly egress: readonly EgressService[];
  readonly timers: PostfixTimers;
  /** Postfix's wall-clock time (epoch ms) → the run's clock. @defaultValue the identity */
  readonly toRunTimeMs?: (wallMs: number) => EpochMs;
  /** Who owns a queue id (tenant, campaign, pool), as learned when it was injected. */
  readonly ownerOf?: (queueId: string) => MessageOwner | undefined;
}

interface RecipientState {
  /** As Postfix logged it first. */
  readonly recipient: string;
  attempts: number;
  isFinal: boolean;
}

interface MessageState {
  readonly receivedAtMs: number;
  from: string;
  readonly recipients: Map<string, RecipientState>;
}

/** Postfix's word for "no source": what `relay=none` says of the relay. */
const NONE = 'none';

/** `mx.example[1.2.3.4]:25` → `mx.example`; `none` → the host a connect error names, if any. */
function relayHost(line: RecipientLine): string {
  const relay = line.relay === NONE ? (/connect to ([^\s[]+)\[/.exec(line.text)?.[1] ?? NONE) : line.relay;
  const bracket = relay.indexOf('[');
  return bracket > 0 ? relay.slice(0, bracket) : relay;
}

export class PostfixLogInterpreter {
  private readonly messages = new Map<string, MessageState>();
  private readonly egressByService: ReadonlyMap<string, EgressService>;
  private readonly toRunTimeMs: (wallMs: number) => EpochMs;

  constructor(private readonly options: InterpreterOptions) {
    this.egressByService = new Map(options.egress.map((service) => [service.service, service]));
    this.toRunTimeMs = options.toRunTimeMs ?? ((wallMs) => wallMs);
  }

  /** The records one line gives (often none). */
  accept(line: PostfixLogLine): AccountingRecord[] {
    switch (line.kind) {
      case 'client':
        if (!this.messages.has(line.queueId))
          this.messages.set(line.queueId, { receivedAtMs: line.atMs, from: '', recipients: new Map() });
        return [];
      case 'queued': {
        const message = this.messages.get(line.queueId);
        if (message !== undefined && message.from === '') message.from = line.from;
        return [];
      }
      case 'recipient':
        return this.recipientLine(line);
      case 'expired':
        return this.expiredLine(line);
      case 'removed':
        this.messages.delete(line.queueId);
        return [];
    }
  }

  private owner(queueId: string): MessageOwner {
    return this.options.ownerOf?.(queueId) ?? {};
  }

  private recipientLine(line: RecipientLine): AccountingRecord[] {
    const message = this.messages.get(line.queueId);
    if (message === undefined) return [];
    const key = line.recipient.toLowerCase();
    const records: AccountingRecord[] = [];
    let recipient = message.recipients.get(key);
    if (recipient === undefined) {
      recipient = { recipient: line.recipient, attempts: 0, isFinal: false };
      message.recipients.set(key, recipient);
      records.push({
        type: 'Reception',
        atMs: this.toRunTimeMs(message.receivedAtMs),
        messageId: line.queueId,
        recipient: line.recipient,
        mailFrom: message.from,
        ...this.owner(line.queueId),
      });
    }
    if (recipient.isFinal) return records;
    const base = {
      atMs: this.toRunTimeMs(line.atMs),
      messageId: line.queueId,
      recipient: line.recipient,
      ...this.owner(line.queueId),
    };
    const status = line.status;
    if (status === 'expired') {
      recipient.isFinal = true;
      records.push({ type: 'Expiration', ...base, attempts: recipient.attempts });
      return records;
    }
    recipient.attempts += 1;
    recipient.isFinal = status !== 'deferred';
    records.push(this.attemptRecord(line, status, base, recipient.attempts));
    return records;
  }

  private attemptRecord(
    line: RecipientLine,
    status: 'sent' | 'deferred' | 'bounced',
    base: { atMs: EpochMs; messageId: string; recipient: string } & MessageOwner,
    attempt: number,
  ): AccountingRecord {
    const host = relayHost(line);
    const egress = line.service === undefined ? undefined : this.egressByService.get(line.service);
    const verdict = classifyDsn(line.dsn);
    const text = readAttemptText(line.text);
    const attemptFields = {
      ...base,
      attempt,
      site: host,
      mxHost: host,
      // Postfix's own error/retry transports send nothing, so there is no source to name.
      sourceIp: egress?.identity.sourceIp ?? NONE,
      ...(egress === undefined ? {} : { source: egress.identity.name }),
      ...text,
      class: verdict.class,
      action: ACTION_OF_STATUS[status],
      rule: verdict.rule,
      evidence: [`dsn=${line.dsn}`, `status=${status}`],
    };
    switch (status) {
      case 'sent':
        return { type: 'Delivery', ...attemptFields };
      case 'bounced':
        return { type: 'Bounce', ...attemptFields };
      case 'deferred': {
        const retryInS = nextAttemptDelayS(this.options.timers, line.delayS);
        return {
          type: 'TransientFailure',
          ...attemptFields,
          nextAttemptAtMs: this.toRunTimeMs(line.atMs + retryInS * 1000),
        };
      }
    }
  }

  private expiredLine(line: ExpiredLine): AccountingRecord[] {
    const message = this.messages.get(line.queueId);
    if (message === undefined) return [];
    const records: AccountingRecord[] = [];
    for (const state of message.recipients.values()) {
      if (state.isFinal) continue;
      state.isFinal = true;
      records.push({
        type: 'Expiration',
        atMs: this.toRunTimeMs(line.atMs),
        messageId: line.queueId,
        recipient: state.recipient,
        attempts: state.attempts,
        ...this.owner(line.queueId),
      });
    }
    return records;
  }
}
