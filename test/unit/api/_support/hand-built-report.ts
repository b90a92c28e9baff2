/**
 * A report built by hand with round numbers, so every metric has a value worked out on paper:
 * two receivers, gmail (mostly fine) and orange (blocked and deferred), 10 recipients still in
 * flight, one complaint, two hourly buckets. The metrics and matcher tests read it; edit a copy
 * with `structuredClone` to make a figure fail.
 */
import type { ReportV1 } from '../../../../reports/schema.ts';
import type { ReceiverSeries } from '../../../../reports/series.ts';
import smoke from '../../../../scenarios/smoke.ts';
import { resolveScenario } from '../../../../scenarios/scenario.ts';
import { CAUSES, CLASSES } from '../../../../kernel/taxonomy.ts';
import type { Cause, Class } from '../../../../kernel/taxonomy.ts';

const HOUR_MS = 3_600_000;
const START_MS = 1_767_571_200_000;

function receiverSeries(counts: {
  attempted: number[];
  delivered: number[];
  deferred: number[];
  bounced: number[];
  expired: number[];
  inbox: number[];
  spam: number[];
}): ReceiverSeries {
  const { inbox, spam, ...outcomes } = counts;
  return { ...outcomes, placement: { inbox, spam, discarded: [0, 0], trap: [0, 0] } };
}

function everyCause(counts: Partial<Record<Cause, number>>): Record<Cause, number> {
  return Object.fromEntries(CAUSES.map((cause) => [cause, counts[cause] ?? 0])) as Record<Cause, number>;
}

const gmailCauses: Partial<Record<Cause, number>> = {
  'delivered-inbox': 60,
  'delivered-spam': 15,
  'delivered-trap': 1,
  discarded: 4,
  'rate-limited': 10,
  'unknown-user': 10,
};
const orangeCauses: Partial<Record<Cause, number>> = {
  'delivered-inbox': 10,
  'delivered-spam': 10,
  'reputation-block': 25,
  'unknown-user': 5,
};

/**
 * gmail: 100 attempts → 80 delivered, 10 deferred, 10 bounced; orange: 50 attempts → 20
 * delivered, 25 deferred, 5 bounced, and 5 recipients expired. 130 injected, 10 in flight.
 */
export function handBuiltReport(): ReportV1 {
  return {
    schemaVersion: 1,
    tool: { name: 'mailbench', version: '0.1.0' },
    seed: 'hand-built',
    mode: 'sim',
    engine: { name: 'reference', version: '0.1.0', policy: 'reference' },
    scenario: resolveScenario(smoke),
    outcome: { status: 'passed' },
    clock: { startMs: START_MS, endMs: START_MS + 36 * HOUR_MS },
    figures: {
      throughput: { acceptedPerSecond: 0.5, simulatedPerSecond: 0.75 },
      messages: { injected: 130, delivered: 100, bounced: 15, expired: 5, inFlight: 10 },
      attempts: { total: 150, truthWithoutAttempt: 0, attemptsWithoutTruth: 0 },
      causes: everyCause({
        'delivered-inbox': 70,
        'delivered-spam': 25,
        'delivered-trap': 1,
        discarded: 4,
        'rate-limited': 10,
        'unknown-user': 15,
        'reputation-block': 25,
      }),
      classes: Object.fromEntries(CLASSES.map((cls) => [cls, 0])) as Record<Class, number>,
      confusion: Object.fromEntries(CAUSES.map((cause) => [cause, {}])) as Record<
        Cause,
        Partial<Record<Class, number>>
      >,
      causesByReceiver: { gmail: gmailCauses, orange: orangeCauses },
      later: {
        complaints: 1,
        asyncBounces: 0,
        opens: 12,
        clicks: 3,
        reportsSent: { arf: 1, dsn: 0 },
        reportsReceived: { arf: 1, dsn: 0, unreadable: 0 },
      },
      classification: {
        macroF1: 0.8,
        actionAccuracy: 0.9,
        validWronglySuppressed: 2,
        validWronglySuppressedShare: 0.04,
        validRefused: 50,
        invalidKept: 3,
        disguisedRecall: null,
        disguisedAnswers: 0,
        unknownUserSuppressedShare: null,
        gatewayUnknownUsers: 0,
        refusedAttempts: 50,
      },
    },
    series: {
      bucketWidthMs: HOUR_MS,
      firstBucketStartMs: START_MS,
      bucketCount: 2,
      receivers: {
        gmail: receiverSeries({
          attempted: [60, 40],
          delivered: [50, 30],
          deferred: [8, 2],
          bounced: [2, 8],
          expired: [0, 0],
          inbox: [40, 20],
          spam: [10, 5],
        }),
        orange: receiverSeries({
          attempted: [30, 20],
          delivered: [10, 10],
          deferred: [15, 10],
          bounced: [5, 0],
          expired: [0, 5],
          inbox: [5, 5],
          spam: [5, 5],
        }),
      },
      bandFloors: [
        { band: 'bad', scoreMin: 0 },
        { band: 'low', scoreMin: 0.3 },
        { band: 'medium', scoreMin: 0.6 },
        { band: 'high', scoreMin: 0.8 },
      ],
      reputation: [],
      decisions: [],
      decisionsDropped: 0,
      decisionsPerBucket: { Throttle: [0, 0], Suspend: [0, 0], Resume: [0, 0], Policy: [0, 0] },
    },
  };
}
