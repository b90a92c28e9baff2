/**
 * Ties an inbound report to the message it is about and turns it into accounting records: an
 * `AsyncBounce` per failed recipient of a DSN, a `Feedback` per ARF complaint.
 *
 * The message is found by the first of three ways that names a message the engine knows:
 * 1. `verp`: the envelope recipient the report was delivered to is a VERP return path (verp.ts);
 * 2. `header`: the original headers carry the correlation header (ARF keeps the headers even
 *    though it goes to the feedback address, not the return path);
 * 3. `recipient`: the original headers' Message-ID (or, without them, the report's own
 *    In-Reply-To) names a message the engine sent, and the report's recipient is one of its
 *    recipients.
 * Within the message, a block's recipient is the one the report names (Original-Recipient,
 * Final-Recipient, Original-Rcpt-To, the original To), else the one the VERP or header token
 * names (the receiver forwarded or redacted it), else the message's only recipient.
 *
 * An async bounce is classified by the engine's own classifier on the Diagnostic-Code read back
 * into a reply (its enhanced code taken from the Status when the text has none, since RFC 3464
 * §2.3.4 makes Status the authoritative code), or on the Status alone when the diagnostic quotes
 * no SMTP reply. Rule ids are the classifier's, prefixed `dsn.` (and `dsn.status.` for the
 * Status-only case), so a report shows which path decided.
 *
 * Nothing is dropped: what cannot be joined comes back in `unjoined` with the reason, and DSN
 * blocks that are not failures (delayed, delivered, relayed, expanded) in `notFailures`.
 */
import type { AsyncBounceRecord, FeedbackRecord, MessageOwner } from '../../accounting.ts';
import { domainOf } from '../../../kernel/index.ts';
import type { Action, Class, EpochMs } from '../../../kernel/index.ts';
import { classifyBlock } from './block-verdict.ts';
import { decodeRef, decodeVerp, isVerpRecipient, sameAddress } from '../verp.ts';
import type { VerpConfig, VerpToken } from '../verp.ts';
import type { DsnRecipientBlock, InboundArf, InboundDsn, InboundReport } from './report.ts';

/** What the engine knows of a message it sent. */
export interface KnownMessage extends MessageOwner {
  readonly messageId: string;
  readonly mailFrom: string;
  /** Its envelope recipients: reports' recipients and VERP hashes are matched against them. */
  readonly recipients: readonly string[];
  /** The scheduled queue of a recipient (`campaign:tenant@domain`), when the engine names queues. */
  readonly queueOf?: (recipient: string) => string | undefined;
}

export interface MessageLookup {
  /** By the engine's message id (what VERP and the correlation header carry). */
  byMessageId(messageId: string): KnownMessage | undefined;
  /** By the RFC 5322 Message-ID the message went out with, without angle brackets. */
  byHeaderMessageId?(headerMessageId: string): KnownMessage | undefined;
}

export interface JoinOptions {
  /** When the report was taken in: the records' `atMs`. */
  readonly atMs: EpochMs;
  /** The return-path scheme; without it VERP is not tried. */
  readonly verp?: VerpConfig;
}

export type JoinedBy = AsyncBounceRecord['joinedBy'];

/** A report, or one recipient of it, that could not be tied to a message, and why. */
export interface Unjoined {
  readonly kind: InboundReport['kind'];
  readonly recipient?: string;
  readonly reason: string;
}

export interface JoinOutcome {
  readonly records: readonly (AsyncBounceRecord | FeedbackRecord)[];
  readonly unjoined: readonly Unjoined[];
  /** DSN recipient blocks that report no failure, so no record. */
  readonly notFailures: readonly { readonly recipient: string; readonly action: string }[];
}

interface Found {
  readonly message: KnownMessage;
  readonly joinedBy: JoinedBy;
  /** The recipient the VERP or header token names, when it names one. */
  readonly token?: VerpToken;
}

/** Joins one report; pure, given the lookup. */
export function joinReport(report: InboundReport, lookup: MessageLookup, options: JoinOptions): JoinOutcome {
  if (report.kind === 'unreadable')
    return { records: [], unjoined: [{ kind: 'unreadable', reason: report.reason }], notFailures: [] };
  const { found, tried } = findMessage(report, lookup, options.verp);
  if (report.kind === 'dsn') return joinDsn(report, found, tried, options.atMs);
  return joinArf(report, found, tried, options.atMs);
}

function joinDsn(report: InboundDsn, found: Found | undefined, tried: readonly string[], atMs: EpochMs): JoinOutcome {
  const records: AsyncBounceRecord[] = [];
  const unjoined: Unjoined[] = [];
  const notFailures: { recipient: string; action: string }[] = [];
  for (const block of report.recipients) {
    if (block.action !== 'failed') {
      notFailures.push({ recipient: block.finalRecipient, action: block.action });
      continue;
    }
    const recipient =
      found === undefined ? undefined : recipientFor(found, [block.originalRecipient, block.finalRecipient]);
    if (found === undefined || recipient === undefined) {
      unjoined.push({
        kind: 'dsn',
        recipient: block.finalRecipient,
        reason: found === undefined ? noMessage(tried) : notARecipient(found, block.finalRecipient),
      });
      continue;
    }
    const { reportingMta } = report;
    records.push({
      type: 'AsyncBounce',
      ...recipientFields(found.message, recipient, atMs),
      status: block.status,
      ...(block.diagnosticCode === undefined ? {} : { diagnostic: block.diagnosticCode }),
      ...(reportingMta === undefined ? {} : { reportingMta }),
      ...verdictOf(block, recipient, block.remoteMta ?? report.reportingMta),
      joinedBy: found.joinedBy,
    });
  }
  return { records, unjoined, notFailures };
}

