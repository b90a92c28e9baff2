/**
 * The time series (runner/series-collector.ts), two ways. First on hand-made records against a
 * fake fleet: events land in their hour, runs past 3 days roll up to days, reputation is read
 * at hour boundaries (and only read). Then on a real fixed-seed run: the series adds up to the
 * report's own figures, and the same seed gives the same bytes.
 */
import { describe, expect, test } from 'vitest';
import type { AccountingRecord } from '../../../mta-under-test/accounting.ts';
import { BAND_FLOORS, SeriesCollector } from '../../../runner/series-collector.ts';
import type { SeriesFleet } from '../../../runner/series-collector.ts';
import type { ReceiverSeries } from '../../../reports/series.ts';
import { DAY_MS, HOUR_MS } from '../../../kernel/clock/clock.ts';
import { reputationBand } from '../../../sim/mechanisms/reputation.ts';
import type { TruthRecord } from '../../../sim/truth/truth-record.ts';
import { SMALL_RUN_SEED, freshSmallRunReport, smallRunReport } from './_support/small-run.ts';

const START_MS = 1_767_225_600_000;

/** A fleet of one receiver whose score falls by 0.1 an hour, and which logs every read. */
function fakeFleet(): { fleet: SeriesFleet; reads: number[] } {
  const reads: number[] = [];
  const receiver = {
    identity: { id: 'gmail', domains: ['gmail.com'] },
    reputationOf: (_key: `ip:${string}` | `domain:${string}`, nowMs: number) => {
      reads.push(nowMs);
      const score = Math.max(0, 0.9 - (0.1 * (nowMs - START_MS)) / HOUR_MS);
      return { score, band: reputationBand(score) };
    },
  };
  return {
    fleet: {
      receivers: [receiver],
      receiverForMxHost: (mxHost) => (mxHost === 'mx.gmail.test' ? receiver : undefined),
    },
    reads,
  };
}

function delivery(atMs: number, recipient: string): AccountingRecord {
  return {
    type: 'Delivery',
    atMs,
    messageId: recipient,
    recipient,
    attempt: 1,
    site: 'mx.gmail.test',
    mxHost: 'mx.gmail.test',
    sourceIp: '127.0.0.2',
    class: 'delivered',
    action: 'none',
    rule: 'test',
  };
}

function truth(atMs: number, cause: TruthRecord['cause']): TruthRecord {
  return {
    atMs,
    receiver: 'gmail',
    peerIp: '127.0.0.2',
    mailFrom: 'b@x.test',
    recipient: 'a@gmail.com',
    stage: 'data',
    cause,
    reply: { code: 250, enhanced: null, lines: ['ok'] },
    rule: 'test',
  };
}

