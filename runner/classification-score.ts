/**
 * How well the sender read what the receivers told it: the figures of TAXONOMY.md ("Figures
 * every report carries") and issue 5, from the collector's paired attempts (cause × class ×
 * action) and from what happened to each address over the run:
 *
 * - macroF1: the mean F1 over refusal classes (a refusal cause that occurred, or a refusal
 *   class the sender predicted); `delivered` and `unclassified` are not averaged (an
 *   `unclassified` verdict counts against the true class's recall);
 * - actionAccuracy: the share of refused attempts where the sender's action was the cause's
 *   right action (RIGHT_ACTION);
 * - validWronglySuppressedShare: valid addresses that ended suppressed ÷ valid addresses that
 *   were refused at least once (valid: no answer ever said the mailbox or domain is gone);
 * - invalidKept: addresses mailed again after an unknown-user or bad-domain answer;
 * - disguisedRecall: disguised-policy-block answers the sender classified as such;
 * - unknownUserSuppressedShare: addresses a B2B gateway truly did not know that ended suppressed.
 *
 * A checker: it observes and never steers.
 */
import type { AccountingRecord } from '../mta-under-test/index.ts';
import type { ClassificationFigures } from '../reports/index.ts';
import type { TruthRecord } from '../sim/index.ts';
import { isDeliveredCause, RIGHT_ACTION } from '../kernel/index.ts';
import type { Action, Cause, Class } from '../kernel/index.ts';

/** Answers that say the address itself is gone. */
const INVALID_CAUSES: ReadonlySet<Cause> = new Set(['unknown-user', 'bad-domain', 'mailbox-disabled']);
/** Answers after which mailing the address again is keeping an invalid address. */
const DEAD_ANSWERS: ReadonlySet<Cause> = new Set(['unknown-user', 'bad-domain']);

interface AddressState {
  invalid: boolean;
  refused: boolean;
  /** Answers the receiver gave after an unknown-user or bad-domain answer. */
  answersAfterDead: number;
  deadAnswered: boolean;
  unknownAtGateway: boolean;
}

export type ReceiverKindOf = (receiverId: string) => 'provider' | 'gateway' | 'trap-network' | undefined;

export class ClassificationScore {
  private readonly addresses = new Map<string, AddressState>();
  private readonly suppressed = new Set<string>();
  private readonly predicted = new Map<Class, number>();
  private readonly actual = new Map<Cause, number>();
  private readonly truePositives = new Map<Class, number>();
  private refusedPairs = 0;
  private rightActions = 0;
  private disguised = 0;
  private disguisedFound = 0;

  constructor(private readonly kindOf: ReceiverKindOf) {}

  /** One answered attempt paired with the receiver's truth. */
  readonly onPair = (cause: Cause, cls: Class, action: Action): void => {
    this.predicted.set(cls, (this.predicted.get(cls) ?? 0) + 1);
    this.actual.set(cause, (this.actual.get(cause) ?? 0) + 1);
    if (!isDeliveredCause(cause) && cls === cause) this.truePositives.set(cls, (this.truePositives.get(cls) ?? 0) + 1);
    if (isDeliveredCause(cause)) return;
    this.refusedPairs++;
    if (action === RIGHT_ACTION[cause]) this.rightActions++;
    if (cause === 'disguised-policy-block') {
      this.disguised++;
      if (cls === 'disguised-policy-block') this.disguisedFound++;
    }
  };

  readonly onTruth = (truth: TruthRecord): void => {
    if (truth.recipient === '' || truth.unanswered === true) return;
    const state = this.stateOf(truth.recipient);
    if (state.deadAnswered) state.answersAfterDead++;
    if (INVALID_CAUSES.has(truth.cause)) state.invalid = true;
    if (DEAD_ANSWERS.has(truth.cause)) state.deadAnswered = true;
    if (!isDeliveredCause(truth.cause)) state.refused = true;
    if (truth.cause === 'unknown-user' && this.kindOf(truth.receiver) === 'gateway') state.unknownAtGateway = true;
  };

  readonly onAccounting = (record: AccountingRecord): void => {
    if (record.type === 'Suppression') {
      if (record.change === 'add') this.suppressed.add(record.recipient.toLowerCase());
      else this.suppressed.delete(record.recipient.toLowerCase());
    }
  };

  figures(): ClassificationFigures {
    let validRefused = 0;
    let validSuppressed = 0;
    let invalidKept = 0;
    let gatewayUnknown = 0;
    let gatewayUnknownSuppressed = 0;
    for (const [recipient, state] of this.addresses) {
      const suppressed = this.suppressed.has(recipient);
      if (!state.invalid && state.refused) {
        validRefused++;
        if (suppressed) validSuppressed++;
      }
      if (state.answersAfterDead > 0) invalidKept++;
      if (state.unknownAtGateway) {
        gatewayUnknown++;
        if (suppressed) gatewayUnknownSuppressed++;
      }
    }
    return {
      macroF1: round(this.macroF1()),
      actionAccuracy: share(this.rightActions, this.refusedPairs),
      validWronglySuppressed: validSuppressed,
      validWronglySuppressedShare: round(ratio(validSuppressed, validRefused)),
      validRefused,
      invalidKept,
      disguisedRecall: share(this.disguisedFound, this.disguised),
      disguisedAnswers: this.disguised,
      unknownUserSuppressedShare: share(gatewayUnknownSuppressed, gatewayUnknown),
      gatewayUnknownUsers: gatewayUnknown,
      refusedAttempts: this.refusedPairs,
    };
  }

  private macroF1(): number {
    const classes = new Set<string>();
    for (const [cause, count] of this.actual) if (!isDeliveredCause(cause) && count > 0) classes.add(cause);
    for (const [cls, count] of this.predicted)
      if (cls !== 'delivered' && cls !== 'unclassified' && count > 0) classes.add(cls);
    if (classes.size === 0) return 1;
    let sum = 0;
    for (const cls of classes) {
      const truePositives = this.truePositives.get(cls as Class) ?? 0;
      const precision = ratio(truePositives, this.predicted.get(cls as Class) ?? 0);
      const recall = ratio(truePositives, this.actual.get(cls as Cause) ?? 0);
      sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    }
    return sum / classes.size;
  }

  private stateOf(recipient: string): AddressState {
    const key = recipient.toLowerCase();
    let state = this.addresses.get(key);
    if (state === undefined) {
      state = { invalid: false, refused: false, answersAfterDead: 0, deadAnswered: false, unknownAtGateway: false };
      this.addresses.set(key, state);
    }
    return state;
  }
}

/** A share, 0 when there is nothing to divide (no such answers: nothing to get wrong). */
function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** A share rounded for the report; null when there was nothing to measure. */
function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