function joinArf(report: InboundArf, found: Found | undefined, tried: readonly string[], atMs: EpochMs): JoinOutcome {
  const named = [...report.originalRcptTo, report.original?.to];
  const recipient = found === undefined ? undefined : recipientFor(found, named);
  if (found === undefined || recipient === undefined) {
    const shown = report.originalRcptTo[0] ?? report.original?.to;
    return {
      records: [],
      unjoined: [
        {
          kind: 'arf',
          ...(shown === undefined ? {} : { recipient: shown }),
          reason: found === undefined ? noMessage(tried) : notARecipient(found, shown),
        },
      ],
      notFailures: [],
    };
  }
  const record: FeedbackRecord = {
    type: 'Feedback',
    ...recipientFields(found.message, recipient, atMs),
    feedbackType: report.feedbackType,
    ...(report.from === undefined ? {} : { reporter: report.from }),
    joinedBy: found.joinedBy,
  };
  return { records: [record], unjoined: [], notFailures: [] };
}

/** VERP, then the correlation header, then the Message-ID; `tried` says why each one failed. */
function findMessage(
  report: InboundDsn | InboundArf,
  lookup: MessageLookup,
  verp: VerpConfig | undefined,
): { found?: Found; tried: string[] } {
  const tried: string[] = [];
  if (verp === undefined) tried.push('VERP: no return-path scheme configured');
  else if (report.envelopeRecipient === undefined) tried.push('VERP: the envelope recipient is not known');
  else {
    const token = decodeVerp(report.envelopeRecipient, verp);
    if (token.kind === 'not-verp') tried.push(`VERP: ${token.reason}`);
    else {
      const message = lookup.byMessageId(token.messageId);
      if (message !== undefined) return { found: { message, joinedBy: 'verp', token }, tried };
      tried.push(`VERP: message ${token.messageId} is not known`);
    }
  }
  const ref = report.original?.ref;
  if (ref === undefined)
    tried.push(
      report.original === undefined
        ? 'header: the report does not include the original headers'
        : 'header: no X-Mailbench-Ref in the original headers',
    );
  else {
    const decoded = decodeRef(ref);
    if (decoded.kind === 'not-ref') tried.push(`header: ${decoded.reason}`);
    else {
      const message = lookup.byMessageId(decoded.messageId);
      if (message !== undefined)
        return {
          found: {
            message,
            joinedBy: 'header',
            token: { kind: 'full', messageId: decoded.messageId, recipient: decoded.recipient },
          },
          tried,
        };
      tried.push(`header: message ${decoded.messageId} is not known`);
    }
  }
  // The original's Message-ID, or the report's In-Reply-To when the original is not included.
  const headerMessageId = report.original?.messageId ?? report.inReplyTo;
  if (headerMessageId === undefined) tried.push('recipient: no Message-ID in the original headers and no In-Reply-To');
  else if (lookup.byHeaderMessageId === undefined) tried.push('recipient: the lookup does not index Message-IDs');
  else {
    const message = lookup.byHeaderMessageId(headerMessageId);
    if (message !== undefined) return { found: { message, joinedBy: 'recipient' }, tried };
    tried.push(`recipient: Message-ID <${headerMessageId}> is not known`);
  }
  return { tried };
}

function recipientFor(found: Found, named: readonly (string | undefined)[]): string | undefined {
  const known = found.message.recipients;
  for (const candidate of named) {
    const match = candidate === undefined ? undefined : known.find((recipient) => sameAddress(recipient, candidate));
    if (match !== undefined) return match;
  }
  const { token } = found;
  const byToken = token === undefined ? undefined : known.find((recipient) => isVerpRecipient(token, recipient));
  if (byToken !== undefined) return byToken;
  return known.length === 1 ? known[0] : undefined;
}

function recipientFields(message: KnownMessage, recipient: string, atMs: EpochMs) {
  const queue = message.queueOf?.(recipient);
  return {
    atMs,
    messageId: message.messageId,
    recipient,
    ...(message.tenant === undefined ? {} : { tenant: message.tenant }),
    ...(message.campaign === undefined ? {} : { campaign: message.campaign }),
    ...(message.pool === undefined ? {} : { pool: message.pool }),
    ...(queue === undefined ? {} : { queue }),
  };
}

/** The classifier's verdict on one failed block, in the context of who answered. */
function verdictOf(
  block: DsnRecipientBlock,
  recipient: string,
  mxHost: string | undefined,
): { class: Class; action: Action; rule: string } {
  const verdict = classifyBlock(block, { domain: domainOf(recipient), ...(mxHost === undefined ? {} : { mxHost }) });
  return { class: verdict.class, action: verdict.action, rule: verdict.rule };
}

function noMessage(tried: readonly string[]): string {
  return `no known message: ${tried.join('; ')}`;
}

function notARecipient(found: Found, named: string | undefined): string {
  const who = named === undefined ? 'the report names no recipient' : `${named} is not one of its recipients`;
  return `message ${found.message.messageId} (joined by ${found.joinedBy}) has ${found.message.recipients.length} recipients and ${who}`;
}
