/**
 * What the bench knows of a relay it sees only from outside: which messages it handed over
 * (each with its own DSN envelope id, RFC 3461 ENVID) and, from the DSNs the relay sends back
 * to the envelope sender (RFC 3464), what became of each recipient. The relay is asked for
 * every notice (NOTIFY=SUCCESS,FAILURE,DELAY), so each recipient ends with one final DSN:
 *
 * | DSN action | Status | record |
 * |---|---|---|
 * | delivered, relayed, expanded | 2.x.x | Delivery (final) |
 * | delayed | 4.x.x | TransientFailure |
 * | failed | 5.x.x, except 5.4.7 | Bounce (final) |
 * | failed | 4.x.x or 5.4.7 (gave up retrying: RFC 3464 §2.3.4, RFC 3463 X.4.7) | Expiration (final) |
 *
 * The class is the naive reading of the Status (../naive-dsn-class.ts): the relay says what it
 * did, never why. The receiver's reply is read from the Diagnostic-Code (`smtp; 550 5.1.1 …`),
 * so scoring can pair it with what the receiver meant. A DSN names neither the source address
 * nor the attempt number: `sourceIp` is `unknown`, and `attempt` counts the notices so far.
 *
 * A DSN is joined by its Original-Envelope-Id, which a relay that offers DSN must return when
 * it was given an ENVID (RFC 3464 §2.2.1). A report without one, or about a recipient already
 * final, is not the relay's decision: it is a receiver's own later bounce or complaint, which
 * reaches the return path too (and may arrive before the relay's own notice of the delivery).
 * It yields no record; it is counted.
 */
import type { AccountingRecord, MessageOwner } from '../../accounting.ts';
import type { DsnRecipientBlock, InboundReport } from '../../reference/inbound/report.ts';
import { parseReply } from '../../../kernel/index.ts';
import type { EpochMs, SmtpReply } from '../../../kernel/index.ts';
import { classifyDsnStatus } from '../naive-dsn-class.ts';
import type { MtaMessage } from '../mta-under-test.ts';
import { ownerOfMessage } from '../mta-under-test.ts';

/** How each report that reached the return path was taken. */
export interface LedgerTally {
  /** DSN recipient blocks turned into records. */
  readonly joined: number;
  /** Reports without our envelope id, about recipients already final, and complaints: the receivers' reports, not the relay's. */
  readonly laterReports: number;
  /** Blocks naming a message or recipient the bench never handed over. */
  readonly unjoined: number;
  /** Mail that was no report at all. */
  readonly unreadable: number;
}

interface RecipientState {
  readonly envelopeId: string;
  readonly recipient: string;
  readonly owner: MessageOwner;
  notices: number;
  isFinal: boolean;
}

const RULE_PREFIX = 'relay.dsn';
const UNKNOWN = 'unknown';
const DELIVERED_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);

export class RelayLedger {
  private next = 1;
  private readonly recipients = new Map<string, RecipientState>();
  private readonly tally = { joined: 0, laterReports: 0, unjoined: 0, unreadable: 0 };

  /** A fresh envelope id for a message about to be handed over, its recipients open from now. */
  open(message: MtaMessage): string {
    const envelopeId = `mailbench-${this.next++}`;
    const owner = ownerOfMessage(message);
    for (const address of message.recipients) {
      this.recipients.set(keyOf(envelopeId, address.toLowerCase()), {
        envelopeId,
        recipient: address,
        owner,
        notices: 0,
        isFinal: false,
      });
    }
    return envelopeId;
  }

  /** The relay accepted the message: one Reception record per recipient. */
  accepted(envelopeId: string, message: MtaMessage, atMs: EpochMs): AccountingRecord[] {
    const owner = ownerOfMessage(message);
    return message.recipients.map((recipient) => ({
      type: 'Reception',
      atMs,
      messageId: envelopeId,
      recipient,
      mailFrom: message.mailFrom,
      ...owner,
    }));
  }

  /** The records one report yields (none for a receiver's own later report). */
  fromReport(report: InboundReport, atMs: EpochMs): AccountingRecord[] {
    if (report.kind === 'unreadable') {
      this.tally.unreadable++;
      return [];
    }
    if (report.kind === 'arf') {
      this.tally.laterReports++;
      return [];
    }
    const envelopeId = report.originalEnvelopeId;
    if (envelopeId === undefined) {
      this.tally.laterReports += report.recipients.length;
      return [];
    }
    const records: AccountingRecord[] = [];
    for (const block of report.recipients) {
      const state = this.recipients.get(
        keyOf(envelopeId, (block.originalRecipient ?? block.finalRecipient).toLowerCase()),
      );
      if (state === undefined) this.tally.unjoined++;
      else if (state.isFinal) this.tally.laterReports++;
      else {
        this.tally.joined++;
        records.push(this.recordOf(state, block, atMs));
      }
    }
    return records;
  }

  counts(): LedgerTally {
    return { ...this.tally };
  }

  private recordOf(state: RecipientState, block: DsnRecipientBlock, atMs: EpochMs): AccountingRecord {
    const base = { atMs, messageId: state.envelopeId, recipient: state.recipient, ...state.owner };
    const isFailure = block.action === 'failed';
    if (isFailure && (block.status.startsWith('4.') || block.status === '5.4.7')) {
      state.isFinal = true;
      return { type: 'Expiration', ...base, attempts: state.notices };
    }
    state.notices++;
    const verdict = classifyDsnStatus(block.status, RULE_PREFIX);
    const reply = replyOf(block.diagnosticCode);
    const host = block.remoteMta ?? UNKNOWN;
    const attempt = {
      ...base,
      attempt: state.notices,
      site: host,
      mxHost: host,
      sourceIp: UNKNOWN,
      ...(reply === undefined ? {} : { reply }),
      class: verdict.class,
      rule: verdict.rule,
      evidence: [`DSN action ${block.action}, status ${block.status}`],
    };
    if (DELIVERED_ACTIONS.has(block.action)) {
      state.isFinal = true;
      return { type: 'Delivery', ...attempt, action: 'none' };
    }
    if (isFailure) {
      state.isFinal = true;
      return { type: 'Bounce', ...attempt, action: 'fail-message' };
    }
    // A delay notice says the relay will retry, not when: the next attempt is due from now on.
    return { type: 'TransientFailure', ...attempt, action: 'retry', nextAttemptAtMs: atMs };
  }
}

/** `smtp; 550 5.1.1 no such user` → the receiver's reply; other diagnostic types carry none. */
export function replyOf(diagnosticCode: string | undefined): SmtpReply | undefined {
  const match = /^\s*smtp\s*;\s*([2-5]\d\d)[ -](.*)$/is.exec(diagnosticCode ?? '');
  if (match === null) return undefined;
  return parseReply(Number(match[1]), (match[2] ?? '').replace(/\s+/g, ' ').trim());
}

function keyOf(envelopeId: string, recipient: string): string {
  return `${envelopeId} ${recipient}`;
}
