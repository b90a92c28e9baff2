/**
 * The report's charts as data: what each plots, with which axes, units and colours. The HTML
 * page embeds these specs as JSON and a small generic script hands each to uPlot, so every
 * decision about what a chart shows lives here, in TypeScript, testable without a browser.
 *
 * Honesty rules the specs follow: every axis names its unit; counts per bucket are drawn at the
 * bucket's middle (not spread over it); reputation is drawn where it was sampled, at bucket
 * ends; a bucket with nothing to divide by is a gap, never a zero.
 */
import type { ReportV1 } from '../schema.ts';
import type { PostmasterBand, RunSeries, SeriesDecisionKind } from '../series.ts';

export interface ChartSeriesSpec {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
}

export interface ChartSpec {
  /** The element id the chart mounts in. */
  readonly id: string;
  readonly title: string;
  /** One sentence: what is plotted and where it comes from (also the canvas's accessible label). */
  readonly caption: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  /** The x axis spans the whole run, from its start to its end, whatever the data covers. */
  readonly xRange: readonly [number, number];
  readonly series: readonly ChartSeriesSpec[];
  /** Fixed y range, e.g. [0, 1] for scores; otherwise from 0 to the data's maximum. */
  readonly yRange?: readonly [number, number];
  /** Shaded horizontal bands with their names (Postmaster reputation bands). */
  readonly bands?: readonly {
    readonly from: number;
    readonly to: number;
    readonly label: string;
    readonly color: string;
  }[];
  /** Ticks along the top, one lane per decision kind, at each decision's time. */
  readonly markers?: {
    readonly lanes: readonly { readonly label: string; readonly color: string }[];
    readonly points: readonly (readonly [x: number, lane: number])[];
  };
}

/** Stable colours for receivers, in sorted-id order (Okabe–Ito, readable by colour-blind readers). */
const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000000',
  '#999999',
  '#6a3d9a',
  '#b15928',
  '#1b9e77',
];
export const BAND_COLORS: Readonly<Record<PostmasterBand, string>> = {
  bad: '#f4c7c3',
  low: '#f9cb9c',
  medium: '#fff2cc',
  high: '#d9ead3',
};
export const DECISION_COLORS: Readonly<Record<SeriesDecisionKind, string>> = {
  Suspend: '#c62828',
  Resume: '#2e7d32',
  Throttle: '#ef6c00',
  Policy: '#6a1b9a',
};
/** Reputation charts are `chart-reputation-<index of the IP in sendingIps>`. */
export const REPUTATION_ID_PREFIX = 'chart-reputation-';
const DECISION_KINDS: readonly SeriesDecisionKind[] = ['Suspend', 'Resume', 'Throttle', 'Policy'];

/** The x axis unit: the bucket width, an hour or a day. */
export function timeUnitOf(series: RunSeries): { name: 'hour' | 'day'; ms: number; label: string } {
  const name = series.bucketWidthMs >= 86_400_000 ? 'day' : 'hour';
  return { name, ms: series.bucketWidthMs, label: `run clock (${name}s since the start)` };
}

export function chartSpecs(report: ReportV1): ChartSpec[] {
  const series = report.series;
  if (series === undefined) return [];
  return [
    volumeChart(series),
    outcomeChart(series),
    throughputChart(report, series),
    ...reputationCharts(series),
    placementChart(series),
  ];
}

function middles(series: RunSeries): number[] {
  return Array.from({ length: series.bucketCount }, (_, index) => index + 0.5);
}

function receiverIds(series: RunSeries): string[] {
  return Object.keys(series.receivers).sort();
}

function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}

function volumeChart(series: RunSeries): ChartSpec {
  const unit = timeUnitOf(series);
  return {
    id: 'chart-volume',
    title: `Recipients attempted per ${unit.name}, by receiver`,
    caption: `Recipient attempts the sender reported (delivered, deferred or bounced), per ${unit.name} and receiver, plotted at each ${unit.name}'s middle${series.planned === undefined ? '' : `; in black, the messages the timeline planned per ${unit.name}`}.`,
    xLabel: unit.label,
    yLabel: `recipients per ${unit.name}`,
    x: middles(series),
    xRange: [0, series.bucketCount],
    series: [
      ...receiverIds(series).map((id, index) => ({
        label: id,
        values: series.receivers[id]?.attempted ?? [],
        color: colorOf(index),
      })),
      // The timeline's plan, all receivers together: what the sender was handed against what it attempted.
      ...(series.planned === undefined
        ? []
        : [{ label: 'planned (timeline, all receivers)', values: series.planned, color: '#000000' }]),
    ],
  };
}

function totals(series: RunSeries, pick: (row: RunSeries['receivers'][string]) => readonly number[]): number[] {
  const sums = new Array<number>(series.bucketCount).fill(0);
  for (const row of Object.values(series.receivers))
    pick(row).forEach((value, index) => (sums[index] = (sums[index] ?? 0) + value));
  return sums;
}

function outcomeChart(series: RunSeries): ChartSpec {
  const unit = timeUnitOf(series);
  return {
    id: 'chart-outcomes',
    title: `Delivered, deferred, bounced and expired per ${unit.name}`,
    caption: `What happened to recipient attempts per ${unit.name}, all receivers together; ${markerNote(series)}`,
    xLabel: unit.label,
    yLabel: `recipients per ${unit.name}`,
    x: middles(series),
    xRange: [0, series.bucketCount],
    series: [
      { label: 'delivered', values: totals(series, (row) => row.delivered), color: '#2e7d32' },
      { label: 'deferred (4xx)', values: totals(series, (row) => row.deferred), color: '#ef6c00' },
      { label: 'bounced', values: totals(series, (row) => row.bounced), color: '#c62828' },
      { label: 'expired', values: totals(series, (row) => row.expired), color: '#6d4c41' },
    ],
    markers: decisionMarkers(series),
  };
}