describe('series collector on hand-made records', () => {
  test('counts land in their hour and reputation is sampled at each hour end', () => {
    // Arrange
    const { fleet, reads } = fakeFleet();
    const collector = new SeriesCollector({
      startMs: START_MS,
      fleet,
      sources: [{ name: 'mta1', sourceIp: '127.0.0.2' }],
    });
    // Act
    collector.onTruth(truth(START_MS + 10 * 60_000, 'delivered-inbox'));
    collector.onAccounting(delivery(START_MS + 10 * 60_000, 'a@gmail.com'));
    collector.onTruth(truth(START_MS + 2 * HOUR_MS + 5, 'delivered-spam'));
    collector.onAccounting(delivery(START_MS + 2 * HOUR_MS + 5, 'b@gmail.com'));
    collector.onAccounting({
      type: 'Expiration',
      atMs: START_MS + 2 * HOUR_MS + 9,
      messageId: 'c',
      recipient: 'c@gmail.com',
      attempts: 3,
    });
    collector.onAccounting({
      type: 'Suspend',
      atMs: START_MS + HOUR_MS,
      scope: { source: 'mta1', provider: 'gmail' },
      untilMs: START_MS + 2 * HOUR_MS,
      reason: 'rate-limited',
      rule: 'engine.backoff.hold',
    });
    const series = collector.series(START_MS + 2.5 * HOUR_MS);
    // Assert
    expect(series).toMatchObject({
      bucketWidthMs: HOUR_MS,
      bucketCount: 3,
      firstBucketStartMs: START_MS,
      decisionsDropped: 0,
    });
    expect(series.receivers.gmail).toEqual({
      attempted: [1, 0, 1],
      delivered: [1, 0, 1],
      deferred: [0, 0, 0],
      bounced: [0, 0, 0],
      expired: [0, 0, 1],
      placement: { inbox: [1, 0, 0], spam: [0, 0, 1], discarded: [0, 0, 0], trap: [0, 0, 0] },
    });
    // Hour ends 1 h and 2 h, then the run's end for the last, partial hour.
    expect(reads).toEqual([START_MS + HOUR_MS, START_MS + 2 * HOUR_MS, START_MS + 2.5 * HOUR_MS]);
    expect(series.reputation).toEqual([
      {
        sourceIp: '127.0.0.2',
        source: 'mta1',
        receiver: 'gmail',
        score: [0.8, 0.7, 0.65],
        band: ['high', 'high', 'medium'],
      },
    ]);
    expect(series.decisionsPerBucket).toEqual({
      Throttle: [0, 0, 0],
      Suspend: [0, 1, 0],
      Resume: [0, 0, 0],
      Policy: [0, 0, 0],
    });
    expect(series.decisions).toEqual([
      {
        kind: 'Suspend',
        atMs: START_MS + HOUR_MS,
        scope: { source: 'mta1', provider: 'gmail' },
        untilMs: START_MS + 2 * HOUR_MS,
        reason: 'rate-limited',
        rule: 'engine.backoff.hold',
      },
    ]);
  });

  test('a run longer than 3 days rolls up to daily buckets, each sampled at its day end', () => {
    // Arrange
    const { fleet } = fakeFleet();
    const collector = new SeriesCollector({
      startMs: START_MS,
      fleet,
      sources: [{ name: 'mta1', sourceIp: '127.0.0.2' }],
    });
    // Act
    collector.onAccounting(delivery(START_MS + HOUR_MS, 'a@gmail.com'));
    collector.onAccounting(delivery(START_MS + 23 * HOUR_MS, 'b@gmail.com'));
    collector.onAccounting(delivery(START_MS + 3 * DAY_MS + HOUR_MS, 'c@gmail.com'));
    const series = collector.series(START_MS + 3 * DAY_MS + 2 * HOUR_MS);
    // Assert
    expect(series.bucketWidthMs).toBe(DAY_MS);
    expect(series.receivers.gmail?.delivered).toEqual([2, 0, 0, 1]);
    // The fake score hits 0 after 9 hours: every day end reads 0.
    expect(series.reputation[0]?.band).toEqual(['bad', 'bad', 'bad', 'bad']);
  });

  test('the band floors the series carries are the ones the reputation model acts on', () => {
    // Assert
    for (const { band, scoreMin } of BAND_FLOORS) {
      expect(reputationBand(scoreMin)).toBe(band);
      if (scoreMin > 0) expect(reputationBand(scoreMin - 0.002)).not.toBe(band);
    }
  });
});

describe(`series of a fixed-seed run (seed ${SMALL_RUN_SEED})`, () => {
  test('adds up to the figures: delivered, bounced, expired and placement', async () => {
    // Act
    const report = await smallRunReport();
    // Assert
    const series = report.series;
    expect(series).toBeDefined();
    if (series === undefined) return;
    const rows = Object.values(series.receivers);
    const sum = (pick: (row: ReceiverSeries) => readonly number[]): number =>
      rows.reduce((total, row) => total + pick(row).reduce((a, b) => a + b, 0), 0);
    expect(sum((row) => row.delivered)).toBe(report.figures.messages.delivered);
    expect(sum((row) => row.bounced)).toBe(report.figures.messages.bounced);
    expect(sum((row) => row.expired)).toBe(report.figures.messages.expired);
    expect(sum((row) => row.attempted)).toBe(report.figures.attempts.total);
    expect(sum((row) => row.placement.spam)).toBe(report.figures.causes['delivered-spam']);
    expect(sum((row) => row.placement.inbox)).toBeLessThanOrEqual(report.figures.causes['delivered-inbox']);
    for (const row of Object.values(series.receivers)) expect(row.attempted).toHaveLength(series.bucketCount);
    expect(Object.keys(series.receivers)).toEqual(Object.keys(series.receivers).sort());
    const times = series.decisions.map((decision) => decision.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Microsoft speaks SNDS; the others only Postmaster bands.
    for (const track of series.reputation) {
      expect(track.score).toHaveLength(series.bucketCount);
      expect(track.snds !== undefined).toBe(track.receiver === 'microsoft-365' || track.receiver === 'outlook');
    }
  });

  test('the same seed gives byte-identical series and report; another seed differs', async () => {
    // Act
    const first = await smallRunReport();
    const replay = await freshSmallRunReport();
    const otherSeed = await smallRunReport(`${SMALL_RUN_SEED}-other`);
    // Assert
    expect(JSON.stringify(replay.series)).toBe(JSON.stringify(first.series));
    expect(JSON.stringify(replay, null, 2)).toBe(JSON.stringify(first, null, 2));
    expect(JSON.stringify(otherSeed.series)).not.toBe(JSON.stringify(first.series));
  });
});
