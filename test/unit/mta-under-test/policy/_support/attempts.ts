/**
 * Attempts as the engine would present them to the policy components: an AttemptContext, a
 * reply, and the stateless classifier's verdict on it (the real classifier, so the tests
 * exercise the same verdicts the engine produces).
 */
import { DEFAULT_EPOCH_MS } from '../../../../../kernel/clock/clock.ts';
import type { EpochMs } from '../../../../../kernel/clock/clock.ts';
import { reply } from '../../../../../kernel/smtp/reply.ts';
import type { EnhancedCode, SmtpReply } from '../../../../../kernel/smtp/reply.ts';
import type { RecipientOutcome } from '../../../../../kernel/transport/transport.ts';
import type {
  AccountingRecord,
  DeliveryRecord,
  PolicyRecord,
  ThrottleRecord,
} from '../../../../../mta-under-test/accounting.ts';
import { basicJudgement } from '../../../../../mta-under-test/reference/core/policy.ts';
import type { AttemptContext, Judgement } from '../../../../../mta-under-test/reference/core/policy.ts';
import type { Verdict } from '../../../../../mta-under-test/reference/core/classify.ts';

export const T0: EpochMs = DEFAULT_EPOCH_MS;

/** Where an attempt goes: a corporate domain behind Microsoft 365 by default. */
export interface Destination {
  readonly domain: string;
  readonly mxHost: string;
  readonly site: string;
  readonly provider: string | null;
  readonly source?: string;
}

export const M365: Destination = {
  domain: 'corp.example',
  mxHost: 'corp-example.mail.protection.outlook.com',
  site: 'corp-example.mail.protection.outlook.com',
  provider: null,
};
export const GMAIL: Destination = {
  domain: 'gmail.com',
  mxHost: 'gmail-smtp-in.l.google.com',
  site: 'gmail-smtp-in.l.google.com',
  provider: 'gmail',
};
export const YAHOO: Destination = {
  domain: 'yahoo.com',
  mxHost: 'mta5.am0.yahoodns.net',
  site: 'mta5.am0.yahoodns.net',
  provider: 'yahoo',
};
export const OUTLOOK: Destination = {
  domain: 'hotmail.com',
  mxHost: 'hotmail-com.olc.protection.outlook.com',
  site: 'hotmail-com.olc.protection.outlook.com',
  provider: 'outlook',
};

export const REPLIES = {
  accept: reply(250, '2.0.0', 'OK queued'),
  dbeb: reply(550, '5.4.1', 'Recipient address rejected: Access denied. AS(201806281)'),
  gmailUnknown: reply(
    550,
    '5.1.1',
    "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. - gsmtp",
  ),
  tss04: reply(
    421,
    '4.7.0',
    '[TSS04] Messages from 127.0.0.2 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  ),
  s3150: reply(
    550,
    '5.7.1',
    "Unfortunately, messages from [127.0.0.2] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
  ),
  gmail4728: reply(
    421,
    '4.7.28',
    'Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp',
  ),
  gmailRateLimited: reply(421, '4.7.0', 'Try again later, closing connection. - gsmtp'),
  temporary: reply(421, '4.7.0', 'Temporary System Problem. Try again later'),
} satisfies Record<string, SmtpReply>;

export function smtpReply(code: number, enhanced: EnhancedCode | null, text: string): SmtpReply {
  return reply(code, enhanced, text);
}

export function contextOf(recipient: string, atMs: EpochMs, where: Destination = M365, attempt = 1): AttemptContext {
  const source = where.source ?? 'mta1';
  return {
    atMs,
    messageId: `m-${recipient}-${attempt}`,
    recipient,
    domain: where.domain,
    site: where.site,
    mxHost: where.mxHost,
    provider: where.provider,
    source: {
      name: source,
      sourceIp: source === 'mta1' ? '127.0.0.2' : '127.0.0.3',
      heloName: `${source}.mailbench.test`,
    },
    owner: { tenant: 'acme' },
    attempt,
  };
}

export interface Attempt {
  readonly outcome: RecipientOutcome;
  readonly context: AttemptContext;
  readonly basic: Judgement;
  readonly verdict: Verdict;
}

/** One attempt with the classifier's verdict on the reply. */
export function attempt(
  recipient: string,
  atMs: EpochMs,
  smtp: SmtpReply,
  where: Destination = M365,
  attemptNumber = 1,
): Attempt {
  const outcome: RecipientOutcome = { kind: 'reply', recipient, stage: smtp.code < 400 ? 'data' : 'rcpt', reply: smtp };
  const context = contextOf(recipient, atMs, where, attemptNumber);
  const basic = basicJudgement(outcome, context);
  return { outcome, context, basic, verdict: basic.verdict };
}

export function deliveryRecord(recipient: string, atMs: EpochMs, where: Destination = M365): DeliveryRecord {
  return {
    type: 'Delivery',
    atMs,
    messageId: `m-${recipient}`,
    recipient,
    attempt: 1,
    site: where.site,
    mxHost: where.mxHost,
    sourceIp: '127.0.0.2',
    source: where.source ?? 'mta1',
    class: 'delivered',
    action: 'none',
    rule: 'generic.positive',
    tenant: 'acme',
  };
}

export function policyRecords(records: readonly AccountingRecord[], decision?: string): PolicyRecord[] {
  return records.filter(
    (record): record is PolicyRecord =>
      record.type === 'Policy' && (decision === undefined || record.decision === decision),
  );
}

export function throttleRecords(records: readonly AccountingRecord[]): ThrottleRecord[] {
  return records.filter((record): record is ThrottleRecord => record.type === 'Throttle');
}