function throughputChart(report: ReportV1, series: RunSeries): ChartSpec {
  const unit = timeUnitOf(series);
  // The last bucket may be partial: divide by the seconds of run clock it really covers.
  const seconds = Array.from({ length: series.bucketCount }, (_, index) => {
    const startMs = series.firstBucketStartMs + index * series.bucketWidthMs;
    return Math.max(1, Math.min(series.bucketWidthMs, report.clock.endMs - startMs)) / 1000;
  });
  const perSecond = (values: readonly number[]): number[] =>
    values.map((value, index) => Math.round((value / (seconds[index] ?? 1)) * 1000) / 1000);
  return {
    id: 'chart-throughput',
    title: 'Throughput on the run clock',
    caption: `Recipients delivered and attempted per second of run clock (simulated seconds in sim mode), averaged over each ${unit.name}; ${markerNote(series)}`,
    xLabel: unit.label,
    yLabel: 'recipients per second (run clock)',
    x: middles(series),
    xRange: [0, series.bucketCount],
    series: [
      { label: 'delivered / s', values: perSecond(totals(series, (row) => row.delivered)), color: '#2e7d32' },
      { label: 'attempted / s', values: perSecond(totals(series, (row) => row.attempted)), color: '#0072b2' },
    ],
    markers: decisionMarkers(series),
  };
}

/** What the decision ticks show, saying so when the report kept only part of the decisions. */
function markerNote(series: RunSeries): string {
  if (series.decisionsDropped === 0) return "ticks along the top mark each of the sender's decisions.";
  return `ticks along the top mark the ${series.decisions.length} decisions the report lists (the first of each kind); ${series.decisionsDropped} later ones are only counted, in the decisions table.`;
}

function decisionMarkers(series: RunSeries): NonNullable<ChartSpec['markers']> {
  const kinds = DECISION_KINDS.filter((kind) => series.decisions.some((decision) => decision.kind === kind));
  const unitMs = series.bucketWidthMs;
  return {
    lanes: kinds.map((kind) => ({ label: kind, color: DECISION_COLORS[kind] })),
    points: series.decisions.map(
      (decision) =>
        [
          Math.round(((decision.atMs - series.firstBucketStartMs) / unitMs) * 10_000) / 10_000,
          kinds.indexOf(decision.kind),
        ] as const,
    ),
  };
}

/** The sending IPs with reputation tracks, in the tracks' (sorted) order. */
export function sendingIps(series: RunSeries): string[] {
  return [...new Set(series.reputation.map((track) => track.sourceIp))];
}

/** One chart per sending IP: each receiver's score over the Postmaster bands. */
function reputationCharts(series: RunSeries): ChartSpec[] {
  const unit = timeUnitOf(series);
  const ips = sendingIps(series);
  const ends = Array.from({ length: series.bucketCount }, (_, index) => index + 1);
  const floors = [...series.bandFloors].sort((a, b) => a.scoreMin - b.scoreMin);
  const bands = floors.map((floor, index) => ({
    from: floor.scoreMin,
    to: floors[index + 1]?.scoreMin ?? 1,
    label: floor.band,
    color: BAND_COLORS[floor.band],
  }));
  const ids = receiverIds(series);
  return ips.map((ip, ipIndex) => {
    const tracks = series.reputation.filter((track) => track.sourceIp === ip);
    return {
      id: `${REPUTATION_ID_PREFIX}${ipIndex}`,
      title: `Reputation of ${ip} (${tracks[0]?.source ?? ''}) at each receiver`,
      caption: `The score each receiver held of sending IP ${ip} at the end of each ${unit.name}, over Google Postmaster's bands (bad, low, medium, high).`,
      xLabel: unit.label,
      yLabel: 'reputation score (0 to 1)',
      x: ends,
      xRange: [0, series.bucketCount],
      yRange: [0, 1] as const,
      bands,
      series: tracks.map((track) => ({
        label: track.receiver,
        values: track.score,
        color: colorOf(Math.max(0, ids.indexOf(track.receiver))),
      })),
    };
  });
}

function placementChart(series: RunSeries): ChartSpec {
  const unit = timeUnitOf(series);
  return {
    id: 'chart-placement',
    title: `Inbox placement per ${unit.name}, by receiver`,
    caption: `Of the mail each receiver accepted in a ${unit.name}, the share it really put in the inbox (receiver truth: inbox, spam folder, discarded or trap); gaps where it accepted none.`,
    xLabel: unit.label,
    yLabel: 'inbox share of accepted mail (%)',
    x: middles(series),
    xRange: [0, series.bucketCount],
    yRange: [0, 100] as const,
    series: receiverIds(series).map((id, index) => {
      const placement = series.receivers[id]?.placement;
      const values = (placement?.inbox ?? []).map((inbox, bucket) => {
        const accepted =
          inbox + (placement?.spam[bucket] ?? 0) + (placement?.discarded[bucket] ?? 0) + (placement?.trap[bucket] ?? 0);
        return accepted === 0 ? null : Math.round((inbox / accepted) * 1000) / 10;
      });
      return { label: id, values, color: colorOf(index) };
    }),
  };
}
