/**
 * compareReports on a report and edited copies of it: a figure worse by more than its tolerance
 * is a regression, worse by less is not, better is never, and informational or missing figures
 * are never flagged. The renderings carry the verdicts and the setup differences.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compareReports } from '../../../reports/compare.ts';
import type { MetricId } from '../../../reports/compare.ts';
import { renderComparisonHtml, renderComparisonMarkdown } from '../../../reports/compare-render.ts';
import type { ReportV1 } from '../../../reports/schema.ts';
import { smallRunReport } from './_support/small-run.ts';

let baseline: ReportV1;

beforeAll(async () => {
  // Fixed classification figures, so the margins tested below do not depend on how well
  // today's engine happens to do on the run.
  const run = await smallRunReport();
  const classification = {
    ...(run.figures.classification as NonNullable<ReportV1['figures']['classification']>),
    macroF1: 0.6,
    validWronglySuppressedShare: 0.02,
  };
  baseline = { ...run, figures: { ...run.figures, classification } };
});

type Edit = (figures: ReportV1['figures']) => ReportV1['figures'];

function edited(edit: Edit, changes: Partial<ReportV1> = {}): ReportV1 {
  return { ...baseline, ...changes, figures: edit(structuredClone(baseline.figures)) };
}

function withMacroF1(value: number): Edit {
  return (figures) => ({
    ...figures,
    classification: {
      ...(figures.classification as NonNullable<ReportV1['figures']['classification']>),
      macroF1: value,
    },
  });
}

function verdictOf(b: ReportV1, id: MetricId): string | undefined {
  return compareReports(baseline, b).metrics.find((metric) => metric.id === id)?.verdict;
}

describe('regressions: worse than tolerated', () => {
  test('delivered share 2 points lower is a regression, 0.5 points lower is not', () => {
    const injected = baseline.figures.messages.injected;
    const fewer =
      (share: number): Edit =>
      (figures) => ({
        ...figures,
        messages: { ...figures.messages, delivered: figures.messages.delivered - Math.round(share * injected) },
      });
    expect(verdictOf(edited(fewer(0.02)), 'deliveredShare')).toBe('regression');
    expect(verdictOf(edited(fewer(0.005)), 'deliveredShare')).toBe('within-tolerance');
  });

  test('macro-F1 0.03 lower is a regression, 0.01 lower is not, higher is better', () => {
    const macroF1 = 0.6;
    expect(verdictOf(edited(withMacroF1(macroF1 - 0.03)), 'macroF1')).toBe('regression');
    expect(verdictOf(edited(withMacroF1(macroF1 - 0.01)), 'macroF1')).toBe('within-tolerance');
    expect(verdictOf(edited(withMacroF1(macroF1 + 0.1)), 'macroF1')).toBe('better');
  });

  test('throughput is relative: 6 % slower is a regression, 4 % slower is not', () => {
    const slower =
      (factor: number): Edit =>
      (figures) => ({
        ...figures,
        throughput: { ...figures.throughput, acceptedPerSecond: figures.throughput.acceptedPerSecond * factor },
      });
    expect(verdictOf(edited(slower(0.94)), 'acceptedPerSecond')).toBe('regression');
    expect(verdictOf(edited(slower(0.96)), 'acceptedPerSecond')).toBe('within-tolerance');
  });

  test('lower-is-better figures: more valid addresses wrongly suppressed is a regression', () => {
    const suppress =
      (share: number): Edit =>
      (figures) => ({
        ...figures,
        classification: {
          ...(figures.classification as NonNullable<ReportV1['figures']['classification']>),
          validWronglySuppressedShare: (figures.classification?.validWronglySuppressedShare ?? 0) + share,
        },
      });
    expect(verdictOf(edited(suppress(0.01)), 'validWronglySuppressedShare')).toBe('regression');
    expect(verdictOf(edited(suppress(0.004)), 'validWronglySuppressedShare')).toBe('within-tolerance');
    expect(verdictOf(edited(suppress(-0.015)), 'validWronglySuppressedShare')).toBe('better');
  });

  test('a custom tolerance moves the line', () => {
    const macroF1 = 0.6;
    const result = compareReports(baseline, edited(withMacroF1(macroF1 - 0.03)), { tolerances: { macroF1: 0.05 } });
    expect(result.regressions.map((metric) => metric.id)).not.toContain('macroF1');
  });

  test('a report against itself has no regressions and an identical setup', () => {
    const result = compareReports(baseline, baseline);
    expect(result.regressions).toEqual([]);
    expect(result.setupDifferences).toEqual([]);
    expect(result.metrics.every((metric) => metric.verdict === 'same' || metric.verdict === 'missing')).toBe(true);
  });
});

describe('plans side by side', () => {
  test('names what differs between the setups and labels the sides plan A and plan B', () => {
    // Arrange: plan B is the generic engine at another seed, with a second pool.
    const b = edited((figures) => figures, {
      seed: '12',
      engine: { ...baseline.engine, policy: 'generic' },
      scenario: { ...baseline.scenario, sender: { ...baseline.scenario.sender, defaultPool: 'warm' } },
    });
    // Act
    const result = compareReports(baseline, b, { kind: 'plans' });
    // Assert
    expect(result.a.label).toBe('plan A');
    expect(result.b.engine).toContain('(generic)');
    expect(result.setupDifferences).toEqual([
      'seed: "11" → "12"',
      'engine.policy: "reference" → "generic"',
      'scenario.sender.defaultPool: "default" → "warm"',
    ]);
  });

  test('renders the verdicts as Markdown and HTML, regressions flagged', () => {
    // Arrange
    const macroF1 = 0.6;
    const result = compareReports(baseline, edited(withMacroF1(macroF1 - 0.1)));
    // Act
    const markdown = renderComparisonMarkdown(result);
    const html = renderComparisonHtml(result);
    // Assert
    expect(markdown).toContain('## mailbench · run against baseline');
    expect(markdown).toContain('❌ 1 regression: macro-F1');
    expect(markdown).toContain('| macro-F1 | 0.6 | 0.5 | −0.1 | 0.02 | **regression** |');
    expect(markdown).toContain('| delivered share |');
    expect(html).toContain('<tr class="regression"><th scope="row">macro-F1</th>');
    expect(html).toContain("default-src 'none'");
  });
});
