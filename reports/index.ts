/**
 * reports/: the report schema (the contract a run writes and every reader reads), its metric
 * catalogue and its renderers (HTML, Markdown, summary, comparison). The only way into it from
 * outside (lint holds other folders to this file).
 */

export { renderComparisonHtml, renderComparisonMarkdown } from './compare-render.ts';
export { compareReports } from './compare.ts';
export { renderHtml } from './html.ts';
export { loadReport, ReportLoadError } from './load.ts';
export { renderMarkdown } from './markdown.ts';
export { isMetricName, METRIC_NAMES, MetricError, METRICS, metricValue, readMetric, receiversOf } from './metrics.ts';
export type { MetricDefinition, MetricName, MetricUnit } from './metrics.ts';
export { REPORT_SCHEMA_VERSION } from './schema.ts';
export type {
  AuthenticationFigures,
  CampaignFigures,
  ClassificationFigures,
  Figures,
  LaterFigures,
  NotCarriedOut,
  Outcome,
  ReportV1,
  RunMode,
  WallTiming,
} from './schema.ts';
export type {
  PostmasterBand,
  ReceiverSeries,
  ReputationTrack,
  RunSeries,
  SeriesDecision,
  SeriesDecisionKind,
  SndsColour,
} from './series.ts';
export { renderSummary } from './summary.ts';
export { loadUplotAssets } from './uplot-assets.ts';
